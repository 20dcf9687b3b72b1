"""The store's Python API, as the simulated kubelet and controllers use it on the loop thread."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kubetui.localcluster.storage.changes import TooOldResourceVersion
from kubetui.localcluster.apimachinery.errors import ApiError
from kubetui.localcluster.storage.store import Store
from tests.support.pods import container, pod_manifest

FIXED = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=timezone.utc)


@pytest.fixture
def store() -> Store:
    fresh = Store(window=4, clock=lambda: FIXED)
    fresh.create("namespaces", {"metadata": {"name": "default"}}, manager="test")
    return fresh


def pod(name: str, **spec) -> dict:
    return pod_manifest(name, container("c", "busybox"), namespace="default", **spec)


def test_create_sets_metadata_from_one_counter(store):
    first = store.create("pods", pod("a"), manager="test")
    second = store.create("pods", pod("b"), manager="test")
    assert int(second["metadata"]["resourceVersion"]) == int(first["metadata"]["resourceVersion"]) + 1
    assert first["metadata"]["creationTimestamp"] == "2026-01-02T03:04:05Z"
    assert store.get("pods", "default", "a") is first  # stored snapshot, not a copy


def test_caller_dict_is_never_stored(store):
    body = pod("a")
    created = store.create("pods", body, manager="test")
    assert created is not body and "uid" not in body["metadata"]


def test_list_sorted_and_filtered(store):
    for name, tier in (("b", "x"), ("a", "y"), ("c", "x")):
        store.create("pods", {**pod(name), "metadata": {"name": name, "namespace": "default",
                                                       "labels": {"tier": tier}}}, manager="t")
    items, rv = store.list("pods", "default", label_selector="tier=x")
    assert [i["metadata"]["name"] for i in items] == ["b", "c"]
    assert rv == store.resource_version
    assert store.list("pods", "other")[0] == []


def test_generation_bumps_on_spec_changes_only(store):
    created = store.create("pods", pod("a"), manager="t")
    relabeled = dict(created, metadata={**created["metadata"], "labels": {"x": "1"}})
    assert store.update("pods", relabeled, manager="t")["metadata"]["generation"] == 1
    changed = store.get("pods", "default", "a")
    respec = {**changed, "spec": {**changed["spec"], "activeDeadlineSeconds": 5}}
    assert store.update("pods", respec, manager="t")["metadata"]["generation"] == 2


def test_status_update_keeps_spec(store):
    store.create("pods", pod("a"), manager="t")
    body = {**pod("a", nodeName="n1"), "status": {"phase": "Running"}}
    updated = store.update("pods", body, subresource="status", manager="kubelet")
    assert updated["status"]["phase"] == "Running"
    assert "nodeName" not in updated["spec"]


def _replica_set(name: str) -> dict:
    labels = {"app": "web"}
    return {"metadata": {"name": name, "namespace": "default"},
            "spec": {"replicas": 2, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "c", "image": "busybox"}]}}}}


def test_write_status_stores_what_a_status_update_would(store):
    """The controllers' shallow status write: same object, managedFields and event as
    update(subresource="status"), with the rest shared with the live version."""
    status = {"replicas": 2, "readyReplicas": 1, "observedGeneration": 1}
    twin = store.create("replicasets", _replica_set("twin"), manager="t")
    updated = store.update("replicasets", {**twin, "status": status}, subresource="status",
                           manager="replicaset-controller")
    live = store.create("replicasets", _replica_set("rs"), manager="t")
    watcher, _ = store.watch("replicasets", resource_version=store.resource_version)
    written = store.write_status("replicasets", live, status, manager="replicaset-controller")

    def comparable(obj: dict) -> dict:
        meta = {k: v for k, v in obj["metadata"].items()
                if k not in ("name", "uid", "resourceVersion")}
        return {**obj, "metadata": meta}

    assert comparable(written) == comparable(updated)
    assert written["spec"] is live["spec"] and store.get("replicasets", "default", "rs") is written
    assert [(c.type, c.obj) for c in watcher.drain()] == [("MODIFIED", written)]
    assert store.write_status("replicasets", written, dict(status), manager="x") is written
    with pytest.raises(ApiError) as error:  # `live` is no longer the stored version
        store.write_status("replicasets", live, {"replicas": 0}, manager="replicaset-controller")
    assert error.value.code == 409


def test_listeners_see_changes_in_order_even_when_they_write(store):
    seen: list[tuple[str, str]] = []

    def echo(event_type: str, plural: str, obj: dict) -> None:
        seen.append((event_type, obj["metadata"]["name"]))
        if plural == "pods" and event_type == "ADDED" and obj["metadata"]["name"] == "a":
            store.create("configmaps", {"metadata": {"name": "side", "namespace": "default"}})

    store.add_listener(echo)
    store.add_listener(lambda *args: seen.append(("second", args[2]["metadata"]["name"])))
    store.create("pods", pod("a"), manager="t")
    assert seen == [("ADDED", "a"), ("second", "a"), ("ADDED", "side"), ("second", "side")]


def test_a_failing_listener_does_not_undo_the_write(store):
    store.add_listener(lambda *args: 1 / 0)
    store.create("pods", pod("a"), manager="t")
    assert store.get("pods", "default", "a") is not None


def test_graceful_delete_and_finalize(store):
    store.create("pods", pod("a", nodeName="n1"), manager="t")
    events: list[str] = []
    store.add_listener(lambda event_type, plural, obj: events.append(event_type))
    terminating = store.delete("pods", "default", "a")
    assert terminating["metadata"]["deletionTimestamp"] == "2026-01-02T03:04:35Z"
    assert store.get("pods", "default", "a") is terminating
    store.finalize_delete("pods", "default", "a")
    assert store.get("pods", "default", "a") is None
    assert events == ["MODIFIED", "DELETED"]
    store.finalize_delete("pods", "default", "a")  # already gone: no-op


def test_watch_replays_and_expires_by_window(store):
    start = store.resource_version
    watcher, initial = store.watch("configmaps", resource_version=start)
    assert initial == []
    for index in range(6):
        store.create("configmaps", {"metadata": {"name": f"c{index}", "namespace": "default"}})
    assert [c.obj["metadata"]["name"] for c in watcher.drain()] == [f"c{i}" for i in range(6)]
    store.unwatch(watcher)
    with pytest.raises(TooOldResourceVersion):
        store.watch("configmaps", resource_version=start)
    recent = store.resource_version - 2
    _, replay = store.watch("configmaps", resource_version=recent)
    assert [c.obj["metadata"]["name"] for c in replay] == ["c4", "c5"]


def test_update_of_a_missing_object_is_404(store):
    with pytest.raises(ApiError) as error:
        store.update("pods", pod("ghost"), manager="t")
    assert error.value.code == 404


def test_bind_sets_the_node_without_a_generation_bump(store):
    store.create("pods", pod("a"), manager="t")
    bound = store.bind("default", "a", "node-1")
    assert bound["spec"]["nodeName"] == "node-1"
    assert bound["metadata"]["generation"] == 1
    assert [c["type"] for c in bound["status"]["conditions"]] == ["PodScheduled"]
    with pytest.raises(ApiError) as error:
        store.bind("default", "a", "node-2")
    assert error.value.code == 409
    assert error.value.message.endswith('pod a is already assigned to node "node-1"')
