"""Resource views in the app, on a seeded local cluster with its controllers and kubelets running:
`:` switches the kind, Enter goes down the ownership (Deployment → ReplicaSets → pods →
containers), Esc comes back, and the action keys delete, kill and scale what the cursor is on.
"""

from __future__ import annotations

from pilot_helpers import cell_texts, run_app, screen_text, workspace

from inspect_harness import app_on, seeded  # noqa: F401 (fixtures)
from pilot_helpers import run_app, screen_text, workspace
from textual.widgets import Input

from kubetui.ui.screens.confirm_action import ConfirmAction
from kubetui.ui.screens.help import HelpScreen
from kubetui.ui.screens.scale_dialog import ScaleDialog
from kubetui.ui.sessions import VIEWS_PANE
from kubetui.ui.views import ContainersView, PodsView, ResourcesView
from kubetui.ui.widgets.cluster_header import ClusterHeader
from kubetui.ui.widgets.manifest_editor import ManifestEditor
from tests.support.waiting import until


def shown(app):
    return workspace(app).view


def names(view) -> list[str]:
    return [key.split("/", 1)[1] for key in view.table.visible_keys()]


async def command(pilot, text: str) -> None:
    await pilot.press("colon", *text, "enter")


async def open_kind(pilot, app, text: str, kind):
    await command(pilot, text)
    return await until(lambda: isinstance(shown(app), kind) and shown(app), message=f"the {text} view")


async def enter_on(pilot, app, view, name: str, kind):
    await until(lambda: name in names(view), message=f"{name} in the table")
    key = next(key for key in view.table.visible_keys() if key.split("/", 1)[1] == name)
    view.table.select(key)
    await pilot.press("enter")
    return await until(lambda: isinstance(shown(app), kind) and shown(app) is not view and shown(app),
                       message=f"the view below {name}")


def header_text(app) -> str:
    return workspace(app).query_one(ClusterHeader).render().plain


def test_deploy_then_enter_twice_reaches_the_pods_of_its_replicaset_and_esc_comes_back(app_on):
    app = app_on()

    async def scenario(pilot):
        deployments = await open_kind(pilot, app, "deploy", ResourcesView)
        assert deployments.resource.kind == "Deployment"
        await until(lambda: "sample-deployment" in names(deployments), message="the seeded deployment")
        assert deployments.view.headers[:5] == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
        await until(lambda: str(workspace(app).sessions.get_tab(VIEWS_PANE).label) == "Deployments",
                    message="the views tab named after the kind")

        replicasets = await enter_on(pilot, app, deployments, "sample-deployment", ResourcesView)
        assert replicasets.resource.kind == "ReplicaSet"
        def current() -> list[str]:  # the ReplicaSet of the current revision: the one asked for 3 pods
            headers = [column.header for column in replicasets.table.columns]
            return [name for name in names(replicasets)
                    if replicasets.table.row(f"default/{name}").cells[headers.index("DESIRED")] == "3"]

        await until(current, message="its current ReplicaSet")
        assert all(name.startswith("sample-deployment-") for name in names(replicasets))  # not sample-replicaset
        rs_name = current()[0]

        pods = await enter_on(pilot, app, replicasets, rs_name, PodsView)
        await until(lambda: len(names(pods)) == 3, timeout=30, message="the three pods of the ReplicaSet")
        assert all(name.startswith(rs_name + "-") for name in names(pods))
        assert f"deploy › sample-deployment › rs › {rs_name} › pods" in header_text(app)

        await pilot.press("escape")
        await until(lambda: shown(app) is replicasets, message="back to the ReplicaSets")
        await pilot.press("escape")
        await until(lambda: shown(app) is deployments, message="back to the Deployments")
        assert "deploy" in header_text(app) and "deployments" in header_text(app)

        root_pods = await open_kind(pilot, app, "pods", PodsView)
        assert root_pods.owner_uid == "" and "sample-pod" in names(root_pods)

    run_app(app, scenario)


def test_ctrl_d_asks_then_deletes_a_pod_and_its_replicaset_replaces_it(app_on):
    app = app_on()

    async def scenario(pilot):
        replicasets = await open_kind(pilot, app, "rs", ResourcesView)
        pods = await enter_on(pilot, app, replicasets, "sample-replicaset", PodsView)
        await until(lambda: len(names(pods)) == 3, timeout=30, message="three pods")
        before = set(names(pods))
        victim = names(pods)[0]
        pods.table.select(f"default/{victim}")
        await pilot.press("ctrl+d")
        dialog = await until(lambda: isinstance(app.screen, ConfirmAction) and app.screen, message="the confirmation")
        assert dialog.text == f"Delete pod {victim} in namespace default on context kubetui-local?"
        await pilot.press("y")
        await until(lambda: f'pod "{victim}" deleted from default namespace' in screen_text(app),
                    message="kubectl's words")
        await until(lambda: victim not in names(pods), timeout=30, message="the pod to go")
        await until(lambda: len(set(names(pods)) - before) == 1 and len(names(pods)) == 3, timeout=30,
                    message="a replacement")

    run_app(app, scenario)


