"""The official Python client against the local API server: create, read, list, replace, patch,
delete, with the metadata and defaults the client's strict models require."""

from __future__ import annotations

import re

import orjson
import pytest
from kubernetes.client.rest import ApiException

from tests.support.pods import container, pod_manifest


def pod_body(name: str = "", image: str = "nginx:1.27", **metadata) -> dict:
    manifest = pod_manifest(name, container(image=image), metadata=metadata)
    if not name:
        del manifest["metadata"]["name"]  # the server makes one from generate_name
    return manifest


def status_of(error: ApiException) -> dict:
    return orjson.loads(error.body)


def test_create_fills_metadata_and_defaults(core_api, namespace):
    created = core_api.create_namespaced_pod(namespace, pod_body("web"))
    meta = created.metadata
    assert re.fullmatch(r"[0-9a-f-]{36}", meta.uid)
    assert meta.resource_version.isdigit()
    assert meta.generation == 1
    assert meta.creation_timestamp.tzinfo is not None
    spec = created.spec
    assert (spec.restart_policy, spec.dns_policy, spec.scheduler_name) == (
        "Always", "ClusterFirst", "default-scheduler")
    assert spec.termination_grace_period_seconds == 30 and spec.enable_service_links is True
    container = spec.containers[0]
    assert container.image_pull_policy == "IfNotPresent"
    assert container.termination_message_path == "/dev/termination-log"
    assert created.status.phase == "Pending" and created.status.qos_class == "BestEffort"


@pytest.mark.parametrize("image, policy", [("nginx", "Always"), ("nginx:latest", "Always"),
                                           ("registry:5000/app:v2", "IfNotPresent")])
def test_image_pull_policy_default(core_api, namespace, image, policy):
    created = core_api.create_namespaced_pod(namespace, pod_body(generate_name="p-", image=image))
    assert created.spec.containers[0].image_pull_policy == policy


