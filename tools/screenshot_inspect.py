"""The inspect screenshots: why sample-port-clash fails, in its log tab and its describe tab.

Called by make_screenshots.py on the same demo cluster: waits (with a deadline) until
sample-port-clash has restarted and the kubelet has posted its BackOff event, puts the cursor on
it, presses `l` (the failing container's log, nginx's bind() error), `/bind` and `f` (following
again, the matches highlighted), saves the logs picture; Esc, then `d`, `/back-off` and `G`: the
end of the description, from the failing container (its Waiting state, Last State and exit code)
to the events, saved as the describe picture. The two are taller than the others (160x52), so
the container and its events fit in one picture.
"""

from __future__ import annotations

from pathlib import Path

from screenshot_waiting import waiter
from kubetui.ui.app import KubetuiApp
from kubetui.ui.views.pods import PodsView
from kubetui.ui.widgets.inspect_tab import InspectTab
from kubetui.ui.widgets.log_tab import LogTab
from kubetui.ui.workspace import WorkspaceScreen

KEY = "default/sample-port-clash"
BIND = "bind() to 0.0.0.0:80 failed"


async def capture_inspect(conn, logs_out: Path, describe_out: Path, size: tuple[int, int],
                          timeout: float = 120.0) -> bool:
    app = KubetuiApp(conn)
    async with app.run_test(size=size) as pilot:
        workspace = next(s for s in app.screen_stack if isinstance(s, WorkspaceScreen))
        pods = workspace.query_one(PodsView)
        wait = waiter(timeout)

        ok = await wait(lambda: (row := pods.table.row(KEY)) is not None and row.restart_count >= 2
                        and row.status == "CrashLoopBackOff")
        pods.table.select(KEY)
        pods.view.table_changed(None)
        await pilot.pause()

        await pilot.press("l")
        ok &= await wait(lambda: isinstance(workspace.sessions.active_session(), LogTab))
        log = workspace.sessions.active_session()
        ok &= await wait(lambda: any(BIND in line.decode(errors="replace") for line in log.view.snapshot()))
        await pilot.press("slash", *"bind", "enter", "f")  # Enter went to the newest match; f follows again
        await pilot.pause()
        app.save_screenshot(filename=logs_out.name, path=str(logs_out.parent))

        await pilot.press("escape")
        ok &= await wait(lambda: workspace.sessions.active_session() is None)
        await pilot.press("d")
        ok &= await wait(lambda: isinstance(workspace.sessions.active_session(), InspectTab))
        tab = workspace.sessions.active_session()
        ok &= await wait(lambda: "Back-off restarting failed container" in tab.view.text)
        await pilot.press("slash", *"back-off", "enter")
        await pilot.press("G")
        await pilot.pause()
        app.save_screenshot(filename=describe_out.name, path=str(describe_out.parent))
        for each in workspace.sessions.sessions:
            each.close_session()
    return ok
