"""The command line's picture for the README (screenshots/command-line.svg), called by make_screenshots.py.

Types `:kubectl exec -it sample-` on the demo cluster, as a learner of the notes would, and
waits (with a deadline) until the completions show: the pods of the live view above the line,
the first one in grey after the cursor. The history of a few notes' commands is there too.
"""

from __future__ import annotations

from pathlib import Path

from screenshot_waiting import waiter
from kubetui.ui.app import KubetuiApp
from kubetui.ui.views import PodsView
from kubetui.ui.workspace import WorkspaceScreen

TYPED = "kubectl exec -it sample-"


async def capture_command_line(conn, out: Path, size: tuple[int, int], timeout: float = 90.0) -> bool:
    app = KubetuiApp(conn)
    async with app.run_test(size=size) as pilot:
        workspace = next(s for s in app.screen_stack if isinstance(s, WorkspaceScreen))
        wait = waiter(timeout)

        pods = workspace.query_one(PodsView)
        ok = await wait(lambda: (row := pods.table.row("default/sample-2pod")) is not None and row.ready == "2/2")
        line = workspace.command_line
        await pilot.press("colon", *TYPED)
        ok &= await wait(lambda: "sample-2pod" in str(line.hints.render())
                         and line.input._suggestion == TYPED + "2pod")
        pods.view.tick(app.now())  # AGE as of this frame
        await pilot.pause()
        app.save_screenshot(filename=out.name, path=str(out.parent))
        await pilot.press("escape", "q")
    return ok
