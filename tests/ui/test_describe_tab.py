"""`d`: a tab with what kubectl describe prints, live, searchable, and Esc back to the views —
on a seeded local cluster where sample-port-clash crash-loops (its second nginx cannot bind)."""

from __future__ import annotations

from inspect_harness import app_on, cursor_on, kubectl_on, new_tab, seeded  # noqa: F401 (fixtures)
from pilot_helpers import pods_view, run_app, workspace

from kubetui.ui.views import ResourcesView
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
        assert "live, read" in tab.status_text

    run_app(app, scenario)


def test_slash_highlights_matches_n_and_shift_n_move_and_esc_goes_back_leaving_the_tab(app_on):
    app = app_on()

    async def scenario(pilot):
        await cursor_on(pilot, app, "sample-port-clash")
        tab = await new_tab(pilot, app, "d")
        pager = tab.view
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


def test_the_text_refreshes_while_the_reader_stays_where_he_scrolled(app_on):
    app = app_on()

    async def scenario(pilot):
        await cursor_on(pilot, app, "sample-port-clash")
        tab = await new_tab(pilot, app, "d")
        await pilot.press("pagedown")
        offset = round(tab.view.scroll_y)
        assert offset > 0
        seen, before = tab.fetches, tab.view.text
        await until(lambda: tab.fetches >= seen + 2 and tab.view.text != before, timeout=15,
                    message="two more refreshes, the text changed (the events' ages tick)")
        assert round(tab.view.scroll_y) == offset

    run_app(app, scenario, size=(160, 24))


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
