"""The `:` command line in the app, on a seeded local cluster: each verb's effect on the screen.

What the result tabs print is compared with kubectl in tests/kube/test_command_printing.py;
here the question is where each command lands (the view, a tab, the apply panel, a
confirmation, the status line) and with which choices (namespace, selector, container, flags).
"""

from __future__ import annotations

import yaml
from command_line_support import app_on, hints, run_line, running, seeded, type_line  # noqa: F401
from pilot_helpers import run_app, screen_text, sessions_area, workspace
from tests.support.waiting import until

from kubetui.ui.command_line.results import ResultTab
from kubetui.ui.screens.confirm_delete import ConfirmDelete
from kubetui.ui.screens.exec_command import CommandResultScreen
from kubetui.ui.views import PodsView, ResourcesView
from kubetui.ui.widgets.exec_tab import ExecTab
from kubetui.ui.widgets.inspect_tab import InspectTab
from kubetui.ui.widgets.log_tab import LogTab


def shown(app):
    return workspace(app).view


def active(app):
    return sessions_area(app).active_session()


def status(app) -> str:
    return workspace(app).query_one("#status-line").text


def test_get_and_a_bare_type_switch_the_live_view_with_namespace_selector_and_width(app_on):
    app = app_on()

    async def scenario(pilot):
        await running(pilot)
        await run_line(pilot, "kubectl get deploy -A")
        deployments = await until(lambda: isinstance(shown(app), ResourcesView) and shown(app), message="deploy")
        assert deployments.resource.kind == "Deployment" and deployments.namespace is None
        await run_line(pilot, "get deploy -n default -o wide")
        await until(lambda: deployments.namespace == "default" and deployments.view.wide, message="-n and -o wide")

        await run_line(pilot, "get pods -n kube-system")
        pods = await until(lambda: isinstance(shown(app), PodsView) and shown(app), message="the pods view")
        await until(lambda: pods.namespace == "kube-system", message="kube-system")
        await run_line(pilot, "kubectl get po -l app=sample-deployment")
        await until(lambda: pods.namespace == "default" and pods.table.filter.label_selector == "app=sample-deployment",
                    message="default, label selector")
        await until(lambda: len(pods.table.visible_keys()) == 3, timeout=30, message="the deployment's three pods")

        await run_line(pilot, "get pods --field-selector=status.phase=Running -o wide")
        narrowed = await until(lambda: shown(app) is not pods and isinstance(shown(app), ResourcesView) and shown(app),
                               message="a narrowed view above")
        assert narrowed.field_selector == "status.phase=Running"
        await until(lambda: narrowed.view.wide and "IP" in narrowed.view.headers, message="wide columns")
        assert "pods › --field-selector status.phase=Running -o wide" in screen_text(app)
        await pilot.press("escape")
        await until(lambda: shown(app) is pods, message="Esc back to the pods")

        await run_line(pilot, "rs")  # k9s's `:rs`: the view, the namespace kept
        await until(lambda: isinstance(shown(app), ResourcesView) and shown(app).resource.kind == "ReplicaSet",
                    message="the replica sets")

    run_app(app, scenario)


def test_get_with_an_output_or_names_and_describe_open_tabs(app_on):
    app = app_on()

    async def scenario(pilot):
        await running(pilot)
        await run_line(pilot, "kubectl get pods sample-pod -o yaml")
        tab = await until(lambda: isinstance(active(app), ResultTab) and active(app), message="a result tab")
        await until(lambda: tab.printed is not None, message="the output")
        assert yaml.safe_load(tab.view.text)["metadata"]["name"] == "sample-pod"
        assert tab.printed.code == 0 and "$ kubectl get pods sample-pod -o yaml · exit 0" in screen_text(app)

        await run_line(pilot, "get pod/missing")
        missing = await until(lambda: active(app) is not tab and isinstance(active(app), ResultTab) and active(app),
                              message="another result tab")
        await until(lambda: missing.printed is not None, message="the error")
        assert missing.printed.code == 1
        assert missing.printed.text == 'Error from server (NotFound): pods "missing" not found\n'

        await run_line(pilot, "describe pod sample-2pod")
        described = await until(lambda: isinstance(active(app), InspectTab) and not isinstance(active(app), ResultTab)
                                and active(app), message="the describe tab")
        await until(lambda: "Name:             sample-2pod" in described.view.text, message="the description")

        await run_line(pilot, "describe pods sample-re")  # no such pod: kubectl's prefix match
        prefix = await until(lambda: isinstance(active(app), ResultTab) and active(app) not in (tab, missing)
                             and active(app), message="the prefix match")
        await until(lambda: prefix.printed is not None, message="the descriptions")
        assert prefix.view.text.count("Name:             sample-replicaset-") == 3

    run_app(app, scenario)


