"""The exec screenshot: shells in sample-2pod, the notes' commands, tabs beside the table.

Called by make_screenshots.py on the same demo cluster: selects sample-2pod, presses `s`, picks
nginx-container in the picker, goes back to the pod table, opens a second session in
redis-container the same way, types the study notes' checks there, and saves the SVG.
"""

from __future__ import annotations

from pathlib import Path

from screenshot_waiting import waiter
from kubetui.ui.app import KubetuiApp
from kubetui.ui.screens.container_picker import ContainerPicker
from kubetui.ui.views.pods import PodsView
from kubetui.ui.workspace import WorkspaceScreen
from kubetui.ui.widgets.exec_tab import ExecTab

COMMANDS = ["hostname", 'ip a | grep "inet "', "ps aux"]  # from the notes' "명령어 실행" section


async def capture_exec(conn, out: Path, size: tuple[int, int], timeout: float = 90.0) -> bool:
    app = KubetuiApp(conn)
    async with app.run_test(size=size) as pilot:
        workspace = next(s for s in app.screen_stack if isinstance(s, WorkspaceScreen))
        screen = workspace.query_one(PodsView)
        wait = waiter(timeout)

        ok = await wait(lambda: (row := screen.table.row("default/sample-2pod")) is not None
                        and row.ready == "2/2")
        tab = None
        for container in ("nginx-container", "redis-container"):
            screen.table.select("default/sample-2pod")
            screen.view.table_changed(None)
            await pilot.press("s")
            ok &= await wait(lambda: isinstance(app.screen, ContainerPicker))
            picker = app.screen
            picker.query_one("OptionList").highlighted = [c.name for c in picker.choices].index(container)
            await pilot.press("s")
            ok &= await wait(lambda: any(t.target.container == container for t in workspace.query(ExecTab)))
            tab = next(t for t in workspace.query(ExecTab) if t.target.container == container)
            ok &= await wait(lambda: tab.buffer.display()[0].rstrip().endswith("#"))
            if container == "nginx-container":
                await pilot.press("ctrl+right_square_bracket", "left_square_bracket")  # back to the pods
                ok &= await wait(lambda: workspace.sessions.active == "dashboard")
        for command in COMMANDS:
            tab.session.send(command.encode() + b"\r")  # typed as keys would be, in one go

            def answered() -> bool:
                lines = [line for line in tab.buffer.display() if line.strip()]
                return any(line.endswith(f"# {command}") for line in lines) and lines[-1].endswith("#")

            ok &= await wait(answered)
        await pilot.pause()
        app.save_screenshot(filename=out.name, path=str(out.parent))
        for each in workspace.query(ExecTab):
            each.close_session()
    return ok
