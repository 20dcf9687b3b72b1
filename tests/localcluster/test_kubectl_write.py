"""Real kubectl writing to the local API server: apply (client- and server-side), create, delete,
plus authentication and authorization failures as kubectl reports them."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.support.pods import container, pod_manifest

INVALID_NAME = (
    'The Pod "Sample_Pod" is invalid: metadata.name: Invalid value: "Sample_Pod": a lowercase '
    "RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character")


def write_manifest(directory: Path, document: dict) -> Path:
    path = directory / f"{document['metadata']['name'].lower()}.yaml"
    path.write_text(yaml.safe_dump(document))
    return path


def test_apply_twice_creates_then_configures(kubectl, core_api, namespace, tmp_path):
    manifest = pod_manifest("web", namespace=namespace)
    first = kubectl("apply", "-f", str(write_manifest(tmp_path, manifest)))
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "pod/web created"
    unchanged = kubectl("apply", "-f", str(write_manifest(tmp_path, manifest)))
    assert unchanged.stdout.strip() == "pod/web unchanged"
    manifest["spec"]["containers"][0]["image"] = "nginx:1.28"
    second = kubectl("apply", "-f", str(write_manifest(tmp_path, manifest)))
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "pod/web configured"
    live = core_api.read_namespaced_pod("web", namespace)
    assert live.spec.containers[0].image == "nginx:1.28"
    assert live.metadata.generation == 2
    assert "kubectl.kubernetes.io/last-applied-configuration" in live.metadata.annotations


def test_server_side_apply(kubectl, apps_api, namespace, tmp_path):
    deployment = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "api", "namespace": namespace},
        "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "api"}},
                 "template": {"metadata": {"labels": {"app": "api"}},
                              "spec": {"containers": [container("api", "busybox")]}}}}
    path = write_manifest(tmp_path, deployment)
    result = kubectl("apply", "--server-side", "-f", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "deployment.apps/api serverside-applied"
    again = kubectl("apply", "--server-side", "-f", str(path))
    assert again.stdout.strip() == "deployment.apps/api serverside-applied"
    live = apps_api.read_namespaced_deployment("api", namespace)
    managers = {(entry.manager, entry.operation) for entry in live.metadata.managed_fields}
    assert ("kubectl", "Apply") in managers
    dry = kubectl("apply", "--server-side", "--dry-run=server", "-f", str(path), "-o", "json")
    assert dry.returncode == 0, dry.stderr


def test_create_with_an_invalid_name_prints_the_real_message(kubectl, namespace, tmp_path):
    result = kubectl("create", "-f", str(write_manifest(tmp_path, pod_manifest("Sample_Pod", namespace=namespace))))
    assert result.returncode == 1
    assert INVALID_NAME in result.stderr


def test_create_twice_reports_already_exists(kubectl, namespace, tmp_path):
    path = write_manifest(tmp_path, pod_manifest("once", namespace=namespace))
    assert kubectl("create", "-f", str(path)).stdout.strip() == "pod/once created"
    again = kubectl("create", "-f", str(path))
    assert again.returncode == 1
    assert 'pods "once" already exists' in again.stderr


def test_delete_pod(kubectl, core_api, namespace, tmp_path):
    kubectl("apply", "-f", str(write_manifest(tmp_path, pod_manifest("doomed", namespace=namespace))))
    result = kubectl("delete", "pod", "doomed", "-n", namespace)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith('pod "doomed" deleted')
    missing = kubectl("get", "pod", "doomed", "-n", namespace)
    assert 'pods "doomed" not found' in missing.stderr


def test_label_and_merge_patch(kubectl, core_api, namespace, tmp_path):
    kubectl("apply", "-f", str(write_manifest(tmp_path, pod_manifest("tagged", namespace=namespace))))
    assert kubectl("label", "pod", "tagged", "-n", namespace, "tier=web").returncode == 0
    patched = kubectl("patch", "pod", "tagged", "-n", namespace, "--type=merge",
                      "-p", json.dumps({"metadata": {"annotations": {"note": "hi"}}}))
    assert patched.returncode == 0, patched.stderr
    json_patch = kubectl("patch", "pod", "tagged", "-n", namespace, "--type=json", "-p",
                         json.dumps([{"op": "add", "path": "/metadata/labels/extra", "value": "1"}]))
    assert json_patch.returncode == 0, json_patch.stderr
    live = core_api.read_namespaced_pod("tagged", namespace).metadata
    assert live.labels == {"tier": "web", "extra": "1"}
    assert live.annotations["note"] == "hi"


def test_wrong_token_is_unauthorized(kubectl):
    result = kubectl("--token", "not-the-token", "get", "pods")
    assert result.returncode == 1
    assert "error: You must be logged in to the server" in result.stderr


def test_viewer_reads_but_cannot_write(kubectl, namespace, tmp_path):
    listed = kubectl("--context", "kubetui-local-viewer", "get", "pods", "-n", namespace)
    assert listed.returncode == 0, listed.stderr
    created = kubectl("--context", "kubetui-local-viewer", "create", "-f",
                      str(write_manifest(tmp_path, pod_manifest("nope", namespace=namespace))))
    assert created.returncode == 1
    assert (f'pods is forbidden: User "viewer" cannot create resource "pods" in API group "" '
            f'in the namespace "{namespace}"') in created.stderr
    deleted = kubectl("--context", "kubetui-local-viewer", "delete", "pod", "x", "-n", namespace)
    assert (f'pods "x" is forbidden: User "viewer" cannot delete resource "pods" in API group "" '
            f'in the namespace "{namespace}"') in deleted.stderr


def test_create_subcommands_send_protobuf_and_it_is_decoded(kubectl, core_api, apps_api, namespace):
    # client-go's typed clients POST application/vnd.kubernetes.protobuf for these.
    for args in (["configmap", "settings", "--from-literal=mode=fast"],
                 ["deployment", "web", "--image=nginx:1.27", "--replicas=0", "--port=8080"],
                 ["service", "nodeport", "web", "--tcp=80:8080"]):
        result = kubectl("create", *args, "-n", namespace)
        assert result.returncode == 0, result.stderr
    assert core_api.read_namespaced_config_map("settings", namespace).data == {"mode": "fast"}
    deployment = apps_api.read_namespaced_deployment("web", namespace)
    assert deployment.spec.replicas == 0
    assert deployment.spec.selector.match_labels == {"app": "web"}
    [container] = deployment.spec.template.spec.containers
    assert (container.image, container.ports[0].container_port) == ("nginx:1.27", 8080)
    service = core_api.read_namespaced_service("web", namespace)
    assert service.spec.type == "NodePort"
    assert (service.spec.ports[0].port, service.spec.ports[0].target_port) == (80, 8080)
    created = kubectl("create", "namespace", f"{namespace}-extra")
    assert created.stdout.strip() == f"namespace/{namespace}-extra created"
    assert kubectl("delete", "namespace", f"{namespace}-extra").returncode == 0