def test_logs_keep_their_flags_and_exec_picks_the_container_as_kubectl_does(app_on):
    app = app_on()

    async def scenario(pilot):
        await running(pilot)
        await run_line(pilot, "logs sample-2pod -c redis-container --tail=3 --timestamps")
        log = await until(lambda: isinstance(active(app), LogTab) and active(app), message="the log tab")
        assert log.target.pod == "sample-2pod" and log.target.container == "redis-container"
        assert log.options.tail_lines == 3 and log.timestamps and not log.options.follow
        await until(lambda: "ended" in log.status_text() and "last 3 lines" in log.status_text(),
                    message="read, not followed")

        await run_line(pilot, "exec sample-pod -- /bin/ls /")  # no -i: once, output and exit code
        result = await until(lambda: isinstance(app.screen, CommandResultScreen) and app.screen, message="one shot")
        await until(lambda: result.result is not None, timeout=20, message="the command's end")
        assert result.result.exit_code == 0 and "etc" in result.result.output
        await pilot.press("escape")

        await run_line(pilot, "kubectl exec -it sample-2pod -- /bin/ls")
        tab = await until(lambda: isinstance(active(app), ExecTab) and active(app), message="the terminal tab")
        assert (tab.target.pod, tab.target.container, tab.target.command) == (
            "sample-2pod", "nginx-container", ("/bin/ls",))
        await until(lambda: 'Defaulted container "nginx-container" out of: nginx-container, redis-container'
                    in status(app), message="kubectl's notice")

        await pilot.press("ctrl+right_square_bracket")  # out of the terminal, where every key is the remote's
        await run_line(pilot, "exec -it sample-2pod -c nope -- /bin/ls")
        await until(lambda: "error: container nope not found in pod sample-2pod" in status(app),
                    message="kubectl's words for a wrong container")

    run_app(app, scenario)


