"""The kubectl lines kubetui shows do what kubetui did: each runs, as written, in the venv's kubectl
against the session's local API server.

The lines are built as the app builds them (`Where` of a kubeconfig whose context has no
namespace), in a namespace of the test's own, so they carry `-n`. Reading logs needs the kubelet
simulation and scaling the scale subresource, which the bare server leaves out, and an undo needs
a rollout history: the grammar tests check those lines (tests/model/test_kubectl_equivalent.py),
and the resource views' tests run the scale line on a cluster with its controllers.
"""

from __future__ import annotations

import shlex

import yaml

from kubetui.kube.exec_once import run_once
from kubetui.kube.exec_stream import ExecTarget
from kubetui.model import kubectl_equivalent as equivalent
from kubetui.model.kubectl_equivalent import POD, Where, command_line
from kubetui.model.resource_names import ApiResource

from tests.localcluster.exec_support import running_status

HERE = Where("default")
DEPLOY = ApiResource("apps", "v1", "deployments", "deployment", "Deployment", namespaced=True, short_names=("deploy",))


def run(kubectl_fixture, request, cwd=None):
    line = command_line(request, HERE)
    words = shlex.split(line)
    assert words[0] == "kubectl"
    result = kubectl_fixture(*words[1:]) if cwd is None else _in(kubectl_fixture, words[1:], cwd)
    assert result.returncode == 0, f"{line}\n{result.stderr}"
    return result


def _in(kubectl_fixture, args, cwd):
    import subprocess

    return subprocess.run([*kubectl_fixture.command, *args], capture_output=True, text=True, cwd=cwd,
                          env=kubectl_fixture.env, timeout=60)


def running_pod(raw, namespace: str, name: str, labels: dict) -> None:
    path = f"/api/v1/namespaces/{namespace}/pods"
    created = raw.json("POST", path, {"metadata": {"name": name, "labels": labels}, "spec": {
        "nodeName": "kind-worker", "containers": [{"name": "nginx", "image": "nginx:1.27"},
                                                  {"name": "sidecar", "image": "busybox"}]}}, expect=201)
    raw.json("PATCH", f"{path}/{name}/status", {"status": running_status(created, "10.244.1.40")},
             headers={"Content-Type": "application/merge-patch+json"}, expect=200)


def test_the_lines_of_reading_keys(kubectl, raw, namespace):
    running_pod(raw, namespace, "web", {"app": "web"})
    running_pod(raw, namespace, "db", {"app": "db"})
    raw.json("POST", f"/api/v1/namespaces/{namespace}/events", {
        "metadata": {"name": "web.1"}, "reason": "Pulled", "message": "pulled nginx", "type": "Normal",
        "involvedObject": {"kind": "Pod", "name": "web", "namespace": namespace, "apiVersion": "v1"},
        "firstTimestamp": "2026-11-26T16:00:00Z", "lastTimestamp": "2026-11-26T16:00:00Z", "count": 1,
        "source": {"component": "kubelet"}}, expect=201)

    listed = run(kubectl, equivalent.get_list(POD, namespace, selector="app=web", wide=True)).stdout
    assert [line.split()[0] for line in listed.splitlines()] == ["NAME", "web"] and "NODE" in listed
    assert "name: web" in run(kubectl, equivalent.get_yaml(POD, namespace, "web")).stdout
    assert run(kubectl, equivalent.describe(POD, namespace, "web")).stdout.startswith("Name:")
    assert "pulled nginx" in run(kubectl, equivalent.events_for(POD, namespace, "web")).stdout


def test_a_command_run_once_prints_what_kubetui_printed(kubectl, raw, namespace, api_client):
    running_pod(raw, namespace, "web", {"app": "web"})
    argv = ("/bin/sh", "-c", "echo hello from $HOSTNAME")
    line = run(kubectl, equivalent.exec_in(namespace, "web", "nginx", argv, tty=False, stdin=False))
    kubetui = run_once(api_client, ExecTarget(namespace, "web", "nginx", argv, tty=False))
    assert line.stdout == kubetui.output == "hello from web\n"


def test_the_lines_of_changing_keys(kubectl, raw, namespace, apps_api, core_api, tmp_path, wait_for):
    running_pod(raw, namespace, "db", {"app": "db"})
    raw.json("POST", f"/apis/apps/v1/namespaces/{namespace}/deployments", {
        "metadata": {"name": "web"}, "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                                              "template": {"metadata": {"labels": {"app": "web"}},
                                                           "spec": {"containers": [{"name": "nginx",
                                                                                    "image": "nginx"}]}}}},
             expect=201)

    run(kubectl, equivalent.rollout("restart", DEPLOY, namespace, "web"))
    template = apps_api.read_namespaced_deployment("web", namespace).spec.template
    assert "kubectl.kubernetes.io/restartedAt" in template.metadata.annotations

    run(kubectl, equivalent.delete(POD, namespace, "db", kill=True))
    assert wait_for(lambda: not core_api.list_namespaced_pod(namespace).items, message="the killed pod gone")

    (tmp_path / "settings.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n")
    run(kubectl, equivalent.apply("settings.yaml", namespace), cwd=tmp_path)
    assert [c.metadata.name for c in core_api.list_namespaced_config_map(namespace).items] == ["settings"]
    run(kubectl, equivalent.delete_files("settings.yaml", namespace), cwd=tmp_path)
    assert not core_api.list_namespaced_config_map(namespace).items


def test_the_line_of_a_context_switch(kubectl, kubeconfig_path, tmp_path):
    config = yaml.safe_load(kubeconfig_path.read_text())
    other = {**config["contexts"][0], "name": "other"}
    config["contexts"].append(other)
    copy = tmp_path / "config"
    copy.write_text(yaml.safe_dump(config))
    words = shlex.split(command_line(equivalent.use_context("other"), HERE))
    result = kubectl("--kubeconfig", str(copy), *words[1:])
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(copy.read_text())["current-context"] == "other"
