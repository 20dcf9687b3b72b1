"""Why a pod fails, at a glance: with the cursor on a pod whose STATUS is an error, a line under
the table names the failing container, its last exit and the telling line of its last log."""

from __future__ import annotations

import re

from inspect_harness import app_on, cursor_on, seeded  # noqa: F401 (fixtures)
from pilot_helpers import pods_view, run_app, until

from kubetui.ui.widgets.failure_line import FailureLine

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
        await until(lambda: line.display and BIND_ERROR in line.text, timeout=15, message="the bind error")
        assert line.text.startswith("sample-port-clash — nginx-container-2: ")
        assert "last exit code 1 (Error)" in line.text

        # Never about an older instance than the row: after the next restart it says the new count.
        def in_step() -> bool:
            row = view.table.row("default/sample-port-clash")
            found = re.search(r"restarts (\d+)", line.text)
            return row.status == "CrashLoopBackOff" and found and int(found.group(1)) == row.restart_count
        first = view.table.row("default/sample-port-clash").restart_count
        await until(lambda: view.table.row("default/sample-port-clash").restart_count > first, timeout=60,
                    message="another restart")
        await until(in_step, timeout=15, message="the line following the restart count")
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
        await until(lambda: line.display and "nginx-container: " in line.text and "reading" not in line.text,
                    message="why it fails")
        assert 'nginx:doesnotexist' in line.text and "not found" in line.text

        await cursor_on(pilot, app, "sample-pod")
        await until(lambda: not line.display, message="no line for a running pod")
        assert pods_view(app).query_one("#failure-line").display is False

    run_app(app, scenario)
