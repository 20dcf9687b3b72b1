"""Hostile text pasted into the apply panel: the app survives, the buffer is kept, keys are
answered while the check runs, and the check says what is wrong at its line. Pastes arrive as
the terminal sends them: an `events.Paste` to the app, which gives it to the focused editor."""

from __future__ import annotations

from apply_harness import apply_app, open_panel, results_say  # noqa: F401
from exec_harness import exec_tabs, terminal_text
from pilot_helpers import pods_view, run_app, shown_names
from textual import events

from kubetui.kube.contexts import connect
from kubetui.ui.app import KubetuiApp
from tests.hostile_manifests import BOMB_LINE, alias_bomb
from tests.kube.exec_support import running_pod
from tests.support.waiting import until

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  key: {value}\n"


async def paste_over_all(pilot, panel, text: str) -> None:
    """Focus the editor, select everything (F7) and paste `text` over it."""
    panel.editor.focus()
    await until(lambda: panel.editor.has_focus, message="the editor focused")
    await pilot.press("f7")
    pilot.app.post_message(events.Paste(text))
    await until(lambda: panel.editor.text == text, message="the pasted text in the editor")


def test_unknown_tags_pasted_show_at_their_line_and_the_buffer_stays(namespace, apply_app):
    app = apply_app(namespace)
    ref = CM.format(name="ref", value="!Ref web")
    python = CM.format(name="py", value="!!python/object/apply:os.system ['echo owned']")

    async def scenario(pilot):
        panel = await open_panel(pilot)
        await paste_over_all(pilot, panel, ref)
        await results_say(panel, "New, document 1, line 6, column 8: unknown tag !Ref")
        assert app.is_running and panel.editor.text == ref
        assert "modified" in str(panel.query_one("#apply-title").render())

        await paste_over_all(pilot, panel, ref + "---\n" + python)
        await results_say(panel, "New, document 2, line 13, column 8: unknown tag !!python/object/apply:os.system")
        assert panel.results.lines()[:2] == [
            "Local check: 2 problems — nothing will be sent until fixed (all-or-nothing)",
            "New, document 1, line 6, column 8: unknown tag !Ref"]

        panel.results.focus()
        await pilot.press("enter")  # on the first problem: the editor goes to its line
        await until(lambda: panel.editor.has_focus and panel.editor.cursor_location == (5, 7),
                    message="the cursor on the !Ref")
        await pilot.press("f2")  # the request is refused the same way, nothing sent
        await results_say(panel, "Nothing to dry-run: fix the problems below")
        assert panel.editor.text == ref + "---\n" + python

    run_app(app, scenario)


def test_an_alias_bomb_pasted_is_refused_and_keys_still_work(namespace, apply_app):
    app = apply_app(namespace)
    bomb = alias_bomb(9)

    async def scenario(pilot):
        panel = await open_panel(pilot)
        await paste_over_all(pilot, panel, bomb)
        await pilot.press("escape")  # the editor hands the focus on (TextArea's own Esc)
        await until(lambda: not panel.editor.has_focus, message="escape answered")
        await results_say(panel, f"New, document 1, line {BOMB_LINE}, column 7: YAML aliases expand this document "
                                 "to 490,329,074 nodes from 38 written, more than the limit of 10,000: refused "
                                 "before expanding")
        await pilot.press("escape")  # the panel hands the keys back to the table
        await until(lambda: pods_view(app).view.has_focus, message="the table focused")
        await pilot.press("a")
        await until(lambda: not panel.is_open, message="the panel closed")
        await pilot.press("a")
        await until(lambda: panel.is_open and panel.editor.text == bomb, message="the panel again, the bomb kept")

    run_app(app, scenario)


def test_an_answer_about_an_older_text_is_never_shown(namespace, apply_app, monkeypatch):
    """A slow check (a large text) is overtaken by an edit: its answer is dropped, the newer
    text's answer shows. Every result shown is about the text in the editor at that moment."""
    app = apply_app(namespace)
    large = CM.format(name="large", value="!Ref web") + "".join(f"  k{i}: value-{i}\n" for i in range(20_000))
    small = CM.format(name="small", value="v")
    shown: list[tuple[str, str]] = []

    async def scenario(pilot):
        panel = await open_panel(pilot)
        original = panel.results.show

        def recording(summary, *args, **kwargs):
            shown.append((summary, panel.editor.text))
            original(summary, *args, **kwargs)

        monkeypatch.setattr(panel.results, "show", recording)
        await paste_over_all(pilot, panel, large)
        await until(lambda: any(w.group == "local-check" and w.is_running for w in app.workers),
                    message="the large text being checked")
        await paste_over_all(pilot, panel, small)
        await results_say(panel, "Local check: 1 object, no problems")
        stale = [summary for summary, text in shown if "1 problem" in summary and text != large]
        assert stale == []
        assert panel.editor.text == small

    run_app(app, scenario)


def test_an_open_exec_session_outlives_a_hostile_paste(exec_kubeconfig, exec_core, exec_ns):
    running_pod(exec_core, exec_ns, "web", [("nginx", "nginx:1.25")])
    app = KubetuiApp(connect(str(exec_kubeconfig), None, exec_ns))
    python = CM.format(name="py", value="!!python/object/apply:os.system ['echo owned']")

    async def scenario(pilot):
        screen = pods_view(app)
        await until(lambda: "web" in shown_names(app), message="web in the table")
        screen.table.select(f"{exec_ns}/web")
        await pilot.press("s")
        tab = (await until(lambda: exec_tabs(app), message="a shell tab"))[0]
        await until(lambda: terminal_text(tab).rstrip().endswith("#"), message="a prompt")
        await pilot.press("ctrl+right_square_bracket", "left_square_bracket")  # back to the pod table
        await until(lambda: screen.view.has_focus, message="the table focused")
        panel = await open_panel(pilot)
        await paste_over_all(pilot, panel, python)
        await results_say(panel, "New, document 1, line 6, column 8: unknown tag !!python/object/apply:os.system")
        await pilot.press("escape", "escape")  # editor, then panel: the keys go back to the table
        await until(lambda: screen.view.has_focus, message="the table focused")
        await pilot.press("right_square_bracket", "enter")  # the shell's tab, into its terminal
        await pilot.press(*"echo alive", "enter")
        await until(lambda: "alive" in terminal_text(tab).split("echo alive", 1)[-1], message="the shell answering")
        assert app.is_running and panel.editor.text == python
        tab.close_session()

    try:
        run_app(app, scenario)
    finally:
        app.connection.close()
