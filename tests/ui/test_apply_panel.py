"""The apply panel on the real local cluster: open it with `a`, pick a sample, dry run, apply,
see the pod in the live table, jump to it; all-or-nothing; conflicts and force; delete."""

from __future__ import annotations

from apply_harness import apply_app, choose_sample, open_panel, panel_of, pod_names, results_say  # noqa: F401
from pilot_helpers import apply_dock, pods_view, run_app, shown_names, workspace
from textual.widgets.text_area import Selection

from kubetui.ui.screens.confirm_delete import ConfirmDelete
from tests.apply_faults import faults  # noqa: F401
from tests.support.waiting import until


def test_open_pick_sample_dry_run_apply_and_jump(raw, namespace, apply_app):
    app = apply_app(namespace)

    async def scenario(pilot):
        pods = pods_view(app)
        panel = await open_panel(pilot)
        await choose_sample(pilot, panel, "sample-2pod.yaml")
        assert "name: sample-2pod" in panel.editor.text
        await results_say(panel, "Local check: 1 object, no problems")

        await pilot.press("f2")
        await results_say(panel, "pod/sample-2pod will be created", message="the plan")
        plan = panel.results.entries[0].outcome
        assert "+  - image: nginx:1.16" in plan.diff and "+  - image: redis:3.2" in plan.diff
        assert pod_names(raw, namespace) == [], "a dry run creates nothing"

        await pilot.press("f3")
        await results_say(panel, "pod/sample-2pod created", message="the apply result")
        assert panel.last_report.sent
        await until(lambda: "sample-2pod" in shown_names(app), message="the pod in the live table")
        assert panel.is_open, "the table stays live beside the open panel"

        panel.results.focus()
        await pilot.press("enter")  # on the first result: the pod
        await until(lambda: pods.table.cursor_key == f"{namespace}/sample-2pod" and pods.view.has_focus,
                    message="the table cursor on the applied pod")

        await pilot.press("a")
        await until(lambda: not panel.is_open and pods.view.has_focus, message="the panel closed")

    run_app(app, scenario)


def test_applied_pods_are_highlighted(raw, namespace, apply_app):
    app = apply_app(namespace)
    two = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {}\nspec:\n  containers:\n  - name: a\n    image: b\n")

    async def scenario(pilot):
        pods = pods_view(app)
        panel = await open_panel(pilot)
        panel.editor.load_text(two.format("first") + "---\n" + two.format("second"))
        await pilot.press("f3")
        await results_say(panel, "pod/second created")
        assert pods.view.highlighted == {f"{namespace}/first", f"{namespace}/second"}
        await until(lambda: shown_names(app) == ["first", "second"], message="both rows")
        applied = pods.view._applied_style().bgcolor
        cursor_line = pods.table.cursor_index + 1
        other_line = 2 if cursor_line == 1 else 1
        assert applied is not None
        assert any(seg.style and seg.style.bgcolor == applied for seg in pods.view.render_line(other_line))
        assert not any(seg.style and seg.style.bgcolor == applied for seg in pods.view.render_line(cursor_line))

    run_app(app, scenario)


def test_a_broken_name_gets_the_servers_words_before_anything_is_sent(raw, namespace, apply_app):
    app = apply_app(namespace)

    async def scenario(pilot):
        panel = await open_panel(pilot)
        await choose_sample(pilot, panel, "sample-2pod.yaml")
        panel.editor.focus()
        row = next(i for i, line in enumerate(panel.editor.text.splitlines()) if "name: sample-2pod" in line)
        start = len("  name: ")
        panel.editor.selection = Selection((row, start), (row, start + len("sample-2pod")))
        await pilot.press(*"Sample_2pod")  # typed over the selected name
        assert "  name: Sample_2pod\n" in panel.editor.text
        await results_say(panel, 'Pod "Sample_2pod" is invalid: metadata.name: Invalid value: "Sample_2pod": a '
                                 "lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters")
        assert panel.results.entries[0].problem.line == row + 1
        await pilot.press("f3")
        await results_say(panel, "Not applied: nothing was sent")
        assert pod_names(raw, namespace) == []
        await pilot.press("slash")  # typed in the editor, "/" is text, not the table's filter
        assert "/" in panel.editor.text and panel.editor.has_focus

    run_app(app, scenario)


def test_all_or_nothing_toggle(raw, namespace, apply_app):
    app = apply_app(namespace)
    text = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good\n---\n"
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: no-image\nspec:\n  containers:\n  - name: a\n")

    async def scenario(pilot):
        panel = await open_panel(pilot)
        panel.editor.load_text(text)
        await pilot.press("f3")
        await results_say(panel, "Not applied: 1 of 2 objects failed the dry run; nothing was sent")
        assert any('spec.containers[0].image: Required value' in line for line in panel.results.lines())
        assert raw.json("GET", f"/api/v1/namespaces/{namespace}/configmaps", expect=200)["items"] == []
        await pilot.click("#apply-all-or-nothing")
        assert not panel.all_or_nothing
        await pilot.press("f3")
        await results_say(panel, "Applied with failures: 1 of 2 objects failed")
        names = [i["metadata"]["name"] for i in raw.json("GET", f"/api/v1/namespaces/{namespace}/configmaps")["items"]]
        assert "good" in names

    run_app(app, scenario)


