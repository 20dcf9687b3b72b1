"""Log tabs in the app, on a local cluster whose kubelets run the containers' scripts: `l` opens
a tab that follows, Esc goes back to the view while it keeps following, restarts and
deletions show as lines, `p` reads the previous instance, `C` switches containers."""

from __future__ import annotations

import re

from log_tab_support import (  # noqa: F401 (fixtures)
    log_app, log_cluster, log_ns, log_raw, open_logs, rows, rows_say,
)
from pilot_helpers import run_app, workspace

from kubetui.model.log_lines import deleted_marker
from kubetui.ui.sessions import VIEWS_PANE
from kubetui.ui.widgets.pod_table import PodTableView
from tests.support.pods import pod_manifest, script_container
from tests.support.waiting import until, wait_for

TICKER = 'while true; do echo "tick at $(date +%H:%M:%S)"; sleep 25; done'  # a line each 0.5 s


def ticks(lines: list[str]) -> list[str]:
    """The times of the tick lines shown, in order."""
    return [found.group(1) for line in lines if (found := re.fullmatch(r"tick at (\S+)", line))]


def test_l_opens_a_tab_that_follows_and_esc_goes_back_while_it_keeps_following(log_raw, log_ns, log_app):
    log_raw.create_pod(log_ns, pod_manifest("ticker", script_container("app", TICKER)))
    app = log_app(log_ns)

    async def scenario(pilot):
        tab = await open_logs(pilot, app, "ticker")
        area = workspace(app).sessions
        assert str(area.get_tab(area.active).label) == "log ticker/app"
        assert app.focused is tab.view
        first = await rows_say(tab, lambda shown: ticks(shown), "the first lines")
        later = await rows_say(tab, lambda shown: ticks(shown) and ticks(shown)[-1] > ticks(first)[-1], "newer lines")
        assert ticks(later) == sorted(ticks(later)), "oldest line on top"
        await until(lambda: tab.view.lines_shown()[-1] == tab.view.ring.appended - 1,
                    message="following: the newest line on the bottom row")
        assert "following" in tab.status_text() and "live" in tab.status_text()

        await pilot.press("escape")
        await until(lambda: area.active == VIEWS_PANE, message="the views tab")
        await until(lambda: isinstance(app.focused, PodTableView), message="the pod table focused")
        seen = tab.view.ring.appended
        await until(lambda: tab.view.ring.appended > seen, message="the hidden tab still following")
        assert tab in area.sessions

    run_app(app, scenario)


def test_a_restart_keeps_the_tab_with_a_marker_line(log_raw, log_ns, log_app):
    log_raw.create_pod(log_ns, pod_manifest(
        "crasher", script_container("app", 'echo "run at $(date +%H:%M:%S)"; sleep 50; exit 1')))
    app = log_app(log_ns)

    async def scenario(pilot):
        tab = await open_logs(pilot, app, "crasher")
        shown = await rows_say(tab, lambda shown: any("container restarted (instance" in line for line in shown),
                               "a restart marker", timeout=30)
        marker = next(i for i, line in enumerate(shown) if "container restarted (instance" in line)
        await rows_say(tab, lambda now: any(line.startswith("run at") for line in now[marker + 1:]),
                       "the new instance's first line after the marker")
        assert tab.state.kind in ("live", "waiting")

    run_app(app, scenario)


def test_a_deleted_pod_ends_the_stream_with_a_clear_line(log_raw, log_ns, log_app):
    log_raw.create_pod(log_ns, pod_manifest("short", script_container("app", TICKER)))
    app = log_app(log_ns)

    async def scenario(pilot):
        tab = await open_logs(pilot, app, "short")
        await rows_say(tab, lambda shown: ticks(shown), "the first lines")
        log_raw.request("DELETE", f"/api/v1/namespaces/{log_ns}/pods/short?gracePeriodSeconds=0")
        shown = await rows_say(tab, lambda shown: deleted_marker().decode() in shown, "the deletion line")
        assert [line for line in shown if line][-1] == deleted_marker().decode()
        await until(lambda: tab.state is not None and tab.state.kind == "ended", message="the stream ended")
        assert "ended" in tab.status_text()

    run_app(app, scenario)


def test_p_reads_the_previous_instance_as_kubectl_logs_previous_does(log_cluster, log_raw, log_ns, log_app):
    # each instance says when it started, so two instances never print the same line
    log_raw.create_pod(log_ns, pod_manifest(
        "crasher", script_container("app", 'echo "run at $(date +%H:%M:%S)"; echo bye; sleep 150; exit 1')))
    pod_path = f"/api/v1/namespaces/{log_ns}/pods/crasher"
    wait_for(lambda: restarts(log_raw.json("GET", pod_path)) >= 1, timeout=30, message="a first restart")
    app = log_app(log_ns)

    async def scenario(pilot):
        tab = await open_logs(pilot, app, "crasher")
        await rows_say(tab, lambda shown: any(line.startswith("run at") for line in shown), "the current instance")
        before = kubectl_logs(log_cluster, log_ns, "crasher", "--previous")
        await pilot.press("p")
        await until(lambda: tab.state is not None and tab.state.kind == "ended", message="the previous instance read")
        shown = [line for line in rows(tab) if line]
        after = kubectl_logs(log_cluster, log_ns, "crasher", "--previous")
        assert shown in (before, after), (shown, before, after)  # a restart may fall between the reads
        assert "previous instance" in tab.status_text()
        assert "read in full" in tab.status_text()

        await pilot.press("p")  # back to following the current instance
        await until(lambda: tab.state is not None and tab.state.kind in ("live", "waiting"), message="following")
        assert "previous instance" not in tab.status_text()

    run_app(app, scenario)


def restarts(pod: dict) -> int:
    return sum(status.get("restartCount", 0) for status in pod.get("status", {}).get("containerStatuses") or [])


def kubectl_logs(log_cluster, namespace: str, *args: str) -> list[str]:
    return log_cluster.kubectl("-n", namespace, "logs", *args).stdout.splitlines()


def test_p_on_a_container_that_never_restarted_says_what_kubectl_says(log_cluster, log_raw, log_ns, log_app):
    log_raw.create_pod(log_ns, pod_manifest("steady", script_container("app", "echo up; sleep 3600")))
    app = log_app(log_ns)

    async def scenario(pilot):
        tab = await open_logs(pilot, app, "steady")
        await rows_say(tab, lambda shown: "up" in shown, "the current instance")
        await pilot.press("p")
        shown = await rows_say(tab, lambda shown: any("previous terminated container" in line for line in shown),
                               "the server's answer")
        result = log_cluster.kubectl("-n", log_ns, "logs", "steady", "-p", check=False)
        assert result.returncode == 1
        assert f"──── {result.stderr.strip()} ────" in shown

    run_app(app, scenario)