def test_n_cancels_a_kill_and_nothing_is_deleted(app_on):
    app = app_on()

    async def scenario(pilot):
        pods = shown(app)
        await until(lambda: "sample-pod" in names(pods), message="sample-pod")
        pods.table.select("default/sample-pod")
        await pilot.press("ctrl+k")
        dialog = await until(lambda: isinstance(app.screen, ConfirmAction) and app.screen, message="the confirmation")
        assert dialog.text.startswith("KILL pod sample-pod in namespace default")
        await pilot.press("n")
        await until(lambda: not isinstance(app.screen, ConfirmAction), message="the dialog to close")
        assert "sample-pod" in names(pods) and pods.table.row("default/sample-pod").status != "Terminating"

    run_app(app, scenario)


def test_scale_shows_the_current_count_and_reports_in_kubectls_words(app_on):
    app = app_on()

    async def scenario(pilot):
        replicasets = await open_kind(pilot, app, "replicasets", ResourcesView)
        await until(lambda: "sample-replicaset" in names(replicasets), message="sample-replicaset")
        replicasets.table.select("default/sample-replicaset")
        await pilot.press("s")
        dialog = await until(lambda: isinstance(app.screen, ScaleDialog) and app.screen, message="the scale dialog")
        assert dialog.current == 3
        await pilot.press("backspace", "2", "enter")
        await until(lambda: "replicaset.apps/sample-replicaset scaled" in screen_text(app), message="the report")
        desired = replicasets.table.columns.index(next(c for c in replicasets.table.columns if c.name == "Desired"))
        await until(lambda: replicasets.table.row("default/sample-replicaset").cells[desired] == "2",
                    message="DESIRED 2 in the live row")
        replicasets.table.select("default/sample-replicaset")
        await pilot.press("s")
        dialog = await until(lambda: isinstance(app.screen, ScaleDialog) and app.screen, message="the dialog again")
        await pilot.press("backspace", "3", "enter")
        await until(lambda: replicasets.table.row("default/sample-replicaset").cells[desired] == "3",
                    message="back to 3")

    run_app(app, scenario)


def test_readonly_hides_the_action_keys_and_refuses_them_with_the_reason(app_on):
    app = app_on(readonly=True)

    async def scenario(pilot):
        pods = shown(app)
        await until(lambda: "sample-pod" in names(pods), message="sample-pod")
        footer = screen_text(app).splitlines()[-1]
        assert "Delete" not in footer and "Kill" not in footer
        pods.table.select("default/sample-pod")
        await pilot.press("ctrl+d")
        await until(lambda: "--readonly" in screen_text(app), message="the reason")
        assert not isinstance(app.screen, ConfirmAction)
        deployments = await open_kind(pilot, app, "deploy", ResourcesView)
        await until(lambda: "sample-deployment" in names(deployments))
        footer = screen_text(app).splitlines()[-1]
        assert "Scale" not in footer and "Restart" not in footer

    run_app(app, scenario)


def test_enter_on_a_pod_lists_its_init_sidecar_and_app_containers(app_on):
    app = app_on()

    async def scenario(pilot):
        pods = shown(app)
        containers = await enter_on(pilot, app, pods, "sample-sidecar", ContainersView)
        await until(lambda: len(cell_texts(containers.table)) == 2, timeout=30, message="two containers")
        rows = cell_texts(containers.table)
        assert [(row[0], row[1]) for row in rows] == [("sidecar", "content-sync"), ("container", "nginx-container")]
        await until(lambda: all(row[4] == "Running" for row in cell_texts(containers.table)), timeout=30,
                    message="both running")
        assert "pods › sample-sidecar › containers" in header_text(app)
        await pilot.press("escape")
        await until(lambda: shown(app) is pods, message="back to the pods")

    run_app(app, scenario)


def test_nodes_lead_to_the_pods_on_them_and_namespaces_to_their_pods(app_on):
    app = app_on()

    async def scenario(pilot):
        nodes = await open_kind(pilot, app, "no", ResourcesView)
        await until(lambda: "kubetui-node-1" in names(nodes), message="the nodes")
        assert nodes.namespace is None and nodes.view.headers[0] != "NAMESPACE"
        on_node = await enter_on(pilot, app, nodes, "kubetui-node-1", PodsView)
        await until(lambda: any(n.startswith("kube-apiserver") for n in names(on_node)), message="pods on node 1")
        assert all(on_node.table.row(key).node == "kubetui-node-1" for key in on_node.table.visible_keys())
        namespaces = await open_kind(pilot, app, "ns", ResourcesView)
        in_system = await enter_on(pilot, app, namespaces, "kube-system", PodsView)
        await until(lambda: names(in_system), message="kube-system pods")
        assert {key.split("/")[0] for key in in_system.table.visible_keys()} == {"kube-system"}

    run_app(app, scenario)


