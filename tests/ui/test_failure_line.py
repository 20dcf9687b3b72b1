"""Why a pod fails, at a glance: with the cursor on a pod whose STATUS is an error, a line under
the table names the failing container, its last exit and the telling line of its last log; `l`
follows that container's log."""

from __future__ import annotations

from inspect_harness import app_on, cursor_on, seeded  # noqa: F401 (fixtures)
from pilot_helpers import pods_view, run_app, screen_text, workspace

from kubetui.ui.widgets.failure_line import FailureLine
from kubetui.ui.widgets.log_tab import LogTab
from pilot_helpers import pods_view, run_app, screen_text

from kubetui.ui.widgets.failure_line import FailureLine
from tests.support.waiting import until

BIND_ERROR = "bind() to 0.0.0.0:80 failed (98: Address already in use)"


def failure_line(app) -> FailureLine:
    return pods_view(app).query_one(FailureLine)


def test_the_port_clash_shows_nginx_bind_error_and_follows_the_restarts(app_on):
    app = app_on()

    async def scenario(pilot):
        view = pods_view(app)
        await until(lambda: (row := view.table.row("default/sample-port-clash")) and row.status == "CrashLoopBackOff",
                    timeout=30, message="sample-port-clash in CrashLoopBackOff")
        await cursor_on(pilot, app, "sample-port-clash")
        line = failure_line(app)
        await until(lambda: BIND_ERROR in line.text, timeout=15, message="the bind error")
        assert line.text.startswith("nginx-container-2: CrashLoopBackOff · last exit 1 (Error) · log: nginx: ")
        # the line under the table is on screen, and says it
        assert any(BIND_ERROR[:40] in text for text in screen_text(app).splitlines())

        # Never about an older instance than the row: after the next restart it is read again.
        def answers_the_row() -> bool:
            row = view.table.row("default/sample-port-clash")
            return line.answer_for == (row.namespace, row.name, row.uid, row.status, row.restart_count)
        await until(answers_the_row, message="the line answering for the row")
        first = line.answer_for
        await until(lambda: view.table.row("default/sample-port-clash").restart_count > first[4], timeout=60,
                    message="another restart")
        await until(lambda: answers_the_row() and line.answer_for[4] > first[4], timeout=15,
                    message="the line read again for the new restart count")
        assert BIND_ERROR in line.text

    run_app(app, scenario)


def test_an_image_that_cannot_be_pulled_says_why_and_a_running_pod_shows_no_line(app_on):
    app = app_on()

    async def scenario(pilot):
        view = pods_view(app)
        await until(lambda: (row := view.table.row("default/sample-imagepull")) and row.status in (
            "ImagePullBackOff", "ErrImagePull"), timeout=30, message="sample-imagepull failing")
        await cursor_on(pilot, app, "sample-imagepull")
        line = failure_line(app)
        await until(lambda: "nginx-container: " in line.text and "reading" not in line.text,
                    message="why it fails")
        assert 'nginx:doesnotexist' in line.text and "not found" in line.text

        await cursor_on(pilot, app, "sample-pod")
        await until(lambda: line.text == "", message="no words for a running pod")
        assert not str(pods_view(app).query_one("#failure-line").render()).strip()

    run_app(app, scenario)


def test_l_on_the_port_clash_follows_the_failing_container_not_kubectls_default(app_on):
    app = app_on()

    async def scenario(pilot):
        view = pods_view(app)
        await until(lambda: (row := view.table.row("default/sample-port-clash")) and row.restart_count,
                    timeout=30, message="sample-port-clash restarted")
        await cursor_on(pilot, app, "sample-port-clash")
        await pilot.press("l")
        sessions = workspace(app).sessions
        tab = await until(lambda: isinstance(sessions.active_session(), LogTab) and sessions.active_session(),
                          message="the log tab")
        assert tab.target.container == "nginx-container-2"  # kubectl's default would be nginx-container-1
        await until(lambda: any(BIND_ERROR in line.decode() for line in tab.view.snapshot()), timeout=15,
                    message="nginx's bind error in the tab")

    run_app(app, scenario)