def test_generate_name_and_the_creation_timestamp_format(core_api, namespace):
    created = core_api.create_namespaced_pod(namespace, pod_body(generate_name="worker-"),
                                             _preload_content=False)
    body = orjson.loads(created.data)
    assert re.fullmatch(r"worker-[bcdfghjklmnpqrstvwxz2456789]{5}", body["metadata"]["name"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["metadata"]["creationTimestamp"])


def test_read_list_and_not_found(core_api, namespace):
    core_api.create_namespaced_pod(namespace, pod_body("one", labels={"app": "a"}))
    core_api.create_namespaced_pod(namespace, pod_body("two", labels={"app": "b"}))
    assert core_api.read_namespaced_pod("one", namespace).metadata.name == "one"
    listed = core_api.list_namespaced_pod(namespace, label_selector="app in (b)")
    assert [p.metadata.name for p in listed.items] == ["two"]
    assert int(listed.metadata.resource_version) >= 1
    with pytest.raises(ApiException) as missing:
        core_api.read_namespaced_pod("nothere", namespace)
    assert missing.value.status == 404
    assert status_of(missing.value)["message"] == 'pods "nothere" not found'


def test_duplicate_create_is_409_already_exists(core_api, namespace):
    core_api.create_namespaced_pod(namespace, pod_body("dup"))
    with pytest.raises(ApiException) as error:
        core_api.create_namespaced_pod(namespace, pod_body("dup"))
    assert error.value.status == 409
    assert status_of(error.value)["reason"] == "AlreadyExists"


def test_create_in_a_missing_namespace_is_404(core_api):
    with pytest.raises(ApiException) as error:
        core_api.create_namespaced_pod("no-such-namespace", pod_body("x"))
    assert error.value.status == 404
    assert status_of(error.value)["message"] == 'namespaces "no-such-namespace" not found'


def test_namespace_mismatch_is_400(raw, namespace):
    status, _, body = raw.request("POST", f"/api/v1/namespaces/{namespace}/pods",
                                  pod_body("x", namespace="default"))
    assert status == 400
    assert b"does not match the namespace sent on the request" in body


def test_replace_with_a_stale_resource_version_is_409(core_api, namespace):
    created = core_api.create_namespaced_pod(namespace, pod_body("rep", labels={"v": "1"}))
    created.metadata.labels = {"v": "2"}
    replaced = core_api.replace_namespaced_pod("rep", namespace, created)
    assert replaced.metadata.labels == {"v": "2"}
    assert int(replaced.metadata.resource_version) > int(created.metadata.resource_version)
    created.metadata.labels = {"v": "3"}  # still carries the old resourceVersion
    with pytest.raises(ApiException) as error:
        core_api.replace_namespaced_pod("rep", namespace, created)
    assert error.value.status == 409
    assert status_of(error.value)["message"] == (
        'Operation cannot be fulfilled on pods "rep": the object has been modified; '
        "please apply your changes to the latest version and try again")


def test_patch_types(core_api, raw, namespace):
    core_api.create_namespaced_pod(namespace, pod_body("pat"))
    strategic = core_api.patch_namespaced_pod("pat", namespace, {"metadata": {"labels": {"a": "1"}}})
    assert strategic.metadata.labels == {"a": "1"}
    json_patch = core_api.patch_namespaced_pod(
        "pat", namespace, [{"op": "add", "path": "/metadata/labels/b", "value": "2"}])
    assert json_patch.metadata.labels == {"a": "1", "b": "2"}
    path = f"/api/v1/namespaces/{namespace}/pods/pat"
    merged = raw.json("PATCH", path, b'{"metadata":{"labels":{"a":null}}}',
                      {"Content-Type": "application/merge-patch+json"}, expect=200)
    assert merged["metadata"]["labels"] == {"b": "2"}
    status, _, body = raw.request("PATCH", path, b"{}", {"Content-Type": "text/plain"})
    assert status == 415 and orjson.loads(body)["reason"] == "UnsupportedMediaType"


def test_no_op_write_keeps_the_resource_version(core_api, namespace):
    created = core_api.create_namespaced_pod(namespace, pod_body("same", labels={"x": "1"}))
    again = core_api.patch_namespaced_pod("same", namespace, {"metadata": {"labels": {"x": "1"}}})
    assert again.metadata.resource_version == created.metadata.resource_version


def test_status_subresource_changes_only_status(core_api, namespace):
    core_api.create_namespaced_pod(namespace, pod_body("st", labels={"k": "v"}))
    patched = core_api.patch_namespaced_pod_status(
        "st", namespace, {"status": {"phase": "Running"}, "metadata": {"labels": {"k": "changed"}}})
    assert patched.status.phase == "Running"
    replaced = core_api.replace_namespaced_pod("st", namespace, {
        **pod_body("st", labels={"k": "v"}), "status": {"phase": "Failed"}})
    assert replaced.status.phase == "Running"  # status is ignored on the main resource
    assert core_api.read_namespaced_pod_status("st", namespace).status.phase == "Running"


def test_dry_run_create_stores_nothing(core_api, namespace):
    answer = core_api.create_namespaced_pod(namespace, pod_body("ghost"), dry_run="All")
    assert answer.metadata.name == "ghost"
    with pytest.raises(ApiException) as error:
        core_api.read_namespaced_pod("ghost", namespace)
    assert error.value.status == 404


def test_unbound_pod_is_deleted_at_once(core_api, namespace):
    core_api.create_namespaced_pod(namespace, pod_body("bye"))
    answer = core_api.delete_namespaced_pod("bye", namespace)
    assert answer.metadata.name == "bye"
    assert core_api.list_namespaced_pod(namespace).items == []


def test_delete_of_a_configmap_answers_a_success_status(core_api, namespace):
    core_api.create_namespaced_config_map(namespace, {"metadata": {"name": "cfg"},
                                                      "data": {"a": "1"}})
    status = core_api.delete_namespaced_config_map("cfg", namespace)
    assert status["status"] == "Success" and status["details"]["name"] == "cfg"


def test_pagination_with_limit_and_continue(core_api, namespace):
    for index in range(7):
        core_api.create_namespaced_config_map(namespace, {"metadata": {"name": f"cm-{index}"}})
    seen, token, pages = [], None, 0
    while True:
        page = core_api.list_namespaced_config_map(namespace, limit=3, _continue=token)
        seen += [item.metadata.name for item in page.items]
        pages += 1
        token = page.metadata._continue
        if not token:
            break
        assert page.metadata.remaining_item_count == 7 - len(seen)
    assert pages == 3
    assert seen == [f"cm-{index}" for index in range(7)]


def test_bad_label_selector_is_400(core_api, namespace):
    with pytest.raises(ApiException) as error:
        core_api.list_namespaced_pod(namespace, label_selector="a in (")
    assert error.value.status == 400


def test_services_get_a_cluster_ip(core_api, namespace):
    service = core_api.create_namespaced_service(namespace, {
        "metadata": {"name": "svc"}, "spec": {"selector": {"app": "a"}, "ports": [{"port": 80}]}})
    assert re.fullmatch(r"10\.9[6-9]\.\d+\.\d+|10\.1[01]\d\.\d+\.\d+", service.spec.cluster_ip)
    assert service.spec.ports[0].target_port == 80
    assert service.spec.type == "ClusterIP"


def test_binding_subresource(core_api, raw, namespace):
    core_api.create_namespaced_pod(namespace, pod_body("tobind"))
    status, _, body = raw.request(
        "POST", f"/api/v1/namespaces/{namespace}/pods/tobind/binding",
        {"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "tobind"},
         "target": {"apiVersion": "v1", "kind": "Node", "name": "node-a"}})
    assert status == 201, body
    bound = core_api.read_namespaced_pod("tobind", namespace)
    assert bound.spec.node_name == "node-a" and bound.metadata.generation == 1