def test_an_unknown_type_is_one_clear_line_and_the_view_stays(app_on):
    app = app_on()

    async def scenario(pilot):
        before = shown(app)
        await command(pilot, "foo")
        # a first word that is no command and no type: kubectl's (cobra's) words
        await until(lambda: 'error: unknown command "foo" for "kubectl"' in screen_text(app),
                    message="kubectl's words")
        assert shown(app) is before
        assert "Traceback" not in screen_text(app)

    run_app(app, scenario)


def test_restart_and_undo_report_in_kubectls_words(app_on, seeded):
    app = app_on()

    async def scenario(pilot):
        deployments = await open_kind(pilot, app, "deploy", ResourcesView)
        await until(lambda: "sample-deployment" in names(deployments), message="sample-deployment")
        deployments.table.select("default/sample-deployment")
        await pilot.press("r")
        await until(lambda: "deployment.apps/sample-deployment restarted" in screen_text(app), message="restarted")
        replicasets = await enter_on(pilot, app, deployments, "sample-deployment", ResourcesView)
        await until(lambda: len(names(replicasets)) == 2, timeout=30, message="a second ReplicaSet for the restart")
        await pilot.press("escape")
        await until(lambda: shown(app) is deployments, message="back to the Deployments")
        deployments.table.select("default/sample-deployment")
        await pilot.press("u")
        await until(lambda: "deployment.apps/sample-deployment rolled back" in screen_text(app), message="rolled back")

    run_app(app, scenario)


def test_a_forbidden_delete_shows_the_servers_words(app_on):
    from kubetui.localcluster.cluster.kubeconfig import VIEWER_CONTEXT

    app = app_on(context=VIEWER_CONTEXT)

    async def scenario(pilot):
        pods = shown(app)
        await until(lambda: "sample-pod" in names(pods), message="sample-pod, read as the viewer")
        pods.table.select("default/sample-pod")
        await pilot.press("ctrl+d")
        await until(lambda: isinstance(app.screen, ConfirmAction), message="the confirmation")
        assert "on context kubetui-local-viewer?" in app.screen.text
        await pilot.press("y")
        await until(lambda: 'pods "sample-pod" is forbidden: User "viewer" cannot delete resource "pods"'
                    in screen_text(app), message="the server's words")
        assert "sample-pod" in names(pods)

    run_app(app, scenario)


def test_a_colon_typed_into_the_filter_or_the_apply_editor_is_text(app_on):
    app = app_on()

    async def scenario(pilot):
        deployments = await open_kind(pilot, app, "deploy", ResourcesView)
        command_line = workspace(app).command_line
        await pilot.press("slash", "colon", "3")
        field = deployments.query_one("#filter", Input)
        await until(lambda: field.value == ":3", message="the colon in the filter")
        assert not command_line.is_open
        await pilot.press("escape")
        await pilot.press("a")
        editor = workspace(app).dock.query_one(ManifestEditor)
        editor.focus()
        await pilot.press("colon")
        await until(lambda: ":" in editor.text, message="the colon in the editor")
        assert not command_line.is_open and shown(app) is deployments

    run_app(app, scenario)


def test_help_on_the_deployments_view_lists_its_keys_and_the_containers_table_moves_like_the_others(app_on):
    app = app_on()

    async def help_rows(pilot) -> dict[str, str]:
        await pilot.press("question_mark")
        shown_help = await until(lambda: isinstance(app.screen, HelpScreen) and app.screen, message="help")
        rows = dict(shown_help._rows)
        await pilot.press("escape")
        await until(lambda: not isinstance(app.screen, HelpScreen), message="help closed")
        return rows

    async def scenario(pilot):
        deployments = await open_kind(pilot, app, "deploy", ResourcesView)
        await until(lambda: "sample-deployment" in names(deployments), message="sample-deployment")
        rows = await help_rows(pilot)
        for keys, description in [("Enter", "Open"), ("ctrl+w", "Wide"), ("ctrl+d", "Delete"), ("ctrl+k", "Kill"),
                                  ("s", "Scale"), ("r", "Restart"), ("u", "Undo rollout"), ("/", "Filter"),
                                  ("j / ↓", "Down"), ("n", "Namespace"), (":", "Command")]:
            assert rows.get(keys) == description, (keys, rows)

        pods = await open_kind(pilot, app, "pods", PodsView)
        containers = await enter_on(pilot, app, pods, "sample-sidecar", ContainersView)
        await until(lambda: containers.table.row_count == 2, timeout=30, message="two containers")
        rows = await help_rows(pilot)
        assert rows.get("j / ↓") == "Down" and rows.get("k / ↑") == "Up", rows
        for key, row in [("j", 1), ("g", 0), ("G", 1), ("k", 0), ("end", 1), ("home", 0)]:
            await pilot.press(key)
            await until(lambda: containers.table.cursor_row == row, message=f"{key} moves to row {row}")

    run_app(app, scenario)
