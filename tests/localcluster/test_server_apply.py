"""Server-side apply through the official client's DynamicClient: create, dry run, conflicts,
force, and the fieldManager requirement."""

from __future__ import annotations

import orjson
import pytest
from kubernetes.dynamic import DynamicClient
from kubernetes.dynamic.exceptions import ConflictError, UnprocessibleEntityError

from tests.support.pods import container, pod_manifest


@pytest.fixture(scope="module")
def pods(api_client, tmp_path_factory):
    cache = tmp_path_factory.mktemp("dynamic") / "discovery.json"
    return DynamicClient(api_client, cache_file=str(cache)).resources.get(api_version="v1", kind="Pod")


def pod(name: str, namespace: str, image: str = "nginx:1.27", **labels: str) -> dict:
    return pod_manifest(name, container(image=image), namespace=namespace, labels=labels)


def test_apply_creates_then_updates(pods, core_api, namespace):
    created = pods.server_side_apply(body=pod("ssa", namespace, tier="web"), namespace=namespace,
                                     field_manager="kubetui")
    assert created.metadata.labels.tier == "web"
    entry = created.metadata.managedFields[0]
    assert (entry.manager, entry.operation, entry.fieldsType) == ("kubetui", "Apply", "FieldsV1")
    updated = pods.server_side_apply(body=pod("ssa", namespace, tier="db"), namespace=namespace,
                                     field_manager="kubetui")
    assert updated.metadata.labels.tier == "db"
    assert int(updated.metadata.resourceVersion) > int(created.metadata.resourceVersion)


def test_apply_dry_run_stores_nothing(pods, core_api, namespace):
    answer = pods.server_side_apply(body=pod("dry", namespace), namespace=namespace,
                                    field_manager="kubetui", dry_run="All")
    assert answer.metadata.name == "dry"
    assert core_api.list_namespaced_pod(namespace).items == []


def test_apply_conflict_and_force(pods, namespace):
    pods.server_side_apply(body=pod("owned", namespace, image="nginx:1"), namespace=namespace,
                           field_manager="alice")
    with pytest.raises(ConflictError) as error:
        pods.server_side_apply(body=pod("owned", namespace, image="nginx:2"), namespace=namespace,
                               field_manager="bob")
    status = orjson.loads(error.value.body)
    assert status["message"] == ('Apply failed with 1 conflict: conflict with "alice": '
                                 '.spec.containers[name="main"].image')
    forced = pods.server_side_apply(body=pod("owned", namespace, image="nginx:2"),
                                    namespace=namespace, field_manager="bob", force_conflicts=True)
    assert forced.spec.containers[0].image == "nginx:2"


def test_apply_without_field_manager_is_422(raw, namespace):
    status, _, body = raw.request(
        "PATCH", f"/api/v1/namespaces/{namespace}/pods/nofm",
        b'{"apiVersion":"v1","kind":"Pod","metadata":{"name":"nofm"},'
        b'"spec":{"containers":[{"name":"c","image":"x"}]}}',
        {"Content-Type": "application/apply-patch+yaml"})
    assert status == 422
    assert b"fieldManager: Required value: is required for apply patch" in body


def test_dynamic_client_surfaces_the_422(pods, namespace):
    with pytest.raises(UnprocessibleEntityError):
        pods.server_side_apply(body=pod("nofm", namespace), namespace=namespace, field_manager="")


def test_apply_accepts_yaml_text(raw, namespace):
    manifest = (b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\n"
                b"data:\n  key: value\n")
    status, _, body = raw.request(
        "PATCH", f"/api/v1/namespaces/{namespace}/configmaps/from-yaml?fieldManager=me",
        manifest, {"Content-Type": "application/apply-patch+yaml"})
    assert status == 201, body
