"""The deployments view's picture for the README (screenshots/deployments.svg), called by make_screenshots.py.

Types `:deploy` and `0` (all namespaces) on the demo cluster, as a user would, waits (with a
deadline) until sample-deployment is 3/3 and kube-system's coredns 2/2, then scales
sample-deployment to 5 with `s` and waits for 5/5: the picture shows the columns kubectl prints,
the keys of the view (Open, Scale, Restart, ...) and the report in kubectl's words.
"""

from __future__ import annotations

from pathlib import Path

from screenshot_waiting import waiter
from kubetui.model.resource_table import sort_key_of
from kubetui.ui.app import KubetuiApp
from kubetui.ui.screens.scale_dialog import ScaleDialog
from kubetui.ui.status_line import StatusLine
from kubetui.ui.views import PodsView, ResourcesView
from kubetui.ui.workspace import WorkspaceScreen

READY = {"default/sample-deployment": "3/3", "kube-system/coredns": "2/2"}
SCALED = "deployment.apps/sample-deployment scaled"


def _ready(view: ResourcesView, key: str) -> str | None:
    row = view.table.row(key)
    columns = [sort_key_of(column) for column in view.table.columns]
    return row.cells[columns.index("ready")] if row is not None and "ready" in columns else None


async def capture_deployments(conn, out: Path, size: tuple[int, int], timeout: float = 90.0) -> bool:
    app = KubetuiApp(conn)
    async with app.run_test(size=size) as pilot:
        workspace = next(s for s in app.screen_stack if isinstance(s, WorkspaceScreen))
        wait = waiter(timeout)

        pods = workspace.query_one(PodsView)
        ok = await wait(lambda: pods.table.row("default/sample-2pod") is not None)
        await pilot.press("colon", *"deploy", "enter")
        ok &= await wait(lambda: isinstance(workspace.view, ResourcesView)
                         and workspace.view.resource.kind == "Deployment")
        view = workspace.view
        await pilot.press("0")
        ok &= await wait(lambda: view.namespace is None
                         and all(_ready(view, key) == ready for key, ready in READY.items()))
        view.table.select("default/sample-deployment")
        view.view.table_changed(None)
        await pilot.press("s")
        ok &= await wait(lambda: isinstance(app.screen, ScaleDialog))
        await pilot.press("5", "enter")  # the current count is selected: typing replaces it
        ok &= await wait(lambda: SCALED in workspace.query_one(StatusLine).text
                         and _ready(view, "default/sample-deployment") == "5/5")
        view.view.tick(app.now())  # AGE as of this frame
        await pilot.pause()
        app.save_screenshot(filename=out.name, path=str(out.parent))
        await pilot.press("q")
    return ok
