"""`d`: a tab with what kubectl describe prints, live, searchable, and Esc back to the views —
on a seeded local cluster where sample-port-clash crash-loops (its second nginx cannot bind)."""

from __future__ import annotations

import asyncio
import gc
import threading
import weakref
from datetime import datetime, timezone

from inspect_harness import app_on, cursor_on, kubectl_on, new_tab, seeded  # noqa: F401 (fixtures)
from pilot_helpers import pods_view, run_app, workspace

from kubetui.ui.views import ResourcesView
from tests.support.waiting import wait_for
from tests.support.waiting import until


def visible_matches(pager) -> list[str]:
    """Texts drawn with a background the line's own style does not have (the highlights)."""
    found = []
    top, height = round(pager.scroll_y), pager.scrollable_content_region.height
    base = pager.rich_style.bgcolor
    for y in range(height):
        if top + y >= len(pager.lines):
            break
        found += [segment.text for segment in pager.render_line(y) if segment.style and segment.style.bgcolor
                  and segment.style.bgcolor != base]
    return found


def test_d_on_a_crash_looping_pod_describes_it_as_kubectl_with_its_last_state_and_backoff(app_on):
    app = app_on()

    async def scenario(pilot):
        await until(lambda: (row := pods_view(app).table.row("default/sample-port-clash")) and row.restart_count,
                    timeout=30, message="sample-port-clash restarted once")
        await cursor_on(pilot, app, "sample-port-clash")
        tab = await new_tab(pilot, app, "d")
        assert tab.subject == "pod/sample-port-clash in default"
        await until(lambda: "BackOff" in tab.view.text, timeout=30, message="the BackOff event (the tab refreshes)")
        text = tab.view.text
        assert text.startswith("Name:             sample-port-clash\nNamespace:        default\n")
        assert "    Last State:     Terminated\n" in text and "      Exit Code:    1\n" in text
        backoff = [line for line in text.splitlines() if " BackOff " in line]
        assert backoff and backoff[0].lstrip().startswith("Warning  BackOff")
        assert "Back-off restarting failed container nginx-container-2" in backoff[0]
        assert "live, updated" in tab.status_text

    run_app(app, scenario)


def test_slash_highlights_matches_n_and_shift_n_move_and_esc_goes_back_leaving_the_tab(app_on):
    app = app_on()

    async def scenario(pilot):
        await cursor_on(pilot, app, "sample-2pod")
        tab = await new_tab(pilot, app, "d")
        pager = tab.view
        # The describe is live: a pod still starting adds event rows (and matches) as the search
        # runs; once both containers have started, only the ages move.
        await until(lambda: all(f"spec.containers{{{name}}}: Container started" in pager.text
                                for name in ("nginx-container", "redis-container")),
                    timeout=60, message="both containers of sample-2pod started")
        await pilot.press("slash", *"nginx-container", "enter")
        assert len(pager.matches) >= 4 and pager.current == 0
        assert app.focused is pager and not tab.search_line.display
        assert any(text.lower() == "nginx-container" for text in visible_matches(pager))
        assert "1/" in tab.status_text and "matches for “nginx-container”" in tab.status_text

        first = pager.matches[0]
        await pilot.press("n")
        assert pager.current == 1 and pager.matches[1] != first
        line = pager.current_line
        assert round(pager.scroll_y) <= line < round(pager.scroll_y) + pager.scrollable_content_region.height
        await pilot.press("N")
        assert pager.current == 0
        await pilot.press("N")  # wraps to the last match
        assert pager.current == len(pager.matches) - 1

        await pilot.press("slash", "escape")  # Esc in the search line: no search any more
        assert pager.matches == [] and app.focused is pager

        await pilot.press("escape")  # Esc in the text: back to the pods, the tab stays
        sessions = workspace(app).sessions
        await until(lambda: sessions.active_session() is None and app.focused is pods_view(app).view,
                    message="the pods view shown and focused")
        assert tab in sessions.sessions
        await pilot.press("d")  # the same pod again: its tab, not a second one
        await until(lambda: sessions.active_session() is tab, message="the open tab shown again")
        assert len([s for s in sessions.sessions if s.subject == tab.subject]) == 1

    run_app(app, scenario)


def post_event(app, pod: str, name: str, message: str) -> None:
    """A Normal event about ``pod`` in default, as a controller would post it."""
    from kubernetes.client import CoreV1Api

    api = CoreV1Api(app.connection.api_client)
    uid = api.read_namespaced_pod(pod, "default").metadata.uid
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    api.create_namespaced_event("default", {
        "metadata": {"name": name, "namespace": "default"},
        "involvedObject": {"apiVersion": "v1", "kind": "Pod", "namespace": "default", "name": pod, "uid": uid},
        "reason": "Tested", "message": message, "type": "Normal", "source": {"component": "the-test"},
        "firstTimestamp": now, "lastTimestamp": now, "count": 1,
    })