def test_apply_opens_the_plan_edit_the_editor_and_delete_asks_first(app_on, seeded):
    app = app_on()
    (app_on.manifests / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-a-file\n")

    async def scenario(pilot):
        await running(pilot)
        assert workspace(app).dock is None, "the apply dock is built when first needed"
        await run_line(pilot, "kubectl apply -f sample-pod.yaml")  # not in the directory: the shipped sample
        dock = await until(lambda: workspace(app).dock, message="the apply dock built")
        await until(lambda: dock.is_open and dock.source.label == "Samples/sample-pod.yaml", message="the sample")
        await until(lambda: any("Plan (dry run, nothing changed)" in line for line in dock.results.lines()),
                    message="the plan")

        await run_line(pilot, "apply -f cm.yaml")
        await until(lambda: dock.source.kind == "file" and dock.source.name == "cm.yaml", message="the file")
        await until(lambda: any("1 to create" in line for line in dock.results.lines()), message="its plan")
        await pilot.press("f3")
        await until(lambda: any("configmap/from-a-file created" in line for line in dock.results.lines()),
                    message="applied")

        await run_line(pilot, "edit deploy sample-deployment")
        await until(lambda: "kind: Deployment" in dock.editor.text, message="the manifest in the editor")
        assert "status:" not in dock.editor.text and dock.editor.has_focus
        await pilot.press("escape")  # out of the editor, where a colon is text

        await run_line(pilot, "delete cm from-a-file")
        dialog = await until(lambda: isinstance(app.screen, ConfirmDelete) and app.screen, message="the confirmation")
        assert "configmap/from-a-file" in screen_text(app)
        await pilot.press("y")
        await until(lambda: 'configmap "from-a-file" deleted from default namespace' in status(app),
                    message="kubectl's line")
        assert dialog is not app.screen

    run_app(app, scenario)


def test_scale_rollout_label_annotate_and_create_namespace_report_kubectls_lines(app_on):
    app = app_on()

    async def scenario(pilot):
        await running(pilot)
        for line, said in [
            ("kubectl scale deploy sample-deployment --replicas=2", "deployment.apps/sample-deployment scaled"),
            ("scale rs sample-replicaset --replicas=3 --current-replicas=9",
             "error: Expected replicas to be 9, was 3"),
            ("label pod sample-hostaliases stage=test", "pod/sample-hostaliases labeled"),
            ("label pod sample-hostaliases stage=prod", "error: 'stage' already has a value (test), and "
                                                         "--overwrite is false"),
            ("annotate pod sample-hostaliases note=hi", "pod/sample-hostaliases annotated"),
            ("create namespace made-by-the-line", "namespace/made-by-the-line created"),
            ("rollout restart deploy/sample-deployment", "deployment.apps/sample-deployment restarted"),
        ]:
            await run_line(pilot, line)
            await until(lambda: said in status(app), message=said)
        await run_line(pilot, "rollout status deploy/sample-deployment")
        tab = await until(lambda: isinstance(active(app), ResultTab) and active(app), message="the status tab")
        await until(lambda: tab.done, timeout=60, message="the rollout's end")
        assert tab.printed.text.endswith('deployment "sample-deployment" successfully rolled out\n')
        await run_line(pilot, "rollout history deployment sample-deployment")
        history = await until(lambda: isinstance(active(app), ResultTab) and active(app) is not tab and active(app),
                              message="the history tab")
        await until(lambda: history.printed is not None, message="the history")
        assert history.printed.text.startswith("deployment.apps/sample-deployment \nREVISION  CHANGE-CAUSE\n1 ")

    run_app(app, scenario)


def test_refusals_keep_the_line_with_kubectls_words(app_on):
    app = app_on(readonly=True)

    async def scenario(pilot):
        await running(pilot)
        command_line = workspace(app).command_line
        for line, said in [
            ("cp a b", '"cp" is not supported inside kubetui'),
            ("kubectl get pods --bogus", "error: unknown flag: --bogus"),
            ("get foo", 'error: the server doesn\'t have a resource type "foo"'),
            ("delete pod sample-pod", '"delete" changes the cluster, and kubetui runs with --readonly: nothing was sent'),
            ("exec -it sample-pod -- bash", '"exec" changes the cluster, and kubetui runs with --readonly'),
        ]:
            await run_line(pilot, line)
            await until(lambda: said in hints(app), message=said)
            assert command_line.is_open and command_line.input.value == line
            await pilot.press("escape")
            await until(lambda: not command_line.is_open, message="closed")
        await run_line(pilot, "get pods sample-pod -o name")  # reading is fine read-only
        tab = await until(lambda: isinstance(active(app), ResultTab) and active(app), message="a result")
        await until(lambda: tab.printed is not None and tab.printed.text == "pod/sample-pod\n", message="the name")

    run_app(app, scenario)


def test_config_commands_write_the_kubeconfig_and_follow_it(app_on):
    app = app_on()

    async def scenario(pilot):
        await running(pilot)
        await run_line(pilot, "kubectl config set-context --current --namespace=kube-system")
        await until(lambda: 'Context "kubetui-local" modified.' in status(app), message="kubectl's line")
        await until(lambda: shown(app).namespace == "kube-system", message="the view in kube-system")
        config = yaml.safe_load(app_on.kubeconfig.read_text())
        assert next(c for c in config["contexts"] if c["name"] == "kubetui-local")["context"]["namespace"] == \
            "kube-system"
        await run_line(pilot, "config use-context kubetui-local-viewer")
        await until(lambda: 'Switched to context "kubetui-local-viewer".' in status(app), message="switched")
        await until(lambda: app.connection.context == "kubetui-local-viewer", message="the new connection")
        assert yaml.safe_load(app_on.kubeconfig.read_text())["current-context"] == "kubetui-local-viewer"

    run_app(app, scenario)
