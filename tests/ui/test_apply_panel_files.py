"""The apply panel's files and limits: the --manifests directory, saving, a file that vanished,
read-only mode, the viewer's 403, resizing beside the live table."""

from __future__ import annotations

from apply_harness import apply_app, open_panel, pod_names, results_say, write_manifest  # noqa: F401
from pilot_helpers import pods_view, run_app, workspace

from tests.support.waiting import until

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: from-file\nspec:\n  containers:\n  - name: a\n    image: b\n"


def test_files_of_the_manifests_directory_open_and_save(namespace, apply_app):
    folder = apply_app.folder
    write_manifest(folder, "web.yaml", POD)
    (folder / "nested").mkdir()
    write_manifest(folder / "nested", "other.json", '{"apiVersion": "v1", "kind": "ConfigMap", '
                                                   '"metadata": {"name": "x"}}')
    write_manifest(folder, "README.md", "not a manifest")
    app = apply_app(namespace)

    async def scenario(pilot):
        panel = await open_panel(pilot)
        browser = panel.browser
        labels = [str(node.label) for node in browser.root.children[-1].children]
        assert labels == ["nested/", "web.yaml"]
        web = browser.root.children[-1].children[1]
        browser.select_node(web)
        await until(lambda: panel.source.name == "web.yaml", message="web.yaml opened")
        assert panel.editor.text == POD
        panel.editor.focus()
        panel.editor.move_cursor((3, len("  name: from-file")))
        await pilot.press(*"-2")
        assert "modified" in str(panel.query_one("#apply-title").render())
        await pilot.press("ctrl+s")
        await until(lambda: (folder / "web.yaml").read_text() == POD.replace("from-file", "from-file-2"),
                    message="the file saved")
        assert "modified" not in str(panel.query_one("#apply-title").render())

    run_app(app, scenario)


def test_a_sample_saved_becomes_a_file_in_the_directory(namespace, apply_app):
    app = apply_app(namespace)

    async def scenario(pilot):
        panel = await open_panel(pilot)
        panel.browser.select_sample("sample-pod.yaml")
        await until(lambda: panel.source.name == "sample-pod.yaml", message="the sample")
        panel.editor.focus()
        await pilot.press("ctrl+s")
        await until(lambda: (apply_app.folder / "sample-pod.yaml").is_file(), message="a copy saved")
        assert panel.source.kind == "file"
        names = [str(n.label) for n in panel.browser.root.children[-1].children]
        assert "sample-pod.yaml" in names

    run_app(app, scenario)


def test_a_file_that_vanished_is_a_message_not_a_crash(namespace, apply_app):
    path = write_manifest(apply_app.folder, "soon-gone.yaml", POD)
    app = apply_app(namespace)

    async def scenario(pilot):
        panel = await open_panel(pilot)
        node = panel.browser.root.children[-1].children[0]
        path.unlink()
        panel.browser.select_node(node)
        await results_say(panel, f"the file {path} no longer exists")
        assert panel.source.kind == "new"

    run_app(app, scenario)


def test_readonly_allows_a_dry_run_but_not_apply_or_delete(raw, namespace, apply_app):
    app = apply_app(namespace, readonly=True)

    async def scenario(pilot):
        panel = await open_panel(pilot)
        panel.editor.load_text(POD)
        assert panel.query_one("#apply-apply").disabled and panel.query_one("#apply-delete").disabled
        await pilot.press("f3")
        await until(lambda: any("read-only" in n.message for n in app._notifications), message="the refusal")
        await pilot.press("f2")
        await results_say(panel, "pod/from-file will be created")
        await pilot.press("f8")
        assert pod_names(raw, namespace) == []
        assert "read-only" in str(panel.query_one("#apply-title").render())

    run_app(app, scenario)


def test_the_viewer_gets_the_servers_403(raw, namespace, apply_app):
    app = apply_app(namespace, context="kubetui-local-viewer")

    async def scenario(pilot):
        panel = await open_panel(pilot)
        panel.editor.load_text(POD)
        await pilot.press("f3")
        await results_say(panel, f'Error from server (Forbidden): pods "from-file" is forbidden: User "viewer" cannot '
                                 f'patch resource "pods" in API group "" in the namespace "{namespace}"')
        assert pod_names(raw, namespace) == []

    run_app(app, scenario)


def test_the_panel_resizes_and_the_table_keeps_its_rows(raw, namespace, apply_app):
    raw.json("POST", f"/api/v1/namespaces/{namespace}/pods", {"metadata": {"name": "steady"}, "spec": {
        "containers": [{"name": "a", "image": "b"}]}}, expect=201)
    app = apply_app(namespace)

    async def scenario(pilot):
        screen, pods = workspace(app), pods_view(app)
        panel = await open_panel(pilot)
        await until(lambda: "steady" in [pods.table.row(k).name for k in pods.table.visible_keys()],
                    message="the row")
        before = panel.outer_size.width
        await pilot.press("less_than_sign")
        await until(lambda: panel.outer_size.width == before + 4, message="a wider panel")
        grip = panel.query_one("PanelGrip")
        x = grip.region.x
        await pilot.mouse_down(grip, offset=(0, 2))
        await pilot.hover(screen, offset=(x + 10, 5))
        await pilot.mouse_up(screen, offset=(x + 10, 5))
        await until(lambda: panel.outer_size.width == screen.size.width - (x + 10), message="dragged narrower")
        assert pods.table.visible_count == 1 and pods.view.outer_size.width > 0

    run_app(app, scenario)
