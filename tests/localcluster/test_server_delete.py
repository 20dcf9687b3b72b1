"""Deletion: graceful for pods bound to a node, immediate otherwise; dry run; preconditions;
the namespace lifecycle."""

from __future__ import annotations

import orjson
import pytest
from kubernetes import client
from kubernetes.client.rest import ApiException

# A node no simulated kubelet owns: nothing but the test finalizes these pods.
NOWHERE = "node-that-does-not-exist"


def bound_pod(name: str) -> dict:
    return {"metadata": {"name": name}, "spec": {
        "nodeName": NOWHERE, "terminationGracePeriodSeconds": 45,
        "containers": [{"name": "c", "image": "busybox"}]}}


def test_bound_pod_terminates_then_is_finalized(cluster, core_api, raw, namespace):
    created = core_api.create_namespaced_pod(namespace, bound_pod("slow"))
    status, _, body = raw.request("DELETE", f"/api/v1/namespaces/{namespace}/pods/slow",
                                  {"propagationPolicy": "Background"})
    answer = orjson.loads(body)
    assert status == 202
    assert answer["metadata"]["deletionGracePeriodSeconds"] == 45
    assert answer["metadata"]["deletionTimestamp"].endswith("Z")
    live = core_api.read_namespaced_pod("slow", namespace)
    assert live.metadata.deletion_timestamp is not None
    assert int(live.metadata.resource_version) > int(created.metadata.resource_version)
    cluster.call(cluster.store.finalize_delete, "pods", namespace, "slow")
    with pytest.raises(ApiException) as error:
        core_api.read_namespaced_pod("slow", namespace)
    assert error.value.status == 404


def test_zero_grace_period_deletes_a_bound_pod_at_once(core_api, namespace):
    core_api.create_namespaced_pod(namespace, bound_pod("fast"))
    core_api.delete_namespaced_pod("fast", namespace, grace_period_seconds=0)
    assert core_api.list_namespaced_pod(namespace).items == []


def test_a_second_delete_can_only_shorten_the_grace_period(core_api, namespace):
    core_api.create_namespaced_pod(namespace, bound_pod("twice"))
    first = core_api.delete_namespaced_pod("twice", namespace)
    again = core_api.delete_namespaced_pod("twice", namespace, grace_period_seconds=60)
    assert again.metadata.resource_version == first.metadata.resource_version
    core_api.delete_namespaced_pod("twice", namespace, grace_period_seconds=0)
    assert core_api.list_namespaced_pod(namespace).items == []


def test_dry_run_delete_keeps_the_object(core_api, namespace):
    core_api.create_namespaced_config_map(namespace, {"metadata": {"name": "keep"}})
    core_api.delete_namespaced_config_map("keep", namespace, dry_run="All")
    assert core_api.read_namespaced_config_map("keep", namespace).metadata.name == "keep"


def test_delete_precondition_on_uid(core_api, namespace):
    core_api.create_namespaced_config_map(namespace, {"metadata": {"name": "pre"}})
    with pytest.raises(ApiException) as error:
        core_api.delete_namespaced_config_map(
            "pre", namespace, body=client.V1DeleteOptions(preconditions=client.V1Preconditions(uid="other")))
    assert error.value.status == 409
    assert "Precondition failed: UID in precondition: other" in orjson.loads(error.value.body)["message"]


def test_finalizers_hold_an_object_until_removed(core_api, namespace):
    core_api.create_namespaced_config_map(namespace, {"metadata": {
        "name": "held", "finalizers": ["example.com/hold"]}})
    core_api.delete_namespaced_config_map("held", namespace)
    held = core_api.read_namespaced_config_map("held", namespace)
    assert held.metadata.deletion_timestamp is not None
    core_api.patch_namespaced_config_map("held", namespace, {"metadata": {"finalizers": None}})
    assert core_api.list_namespaced_config_map(namespace).items == []


def test_deleting_a_namespace_deletes_its_content(cluster, core_api, raw):
    raw.json("POST", "/api/v1/namespaces", {"metadata": {"name": "doomed-ns"}}, expect=201)
    core_api.create_namespaced_config_map("doomed-ns", {"metadata": {"name": "c"}})
    core_api.create_namespaced_pod("doomed-ns", bound_pod("bound"))
    core_api.delete_namespace("doomed-ns")
    terminating = core_api.read_namespace("doomed-ns")
    assert terminating.status.phase == "Terminating"
    assert core_api.list_namespaced_config_map("doomed-ns").items == []
    with pytest.raises(ApiException) as error:
        core_api.create_namespaced_config_map("doomed-ns", {"metadata": {"name": "late"}})
    assert error.value.status == 403
    assert "because it is being terminated" in orjson.loads(error.value.body)["message"]
    cluster.call(cluster.store.finalize_delete, "pods", "doomed-ns", "bound")
    with pytest.raises(ApiException) as gone:
        core_api.read_namespace("doomed-ns")
    assert gone.value.status == 404
