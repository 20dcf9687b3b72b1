"""The composed main screen: the one error route, help and the palette where the focus is, the
clock the app is given. On the real local cluster, each test in its own namespace."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from apply_harness import apply_app, open_panel, results_say  # noqa: F401
from pilot_helpers import pods_view, run_app, screen_text, sessions_area, shown_names, table_lines, workspace

from pilot_helpers import pods_view, run_app, sessions_area, shown_names, table_lines, workspace
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.widgets import Static, Tabs

from kubetui.kube.applying import Applier
from kubetui.kube.contexts import connect
from kubetui.ui.app import KubetuiApp
from kubetui.ui.screens.help import HelpScreen
from kubetui.ui.sessions import VIEWS_PANE
from kubetui.ui.status_line import StatusLine
from kubetui.ui.views import VIEWS, PodsView, ResourceView
from kubetui.ui.widgets.cluster_header import ClusterHeader
from tests.support.pods import pod_manifest, sleeper
from tests.support.waiting import until


@pytest.fixture
def app_for(kubeconfig_path):
    """``app_for(namespace, **options)``: a KubetuiApp on the admin context; closes its connections."""
    apps = []

    def make(namespace, **options):
        app = KubetuiApp(connect(str(kubeconfig_path), None, namespace), **options)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.connection.close()


def notices(app) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]


async def help_rows_shown(pilot) -> dict[str, str]:
    """Press ? and read the help screen's rows as {keys: description}; the screen is closed again."""
    app = pilot.app
    await pilot.press("question_mark")
    help_screen = await until(lambda: isinstance(app.screen, HelpScreen) and app.screen, message="help")
    rows = dict(help_screen._rows)
    await pilot.press("escape")
    await until(lambda: not isinstance(app.screen, HelpScreen), message="help closed")
    return rows


def test_an_unexpected_error_in_an_apply_worker_is_reported_and_the_panel_recovers(
        raw, namespace, apply_app, cluster, state_home, monkeypatch):
    real_plan = Applier.plan

    def broken_plan(self, *args, **kwargs):  # a bug in kubetui's own code, with a secret in its words
        raise RuntimeError(f"simulated bug; request had Authorization: Bearer {cluster.token}")

    monkeypatch.setattr(Applier, "plan", broken_plan)
    log = state_home / "kubetui" / "kubetui.log"
    app = apply_app(namespace)

    async def scenario(pilot):
        panel = await open_panel(pilot)
        panel.editor.load_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n")
        await pilot.press("f2")
        await until(lambda: any(f"internal error — details in {log}" in n for n in notices(app)),
                    message="the internal-error notice naming the log file")
        await results_say(panel, f"Dry run failed: internal error — details in {log}")
        assert not any("Dry run…" in line for line in panel.results.lines()), "the panel is not left busy"
        assert not any("Traceback" in n for n in notices(app))
        assert f"details in {log}" in app.screen.query_one(StatusLine).text
        text = log.read_text()
        assert "Traceback" in text and "RuntimeError: simulated bug" in text
        assert cluster.token not in text, "the log never holds a token"

        monkeypatch.setattr(Applier, "plan", real_plan)  # the next request goes through again
        await pilot.press("f2")
        await results_say(panel, "configmap/settings will be created", message="a plan after the failure")
        assert app.is_running

    run_app(app, scenario)


def test_help_lists_the_keys_of_the_focused_component_with_human_names(raw, namespace, apply_app):
    app = apply_app(namespace)

    async def scenario(pilot):
        await until(lambda: pods_view(app).view.has_focus, message="the table focused")
        rows = await help_rows_shown(pilot)
        for keys, description in [("/", "Filter"), ("s", "Shell"), ("Enter", "Containers"), ("]", "Next tab"),
                                  ("[", "Prev tab"), ("<", "Wider apply panel"), (">", "Narrower apply panel"),
                                  ("a", "Apply panel"), ("?", "Help"), ("Esc", "Clear filter"),
                                  ("j / ↓", "Down"), ("shift+n", "Sort by name (again: reverse)")]:
            assert rows.get(keys) == description, (keys, rows)
        assert "F2" not in rows, "the apply panel's keys belong to the panel"

        panel = await open_panel(pilot)
        rows = await help_rows_shown(pilot)
        assert panel.browser.has_focus
        for keys, description in [("F2", "Dry run"), ("F3", "Apply"), ("F8", "Delete objects"), ("ctrl+s", "Save"),
                                  ("Esc", "Back"), ("a", "Apply panel")]:
            assert rows.get(keys) == description, (keys, rows)
        assert "/" not in rows and "s" not in rows, "the table's keys do not reach the panel"

        tab_bar = sessions_area(app).query_one(Tabs)
        tab_bar.focus()
        await until(lambda: tab_bar.has_focus, message="the tab bar focused")
        rows = await help_rows_shown(pilot)
        assert rows.get("Enter") == "Into the tab" and rows.get("]") == "Next tab"
        assert "Filter" not in rows.values()

    run_app(app, scenario)


def test_the_palette_offers_the_focused_views_actions_and_runs_them(raw, namespace, app_for):
    raw.create_pod(namespace, pod_manifest("solo", sleeper()))
    app = app_for(namespace)

    async def scenario(pilot):
        await until(lambda: "solo" in shown_names(app), message="the pod")
        await pilot.press("ctrl+p")
        palette = await until(lambda: isinstance(app.screen, CommandPalette) and app.screen, message="the palette")
        commands = palette.query_one(CommandList)
        await until(lambda: commands.option_count > 10, message="the commands listed")
        titles = " | ".join(str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count))
        for action in ("Filter", "Shell", "Exec command", "Containers", "Namespace", "All namespaces",
                       "Sort by name (again: reverse)", "Next tab", "Apply panel", "Context"):
            assert action in titles, (action, titles)
        await pilot.press(*"all namespaces")
        await until(lambda: "All namespaces" in str(commands.get_option_at_index(0).prompt),
                    message="the command found")
        await pilot.press("enter")
        await until(lambda: table_lines(app)[0].startswith("NAMESPACE"), message="all namespaces shown")
        assert pods_view(app).namespace is None

    run_app(app, scenario)