def test_an_event_posted_for_the_pod_appears_where_the_reader_scrolled_and_searched(app_on):
    app = app_on()

    async def scenario(pilot):
        await cursor_on(pilot, app, "sample-pod")
        tab = await new_tab(pilot, app, "d")
        await pilot.press("slash", *"sample-pod", "enter")
        matches = len(tab.view.matches)
        assert matches >= 2
        await pilot.press("pagedown")
        offset, current = round(tab.view.scroll_y), tab.view.current
        assert offset > 0

        post_event(app, "sample-pod", "sample-pod.tested-1", "sample-pod was looked at")
        await until(lambda: " Tested " in tab.view.text, timeout=10, message="the new event in the tab")
        line = next(line for line in tab.view.text.splitlines() if "Tested" in line)
        assert line.split()[:2] == ["Normal", "Tested"] and line.split()[3:] == "the-test sample-pod was looked at".split()
        assert round(tab.view.scroll_y) == offset and tab.view.current == current
        assert len(tab.view.matches) == matches + 1  # the new message matches too: highlighted with the rest
        assert "live, updated" in tab.status_text

    run_app(app, scenario, size=(160, 24))


def test_a_burst_of_events_is_read_once(app_on):
    app = app_on()

    async def scenario(pilot):
        await until(lambda: (row := pods_view(app).table.row("default/sample-pod")) and row.ready == "1/1",
                    timeout=30, message="sample-pod settled")
        await cursor_on(pilot, app, "sample-pod")
        tab = await new_tab(pilot, app, "d")
        reads = tab.reads
        # The UI loop is held meanwhile (nothing awaits): the watch takes every event in, the tab
        # is told once and reads them all together when the loop runs again.
        for number in range(30):
            post_event(app, "sample-pod", f"sample-pod.burst-{number}", f"burst {number}")
        wait_for(lambda: sum("burst" in event["message"] for event in tab.session.snapshot().events) == 30,
                 message="the watch has the 30 events")
        await until(lambda: tab.view.text.count(" burst ") == 30, message="the 30 events in the tab")
        assert tab.reads == reads + 1

    run_app(app, scenario)


def test_a_deleted_object_keeps_its_last_text_and_the_tab_says_it_was_deleted(app_on, kubectl_on):
    app = app_on()
    kubectl_on("run", "short-lived", "--image=nginx:1.25", "-n", "default")

    async def scenario(pilot):
        await cursor_on(pilot, app, "short-lived")
        tab = await new_tab(pilot, app, "d")
        text = tab.view.text
        assert text.startswith("Name:             short-lived\n")
        kubectl_on("delete", "pod", "short-lived", "-n", "default", "--grace-period=0", "--force")
        await until(lambda: "deleted at " in tab.status_text, timeout=10, message="the tab saying so")
        assert tab.view.text.startswith("Name:             short-lived\n")  # as it was last

    run_app(app, scenario)


def test_x_closes_the_tab_its_watches_end_and_nothing_keeps_it(app_on):
    app = app_on()

    async def scenario(pilot):
        await cursor_on(pilot, app, "sample-pod")
        before = {thread.ident for thread in threading.enumerate()}
        tab = await new_tab(pilot, app, "d")
        follow = tab.session
        kept = [weakref.ref(tab), weakref.ref(follow), weakref.ref(tab.view)]
        del tab
        await pilot.press("x")
        await until(lambda: not workspace(app).sessions.sessions, message="the tab closed")
        assert await asyncio.to_thread(follow.join, 5.0), "the watches ended"
        del follow
        await until(lambda: not [thread for thread in threading.enumerate() if thread.ident not in before
                                 and thread.name.startswith("kubetui-")], message="no watch thread left")
        await until(lambda: gc.collect() is not None and all(ref() is None for ref in kept), timeout=30,
                    message="the closed tab freed")

    run_app(app, scenario)


def test_d_on_a_deployment_describes_it_as_kubectl_does(app_on, kubectl_on):
    app = app_on()

    async def scenario(pilot):
        await pilot.press("colon", *"deploy", "enter")
        view = await until(lambda: isinstance(workspace(app).view, ResourcesView) and workspace(app).view,
                           message="the deployments view")
        await until(lambda: view.table.select("default/sample-deployment"), message="the deployment listed")
        tab = await new_tab(pilot, app, "d")
        assert tab.subject == "deployment.apps/sample-deployment in default"
        expected = kubectl_on("describe", "deployment", "sample-deployment", "-n", "default")
        # Everything above the events (their ages tick) is kubectl's, line for line.
        assert tab.view.text.split("\nEvents:")[0] == expected.split("\nEvents:")[0]

    run_app(app, scenario)
