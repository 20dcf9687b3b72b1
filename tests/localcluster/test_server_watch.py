"""Watches over the wire: initial state, resume from a resourceVersion, 410 Expired, bookmarks,
timeoutSeconds, selector transitions and Table events."""

from __future__ import annotations

import orjson
import pytest
from kubernetes import watch
from kubernetes.client.rest import ApiException

from tests.support.clusters import cluster_fixture

TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"


def configmap(name: str, **labels: str) -> dict:
    return {"metadata": {"name": name, "labels": labels}, "data": {"k": "v"}}


def read_events(response, count: int) -> list[dict]:
    """The first `count` watch events of a `_preload_content=False` response."""
    events: list[dict] = []
    buffer = b""
    for chunk in response.stream(4096):
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            if line.strip():
                events.append(orjson.loads(line))
                if len(events) == count:
                    return events
    return events


def test_watch_without_resource_version_starts_with_the_current_state(core_api, namespace):
    core_api.create_namespaced_config_map(namespace, configmap("first"))
    response = core_api.list_namespaced_config_map(namespace, watch=True, timeout_seconds=5,
                                                   _preload_content=False)
    try:
        core_api.create_namespaced_config_map(namespace, configmap("second"))
        events = read_events(response, 2)
    finally:
        response.release_conn()
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == [
        ("ADDED", "first"), ("ADDED", "second")]


def test_watch_resumes_from_a_resource_version(core_api, namespace):
    start = core_api.list_namespaced_config_map(namespace).metadata.resource_version
    core_api.create_namespaced_config_map(namespace, configmap("a"))
    core_api.patch_namespaced_config_map("a", namespace, {"data": {"k": "w"}})
    core_api.delete_namespaced_config_map("a", namespace)
    stream = watch.Watch().stream(core_api.list_namespaced_config_map, namespace,
                                  resource_version=start, timeout_seconds=2)
    events = [(e["type"], e["object"].metadata.name) for e in stream]
    assert events == [("ADDED", "a"), ("MODIFIED", "a"), ("DELETED", "a")]


def test_watch_timeout_seconds_ends_the_stream(core_api, namespace):
    response = core_api.list_namespaced_config_map(namespace, watch=True, timeout_seconds=1,
                                                   resource_version="0", _preload_content=False)
    assert response.data == b""  # nothing happened; the server closed the stream cleanly


def test_bookmarks_when_asked(core_api, namespace):
    response = core_api.list_namespaced_config_map(
        namespace, watch=True, allow_watch_bookmarks=True, timeout_seconds=5,
        resource_version=core_api.list_namespaced_config_map(namespace).metadata.resource_version,
        _preload_content=False)
    try:
        [event] = read_events(response, 1)
    finally:
        response.release_conn()
    assert event["type"] == "BOOKMARK"
    assert event["object"]["kind"] == "ConfigMap"
    assert event["object"]["metadata"]["resourceVersion"].isdigit()


def test_label_selector_watch_sees_objects_enter_and_leave(core_api, namespace):
    core_api.create_namespaced_config_map(namespace, configmap("moving", tier="web"))
    start = core_api.list_namespaced_config_map(namespace).metadata.resource_version
    core_api.patch_namespaced_config_map("moving", namespace, {"metadata": {"labels": {"tier": "db"}}})
    core_api.patch_namespaced_config_map("moving", namespace, {"metadata": {"labels": {"tier": "web"}}})
    stream = watch.Watch().stream(core_api.list_namespaced_config_map, namespace,
                                  label_selector="tier=web", resource_version=start,
                                  timeout_seconds=1)
    assert [e["type"] for e in stream] == ["DELETED", "ADDED"]


def test_table_watch_events_are_one_row_tables(raw, core_api, namespace):
    start = core_api.list_namespaced_pod(namespace).metadata.resource_version
    core_api.create_namespaced_pod(namespace, {"metadata": {"name": "tw"}, "spec": {
        "containers": [{"name": "c", "image": "busybox"}]}})
    status, _, body = raw.request(
        "GET", f"/api/v1/namespaces/{namespace}/pods?watch=true&resourceVersion={start}"
               "&timeoutSeconds=1", headers={"Accept": TABLE_ACCEPT})
    [event] = [orjson.loads(line) for line in body.splitlines() if line.strip()]
    table = event["object"]
    assert (status, event["type"], table["kind"]) == (200, "ADDED", "Table")
    assert [c["name"] for c in table["columnDefinitions"]][:5] == [
        "Name", "Ready", "Status", "Restarts", "Age"]
    [row] = table["rows"]
    assert row["cells"][:4] == ["tw", "0/1", "Pending", "0"]
    assert row["object"]["kind"] == "PartialObjectMetadata"
    assert row["object"]["metadata"]["namespace"] == namespace


def test_bad_resource_version_and_selector_are_400_before_streaming(raw, namespace):
    status, _, _ = raw.request("GET", f"/api/v1/namespaces/{namespace}/pods?watch=1&resourceVersion=x")
    assert status == 400


small_window_cluster = cluster_fixture("function", watch_window=3, controllers=False)


def test_too_old_resource_version_gets_410_expired(small_window_cluster):
    core = small_window_cluster.core
    old = core.list_namespaced_config_map("default").metadata.resource_version
    for index in range(5):
        core.create_namespaced_config_map("default", configmap(f"c{index}"))
    response = core.list_namespaced_config_map("default", watch=True, resource_version=old,
                                               _preload_content=False)
    [event] = [orjson.loads(line) for line in response.data.splitlines() if line.strip()]
    assert event["type"] == "ERROR"
    assert event["object"]["code"] == 410 and event["object"]["reason"] == "Expired"
    assert event["object"]["message"].startswith(f"too old resource version: {old} (")
    with pytest.raises(ApiException) as error:  # the client's Watch retries once, then raises
        list(watch.Watch().stream(core.list_namespaced_config_map, "default",
                                  resource_version=old, timeout_seconds=1))
    assert error.value.status == 410


def test_send_initial_events_ends_with_the_initial_events_end_bookmark(raw, core_api, namespace):
    core_api.create_namespaced_config_map(namespace, configmap("present"))
    _, _, body = raw.request(
        "GET", f"/api/v1/namespaces/{namespace}/configmaps?watch=true&sendInitialEvents=true"
               "&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1")
    events = [orjson.loads(line) for line in body.splitlines() if line.strip()]
    assert [e["type"] for e in events[:2]] == ["ADDED", "BOOKMARK"]
    assert events[1]["object"]["metadata"]["annotations"] == {"k8s.io/initial-events-end": "true"}


def test_changes_older_than_the_compaction_window_are_gone():
    from kubetui.localcluster.storage.changes import Change, ChangeLog, TooOldResourceVersion

    now = [0.0]
    log = ChangeLog(window=10_000, retention=300.0, now=lambda: now[0])
    for rv in (1, 2, 3):
        log.record(Change(rv, "ADDED", "pods", {"metadata": {"name": f"p{rv}"}}, None))
    assert [c.rv for c in log.since("pods", 1)] == [2, 3]  # recent: replayed
    now[0] = 301.0  # etcd compacted them: a watch from before them cannot be served
    log.record(Change(4, "ADDED", "pods", {"metadata": {"name": "p4"}}, None))
    with pytest.raises(TooOldResourceVersion) as expired:
        log.since("pods", 1)
    assert str(expired.value) == "too old resource version: 1 (3)"
    assert [c.rv for c in log.since("pods", 3)] == [4]  # nothing it needs is gone
    assert log.since("configmaps", 1) == []  # a quiet type lost nothing