def test_the_age_column_reads_the_clock_the_app_is_given(raw, namespace, app_for):
    created = raw.create_pod(namespace, pod_manifest("aged", sleeper()))["metadata"]["creationTimestamp"]
    start = datetime.fromisoformat(created.replace("Z", "+00:00"))
    clock = {"now": start + timedelta(days=2, hours=5, minutes=7)}
    app = app_for(namespace, clock=lambda: clock["now"])

    def age() -> str:
        lines = table_lines(app)
        row = next((line for line in lines[1:] if line.startswith("aged")), "")
        return row[lines[0].index("AGE"):].split()[0] if row else ""

    async def scenario(pilot):
        await until(lambda: age() == "2d5h", message="AGE at the fixed time")
        clock["now"] = start + timedelta(days=3, hours=1)
        await until(lambda: age() == "3d1h", message="AGE after the clock moved")

    run_app(app, scenario)


class FocusableStatic(Static, can_focus=True):
    pass


class NotesView(ResourceView):
    """A second kind of view, as another module would add one: its own widget and its own key."""

    TITLE = "Notes"
    BINDINGS = [Binding("w", "write", "Write a note")]

    def compose(self):
        yield FocusableStatic(f"notes for {self.namespace}", id="notes")

    def focus_content(self) -> None:
        self.query_one("#notes").focus()

    def action_write(self) -> None:
        self.query_one("#notes", Static).update("a note")


def test_a_registered_view_replaces_the_pods_view_and_brings_its_keys(raw, namespace, app_for, monkeypatch):
    monkeypatch.setitem(VIEWS, "notes", NotesView)  # the one registration line
    raw.create_pod(namespace, pod_manifest("kept", sleeper()))
    app = app_for(namespace)

    async def scenario(pilot):
        await until(lambda: "kept" in shown_names(app), message="the pod")
        screen = workspace(app)
        notes = await screen.show_view("notes")
        area = sessions_area(app)
        assert str(area.get_tab(VIEWS_PANE).label) == "Notes"
        assert not screen.query(PodsView), "the pods view is gone, its watch stopped"
        await until(lambda: notes.query_one("#notes").has_focus, message="the new view focused")
        assert "namespace " + namespace in screen.query_one(ClusterHeader).render().plain
        rows = await help_rows_shown(pilot)
        assert rows.get("w") == "Write a note" and "/" not in rows
        await pilot.press("w")
        await until(lambda: "a note" in str(notes.query_one("#notes").render()), message="its key works")

        await screen.show_view("pods")
        await until(lambda: "kept" in shown_names(app), message="the pods again, same namespace")
        assert str(area.get_tab(VIEWS_PANE).label) == "Pods"

    run_app(app, scenario)


def test_the_header_counts_change_in_the_same_step_as_the_rows(raw, namespace, app_for):
    for name in ("web-1", "web-2", "db"):
        raw.create_pod(namespace, pod_manifest(name, sleeper()))
    app = app_for(namespace)

    async def scenario(pilot):
        await until(lambda: len(shown_names(app)) == 3, message="three pods")
        header = workspace(app).query_one(ClusterHeader)
        await until(lambda: header.total == 3, message="three pods counted")
        assert pods_view(app).apply_filter("web")
        # no await: nothing can be drawn in between, so the header never disagrees with the rows
        assert (header.filter_text, header.shown) == ("web", 2)
        assert "/web (2 shown)" in header.render().plain

    run_app(app, scenario)


def test_the_key_bar_follows_the_focus_keeps_help_in_sight_and_presses_a_clicked_key(raw, namespace, apply_app):
    from kubetui.ui.widgets.key_bar import KeyBar

    app = apply_app(namespace)

    def bar_text() -> str:
        bar = app.screen.query_one(KeyBar)
        return " ".join(screen_text(app).splitlines()[-bar.size.height:])

    async def scenario(pilot):
        await until(lambda: pods_view(app).view.has_focus, message="the table focused")
        await until(lambda: " / Filter " in bar_text() and " ? Help " in bar_text(), message="the table's keys")
        assert "F2" not in bar_text()
        await open_panel(pilot)
        await until(lambda: " F2 Dry run " in bar_text() and " ? Help " in bar_text(), message="the panel's keys")
        assert " / Filter " not in bar_text(), "the table's keys are gone with its focus"
        await pilot.press("escape")
        await until(lambda: pods_view(app).view.has_focus and " / Filter " in bar_text(), message="back")

        assert " a Apply panel " in bar_text(), "the screen's keys after the table's, on a second row"
        await pilot.resize_terminal(260, 40)
        await until(lambda: app.screen.query_one(KeyBar).size.height == 1, message="one row when wide")
        await pilot.resize_terminal(50, 30)
        await until(lambda: app.screen.query_one(KeyBar).size.height == 2, message="two rows when narrow")
        await until(lambda: bar_text().rstrip().endswith("? Help"), message="help at the end of a narrow bar")
        assert " s Shell " in bar_text()

        bar = app.screen.query_one(KeyBar)
        row, start, _end, _key = next(span for span in bar._spans if span[3] == "question_mark")
        await pilot.click(KeyBar, offset=(start + 1, row))
        await until(lambda: isinstance(app.screen, HelpScreen), message="help opened by a click")
        await pilot.press("escape")

    run_app(app, scenario)