def test_a_conflict_lists_the_manager_then_force_takes_over(raw, namespace, apply_app, kubectl, tmp_path):
    path = tmp_path / "web.yaml"
    path.write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
                    "  - name: nginx\n    image: nginx:1.16\n")
    assert kubectl("apply", "-n", namespace, "-f", str(path)).returncode == 0
    app = apply_app(namespace)

    async def scenario(pilot):
        panel = await open_panel(pilot)
        panel.editor.load_text(path.read_text().replace("1.16", "1.17"))
        await pilot.press("f3")
        await results_say(panel, "pod/web conflict")
        outcome = panel.results.entries[0].outcome
        assert [(c.manager, c.field) for c in outcome.conflicts] == [
            ("kubectl-client-side-apply", '.spec.containers[name="nginx"].image')]
        await pilot.click("#apply-force")
        await pilot.press("f3")
        await results_say(panel, "pod/web configured")
        live = raw.json("GET", f"/api/v1/namespaces/{namespace}/pods/web", expect=200)
        assert live["spec"]["containers"][0]["image"] == "nginx:1.17"

    run_app(app, scenario)


def test_delete_lists_the_objects_and_asks_first(raw, namespace, apply_app):
    app = apply_app(namespace)

    async def scenario(pilot):
        screen = workspace(app)
        panel = await open_panel(pilot)
        await choose_sample(pilot, panel, "sample-pod.yaml")
        await pilot.press("f3")
        await until(lambda: "sample-pod" in shown_names(app), message="the pod")
        await pilot.press("f8")
        dialog = await until(lambda: isinstance(app.screen, ConfirmDelete) and app.screen, message="the dialog")
        assert dialog.objects == [f"pod/sample-pod  (namespace {namespace})"]
        await pilot.press("n")
        await results_say(panel, "Delete cancelled: nothing was sent")
        assert pod_names(raw, namespace) == ["sample-pod"]
        await pilot.press("f8")
        await until(lambda: isinstance(app.screen, ConfirmDelete), message="the dialog again")
        await pilot.press("y")
        await results_say(panel, 'pod "sample-pod" deleted')
        await until(lambda: "sample-pod" not in shown_names(app), message="the row gone")
        assert screen is workspace(app)

    run_app(app, scenario)


def test_enter_on_a_problem_puts_the_editor_on_its_line(namespace, apply_app):
    app = apply_app(namespace)

    async def scenario(pilot):
        panel = await open_panel(pilot)
        panel.editor.load_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\n")
        await results_say(panel, 'Pod "Bad_Name" is invalid')
        panel.results.focus()
        await pilot.press("enter")
        await until(lambda: panel.editor.has_focus and panel.editor.cursor_location == (3, 2),
                    message="the cursor on the name")
        assert panel.editor.border_subtitle == "Ln 4, Col 3", "the line the problem names, as the border shows it"

    run_app(app, scenario)


def test_escape_walks_back_to_the_table_and_a_reopens(namespace, apply_app):
    app = apply_app(namespace)

    async def scenario(pilot):
        pods = pods_view(app)
        panel = await open_panel(pilot)
        await choose_sample(pilot, panel, "sample-pod.yaml")
        assert panel.editor.has_focus, "choosing a file puts the cursor in it"
        await pilot.press("escape")  # the editor hands the focus on (TextArea's own Esc)
        assert not panel.editor.has_focus and panel.is_open
        await pilot.press("escape")
        await until(lambda: pods.view.has_focus, message="the table focused")
        assert panel.is_open, "Esc leaves the panel open beside the table"
        await pilot.press("a")
        await until(lambda: not panel.is_open, message="a closes it")
        await pilot.press("a")
        await until(lambda: panel.is_open and panel.browser.has_focus, message="a opens it again")
        assert panel.source.name == "sample-pod.yaml", "the panel keeps what it showed"

    run_app(app, scenario)


def test_a_failure_after_the_dry_run_shows_the_rollback_as_the_cli_does(raw, namespace, apply_app, faults):
    app = apply_app(namespace)
    text = "---\n".join(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  k: v\n"
                        for name in ("stuck", "fresh", "doomed"))
    faults("^(PATCH /api/v1/namespaces/{ns}/configmaps/doomed|DELETE /api/v1/namespaces/{ns}/configmaps/stuck)$",
           error_requests="writes")

    async def scenario(pilot):
        panel = await open_panel(pilot)
        panel.editor.load_text(text)
        await pilot.press("f3")
        summary = ("Failed part-way: 1 of 3 objects failed to apply after the server's dry run passed; all-or-nothing: "
                   "rolled back 1 object (1 created object deleted); 1 could not be rolled back and stays as this run "
                   "left it: configmap/stuck")
        await results_say(panel, summary, timeout=30, message="the summary of the part-way failure")
        assert panel.results.lines() == [
            summary,
            "configmap/stuck created (could not be rolled back: Error from server (ServiceUnavailable): the server is "
            "currently unable to handle the request (after 5 attempts))",
            "configmap/fresh created, then rolled back (deleted)",
            "configmap/doomed failed: Error from server (ServiceUnavailable): the server is currently unable to "
            "handle the request (after 5 attempts)"]
        assert apply_dock(app).last_report.summary() in summary, "the same sentence as the CLI prints"
        names = [i["metadata"]["name"] for i in raw.json("GET", f"/api/v1/namespaces/{namespace}/configmaps")["items"]]
        assert names == ["stuck"]

    run_app(app, scenario)
