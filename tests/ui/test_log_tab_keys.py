"""A log tab's keys in the app, on a local cluster whose kubelets run the containers' scripts:
search with highlights, one container or all of them, timestamps, since/tail, save, clear, and
`?` listing them."""

from __future__ import annotations

import re

from log_tab_support import (  # noqa: F401 (fixtures)
    log_app, log_cluster, log_ns, log_raw, open_logs, rows, rows_say,
)
from pilot_helpers import run_app

from kubetui.ui.screens.help import HelpScreen
from kubetui.ui.screens.log_container_picker import LogContainerPicker
from kubetui.ui.widgets.log_tab import LogTab
from tests.support.pods import pod_manifest, script_container
from tests.support.waiting import until

WORDS = "echo alpha one; echo beta two; echo gamma three; echo BETA four; sleep 3600"


def match(tab: LogTab):
    return tab.view.get_component_rich_style("log-view--match", partial=True)


def current_match(tab: LogTab):
    return tab.view.get_component_rich_style("log-view--current-match", partial=True)


def styled(tab: LogTab, style) -> list[str]:
    """Texts drawn with ``style``'s background, row by row."""
    found = []
    for y in range(tab.view.size.height):
        found += [segment.text for segment in tab.view.render_line(y)
                  if segment.style is not None and segment.style.bgcolor == style.bgcolor]
    return found


def test_search_highlights_every_match_and_n_and_shift_n_move_between_them(log_raw, log_ns, log_app):
    log_raw.create_pod(log_ns, pod_manifest("words", script_container("app", WORDS)))
    app = log_app(log_ns)

    async def scenario(pilot):
        tab = await open_logs(pilot, app, "words")
        await rows_say(tab, lambda shown: "BETA four" in shown, "the lines")
        await pilot.press("slash", "b", "e", "t", "a")
        await until(lambda: styled(tab, match(tab)) == ["beta", "BETA"], message="matches highlighted")
        await pilot.press("enter")
        # Enter: the newest match is the current one; the search line closes, the view has the focus
        await until(lambda: styled(tab, current_match(tab)) == ["BETA"], message="the newest match")
        assert styled(tab, match(tab)) == ["beta"]
        assert app.focused is tab.view and "/beta" in tab.status_text()
        assert not tab.view.follow, "a match holds the view still"

        await pilot.press("N")
        await until(lambda: styled(tab, current_match(tab)) == ["beta"], message="the older match")
        await pilot.press("N")
        await until(lambda: any("no match above" in n.message for n in app._notifications), message="the end said")
        await pilot.press("n")
        await until(lambda: styled(tab, current_match(tab)) == ["BETA"], message="the newer match")

        await pilot.press("slash", "escape")  # Esc in the search line clears the search
        await until(lambda: not styled(tab, match(tab)) and tab.view.search is None, message="cleared")

        await pilot.press("slash", "left_square_bracket", "p", "o", "d", "enter")  # not a valid regex: literal
        await until(lambda: any("no line matches '[pod'" in n.message for n in app._notifications),
                    message="one clear line for a search that finds nothing")

    run_app(app, scenario)


def test_shift_c_switches_to_all_containers_with_coloured_prefixes_then_to_one(log_raw, log_ns, log_app):
    log_raw.create_pod(log_ns, pod_manifest("two",
                                            script_container("first", "echo from first; echo first again; sleep 3600"),
                                            script_container("second", "echo from second; sleep 3600")))
    app = log_app(log_ns)

    async def scenario(pilot):
        tab = await open_logs(pilot, app, "two")
        await rows_say(tab, lambda shown: "first again" in shown, "the default container")
        assert "from second" not in rows(tab)
        assert "two/first" in tab.status_text()

        await pilot.press("C")
        picker = await until(lambda: isinstance(app.screen, LogContainerPicker) and app.screen, message="picker")
        await pilot.press("home", "enter")  # "all containers" comes first
        expected = ["[pod/two/first] from first", "[pod/two/first] first again", "[pod/two/second] from second"]
        shown = await rows_say(tab, lambda shown: sorted(line for line in shown if line) == sorted(expected),
                               "both containers, prefixed")
        assert picker is not app.screen and "two, all containers" in tab.status_text()
        colours = {}
        for y, line in enumerate(shown[:3]):
            prefix = next(iter(tab.view.render_line(y)))
            colours.setdefault(line.split("]")[0], set()).add(prefix.style.color)
        assert all(len(seen) == 1 for seen in colours.values()), "one colour per source"
        assert len({next(iter(seen)) for seen in colours.values()}) == 2, "a colour of its own for each source"

        await pilot.press("C")
        await until(lambda: isinstance(app.screen, LogContainerPicker), message="picker")
        await pilot.press("end", "enter")  # the last container: second
        await rows_say(tab, lambda shown: [line for line in shown if line] == ["from second"], "the second only")
        assert "two/second" in tab.status_text()

    run_app(app, scenario)


