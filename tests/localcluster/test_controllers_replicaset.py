"""The ReplicaSet controller against the real server: pods from the template, ownership,
replacement, scale-down and status; plus the scale subresource of a ReplicaSet."""

from __future__ import annotations

import re

from tests.localcluster.workload_support import live, owned_by
from tests.support.clusters import cluster_fixture
from tests.support.pods import container, pod_manifest
from tests.support.waiting import wait_for

NAMESPACE = "default"
POD_NAME = re.compile(r"^web-rs-[bcdfghjklmnpqrstvwxz2456789]{5}$")


running = cluster_fixture(time_scale=10.0)


def _replica_set(name: str, replicas: int, app: str, min_ready_seconds: int = 0) -> dict:
    return {
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": name, "labels": {"app": app}},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": app}},
                 "minReadySeconds": min_ready_seconds,
                 "template": {"metadata": {"labels": {"app": app, "tier": "web"}},
                              "spec": {"containers": [container("nginx", "nginx:1.27")]}}},
    }


def _owned_pods(running, rs: dict) -> list[dict]:
    pods = running.get_json(running.core.list_namespaced_pod, NAMESPACE)["items"]
    return [pod for pod in pods if owned_by(pod, rs)]


def _read_rs(running, name: str) -> dict:
    return running.get_json(running.apps.read_namespaced_replica_set, name, NAMESPACE)


def _status_when(running, name: str, predicate, message: str) -> dict:
    def check():
        status = _read_rs(running, name).get("status") or {}
        return status if predicate(status) else None

    return wait_for(check, timeout=60, message=message)


def test_replicaset_creates_its_pods_with_owner_references(running):
    rs = running.get_json(running.apps.create_namespaced_replica_set, NAMESPACE,
                          _replica_set("web-rs", 3, "web-rs"))
    pods = wait_for(lambda: len(live(_owned_pods(running, rs))) == 3 and _owned_pods(running, rs),
                    message="3 pods owned by web-rs")
    for pod in pods:
        assert POD_NAME.match(pod["metadata"]["name"]), pod["metadata"]["name"]
        assert pod["metadata"]["generateName"] == "web-rs-"
        assert pod["metadata"]["labels"] == {"app": "web-rs", "tier": "web"}
        (ref,) = pod["metadata"]["ownerReferences"]
        assert ref == {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-rs",
                       "uid": rs["metadata"]["uid"], "controller": True,
                       "blockOwnerDeletion": True}
        assert pod["spec"]["containers"][0]["image"] == "nginx:1.27"
    status = _status_when(running, "web-rs", lambda st: st.get("replicas") == 3,
                          "RS status.replicas 3")
    assert status["observedGeneration"] == 1
    assert status["fullyLabeledReplicas"] == 3


def _running_rs(running, name: str, replicas: int = 3) -> dict:
    """A ReplicaSet of this test's own, once its pods exist (each test stands alone)."""
    rs = running.get_json(running.apps.create_namespaced_replica_set, NAMESPACE,
                          _replica_set(name, replicas, name))
    wait_for(lambda: len(live(_owned_pods(running, rs))) == replicas, message=f"{replicas} pods owned by {name}")
    return rs


def test_ready_pods_count_as_ready_and_available(running):
    # The simulated kubelet starts the containers; the controller counts the Ready pods.
    _running_rs(running, "ready-rs")
    status = _status_when(running, "ready-rs", lambda st: st.get("readyReplicas") == 3,
                          "3 ready replicas")
    assert status["availableReplicas"] == 3


def test_min_ready_seconds_delays_availability(running):
    rs = running.get_json(running.apps.create_namespaced_replica_set, NAMESPACE,
                          _replica_set("slow", 2, "slow", min_ready_seconds=3600))
    status = _status_when(running, "slow", lambda st: st.get("readyReplicas") == 2,
                          "2 ready replicas")
    assert "availableReplicas" not in status  # ready for less than an hour: not available
    running.apps.delete_namespaced_replica_set("slow", NAMESPACE)
    wait_for(lambda: not live(_owned_pods(running, rs)), message="slow's pods deleted")


def test_a_deleted_pod_is_replaced(running):
    rs = _running_rs(running, "replaced-rs")
    victim = live(_owned_pods(running, rs))[0]["metadata"]["name"]
    running.kubectl("delete", "pod", victim, "--wait=false")

    def replaced():
        names = [pod["metadata"]["name"] for pod in live(_owned_pods(running, rs))]
        return len(names) == 3 and victim not in names and names

    wait_for(replaced, message=f"a replacement for {victim}")


def test_scale_down_deletes_pods_and_status_follows(running):
    rs = _running_rs(running, "shrink-rs")
    running.kubectl("scale", "replicaset", "shrink-rs", "--replicas=1")
    wait_for(lambda: len(live(_owned_pods(running, rs))) == 1, message="1 live pod")
    _status_when(running, "shrink-rs",
                 lambda st: st.get("replicas") == 1 and st.get("observedGeneration") == 2,
                 "status.replicas 1 for generation 2")


def test_replicaset_scale_subresource(running):
    _running_rs(running, "scaled-rs", replicas=1)
    status, _, scale = running.raw.call(
        "GET", f"/apis/apps/v1/namespaces/{NAMESPACE}/replicasets/scaled-rs/scale")
    assert status == 200
    assert scale["kind"] == "Scale" and scale["apiVersion"] == "autoscaling/v1"
    assert scale["metadata"]["name"] == "scaled-rs"
    assert scale["spec"] == {"replicas": 1}
    assert scale["status"]["selector"] == "app=scaled-rs"


def test_orphans_matching_the_selector_are_adopted_and_extras_deleted(running):
    rs = running.get_json(running.apps.create_namespaced_replica_set, NAMESPACE,
                          _replica_set("adopter", 1, "adopt-me"))
    wait_for(lambda: len(live(_owned_pods(running, rs))) == 1, message="adopter's first pod")
    orphan = pod_manifest("stray", container("c", "busybox:1.36"), labels={"app": "adopt-me"})
    running.get_json(running.core.create_namespaced_pod, NAMESPACE, orphan)
    # Two matching pods for one replica: the stray is adopted, then one of the two is deleted.
    wait_for(lambda: len(live(_owned_pods(running, rs))) == 1
             and len([p for p in running.get_json(running.core.list_namespaced_pod, NAMESPACE,
                                                   label_selector="app=adopt-me")["items"]
                      if not p["metadata"].get("deletionTimestamp")]) == 1,
             message="exactly one live adopt-me pod, owned by the ReplicaSet")
