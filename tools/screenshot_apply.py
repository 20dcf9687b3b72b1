"""The apply panel's picture for the README (screenshots/apply.svg), called by make_screenshots.py.

Opens the panel on the demo cluster, picks Samples/sample-2pod.yaml, changes the redis image in
the editor and asks for a dry run, so the picture shows the live table beside the file, its
plan and the diff of what would change. Waits on conditions with a deadline, never on time.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

from kubetui.ui.app import KubetuiApp
from kubetui.ui.apply_dock import ApplyDock
from kubetui.ui.views.pods import PodsView
from kubetui.ui.workspace import WorkspaceScreen

EXAMPLE = """apiVersion: v1
kind: ConfigMap
metadata:
  name: web-settings
data:
  greeting: hello
"""


async def _until(predicate, deadline: float) -> bool:
    while not predicate():
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(0.05)  # poll interval; the condition or the deadline ends the wait
    return True


async def capture_apply(conn, out: Path, size: tuple[int, int], workdir: Path, timeout: float = 30.0) -> bool:
    folder = workdir / "manifests"
    folder.mkdir(exist_ok=True)
    (folder / "web-settings.yaml").write_text(EXAMPLE)
    here = Path.cwd()
    os.chdir(workdir)  # the browser shows ./manifests/, as after `cd project && kubetui`
    try:
        app = KubetuiApp(conn, manifests_dir=folder)
        async with app.run_test(size=size) as pilot:
            workspace = next(s for s in app.screen_stack if isinstance(s, WorkspaceScreen))
            screen = workspace.query_one(PodsView)
            deadline = time.monotonic() + timeout
            await _until(lambda: screen.table.row("default/sample-2pod") is not None, deadline)
            await pilot.press("a")
            panel = workspace.query_one(ApplyDock)
            panel.browser.select_sample("sample-2pod.yaml")
            await _until(lambda: panel.source.name == "sample-2pod.yaml", deadline)
            panel.editor.load_text(panel.editor.text.replace("redis:3.2", "redis:7.2"))
            # The demo seeded the pod with kubectl's client-side apply, which owns the image: take
            # it over, so the plan shows the diff (without force it shows the conflict).
            panel.query_one("#apply-force").value = True
            await pilot.press("f2")
            ok = await _until(lambda: "Plan" in panel.results.summary, deadline)
            workspace.set_focus(screen.view)
            screen.view.tick(screen.view.now)
            await pilot.pause()
            app.save_screenshot(filename=out.name, path=str(out.parent))
            await pilot.press("q")
    finally:
        os.chdir(here)
    return ok