def test_t_adds_the_servers_timestamps_as_kubectl_prints_them(log_cluster, log_raw, log_ns, log_app):
    log_raw.create_pod(log_ns, pod_manifest("words", script_container("app", WORDS)))
    app = log_app(log_ns)

    async def scenario(pilot):
        tab = await open_logs(pilot, app, "words")
        await rows_say(tab, lambda shown: "BETA four" in shown, "the lines")
        await pilot.press("t")
        shown = await rows_say(tab, lambda shown: any(line.endswith("BETA four") and line != "BETA four"
                                                      for line in shown), "stamped lines")
        kubectl = log_cluster.kubectl("-n", log_ns, "logs", "words", "--timestamps", check=False).stdout.splitlines()
        assert [line for line in shown if line] == kubectl
        assert all(re.match(r"\d{4}-\d\d-\d\dT\S+Z ", line) for line in kubectl)
        assert "timestamps" in tab.status_text()

    run_app(app, scenario)


def test_r_cycles_the_range_and_reads_again(log_raw, log_ns, log_app):
    log_raw.create_pod(log_ns, pod_manifest("words", script_container("app", WORDS)))
    app = log_app(log_ns)

    async def scenario(pilot):
        tab = await open_logs(pilot, app, "words")
        await rows_say(tab, lambda shown: "BETA four" in shown, "the lines")
        assert "last 1,000 lines" in tab.status_text()
        await pilot.press("r")
        assert "since 1m" in tab.status_text() and tab.options.since_seconds == 60 and tab.options.tail_lines is None
        await rows_say(tab, lambda shown: "alpha one" in shown, "read again since a minute ago")
        await pilot.press("R")
        assert "last 1,000 lines" in tab.status_text() and tab.options.tail_lines == 1000

    run_app(app, scenario)


def test_ctrl_s_saves_the_kept_lines_and_says_where_and_ctrl_l_clears(log_raw, log_ns, log_app, tmp_path):
    log_raw.create_pod(log_ns, pod_manifest("words", script_container("app", WORDS)))
    app = log_app(log_ns)

    async def scenario(pilot):
        tab = await open_logs(pilot, app, "words")
        await rows_say(tab, lambda shown: "BETA four" in shown, "the lines")
        await pilot.press("ctrl+s")
        notice = await until(lambda: [n.message for n in app._notifications if "saved to" in n.message],
                             message="where the file went")
        saved = list(tmp_path.glob("words-app-*.log"))
        assert len(saved) == 1 and str(saved[0]) in notice[0] and "4 lines" in notice[0]
        assert saved[0].read_text() == "alpha one\nbeta two\ngamma three\nBETA four\n"

        await pilot.press("ctrl+l")
        await until(lambda: [line for line in rows(tab) if line] == ["cleared: new lines show here"], message="cleared")
        assert len(tab.view.ring) == 0

    run_app(app, scenario)


def test_question_mark_lists_the_log_tabs_keys(log_raw, log_ns, log_app):
    log_raw.create_pod(log_ns, pod_manifest("words", script_container("app", WORDS)))
    app = log_app(log_ns)

    async def scenario(pilot):
        await open_logs(pilot, app, "words")
        await pilot.press("question_mark")
        help_screen = await until(lambda: isinstance(app.screen, HelpScreen) and app.screen, message="help")
        shown = dict(help_screen._rows)
        await pilot.press("escape")
        for keys, words in [("f", "Follow"), ("w", "Wrap"), ("t", "Timestamps"), ("p", "Previous"),
                            ("/", "Search"), ("n", "Next match"), ("shift+n", "Previous match"),
                            ("r", "Since / tail"), ("ctrl+s", "Save"), ("ctrl+l", "Clear"), ("Esc", "Back")]:
            assert words in shown.get(keys, ""), (keys, shown)
        assert "shift+c" not in shown, "one container: nothing to choose"

    run_app(app, scenario)


def test_a_save_that_cannot_be_written_says_why_in_one_line(log_cluster, log_raw, log_ns, tmp_path):
    from kubetui.kube.contexts import connect
    from kubetui.ui.app import KubetuiApp

    log_raw.create_pod(log_ns, pod_manifest("words", script_container("app", WORDS)))
    gone = tmp_path / "gone"
    app = KubetuiApp(connect(str(log_cluster.kubeconfig), None, log_ns), manifests_dir=gone)

    async def scenario(pilot):
        tab = await open_logs(pilot, app, "words")
        await rows_say(tab, lambda shown: "BETA four" in shown, "the lines")
        await pilot.press("ctrl+s")
        notice = await until(lambda: [n for n in app._notifications if n.title == "Save"], message="the failure")
        assert notice[0].message == f"could not save the log in {gone}: No such file or directory"
        assert "BETA four" in rows(tab), "nothing lost"

    try:
        run_app(app, scenario)
    finally:
        app.connection.close()
