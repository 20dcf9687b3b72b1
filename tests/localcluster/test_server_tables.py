"""Server-side printing: meta.k8s.io/v1 Tables for lists and single objects, per kind."""

from __future__ import annotations

import pytest

from tests.support.pods import container, pod_manifest

TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"


def table(raw, path: str) -> dict:
    answer = raw.json("GET", path, headers={"Accept": TABLE_ACCEPT}, expect=200)
    assert (answer["kind"], answer["apiVersion"]) == ("Table", "meta.k8s.io/v1")
    return answer


def columns(answer: dict, priority: int | None = 0) -> list[str]:
    return [c["name"] for c in answer["columnDefinitions"]
            if priority is None or c["priority"] == priority]


def test_pod_table_list_and_single_get(raw, core_api, namespace):
    core_api.create_namespaced_pod(namespace, pod_manifest("p1", container("c", "x"), labels={"a": "b"}))
    listed = table(raw, f"/api/v1/namespaces/{namespace}/pods?limit=500")
    assert columns(listed) == ["Name", "Ready", "Status", "Restarts", "Age"]
    assert columns(listed, 1) == ["IP", "Node", "Nominated Node", "Readiness Gates"]
    [row] = listed["rows"]
    assert row["cells"][:4] == ["p1", "0/1", "Pending", "0"]
    assert row["cells"][5:] == ["<none>", "<none>", "<none>", "<none>"]
    metadata = row["object"]["metadata"]
    assert (metadata["namespace"], metadata["labels"]) == (namespace, {"a": "b"})
    assert listed["metadata"]["resourceVersion"].isdigit()
    single = table(raw, f"/api/v1/namespaces/{namespace}/pods/p1")
    assert [r["cells"][0] for r in single["rows"]] == ["p1"]


def test_plain_json_without_the_table_accept(raw, namespace):
    listed = raw.json("GET", f"/api/v1/namespaces/{namespace}/pods", expect=200)
    assert (listed["kind"], listed["apiVersion"], listed["items"]) == ("PodList", "v1", [])


def test_table_pages_carry_the_continue_token(raw, core_api, namespace):
    for index in range(3):
        core_api.create_namespaced_config_map(namespace, {"metadata": {"name": f"c{index}"}})
    first = table(raw, f"/api/v1/namespaces/{namespace}/configmaps?limit=2")
    assert [r["cells"][0] for r in first["rows"]] == ["c0", "c1"]
    token = first["metadata"]["continue"]
    second = table(raw, f"/api/v1/namespaces/{namespace}/configmaps?limit=2&continue={token}")
    assert [r["cells"][0] for r in second["rows"]] == ["c2"]
    assert "continue" not in second["metadata"]


def test_deployment_and_replicaset_columns(raw, apps_api, namespace):
    spec = {"replicas": 0, "selector": {"matchLabels": {"app": "w"}},
            "template": {"metadata": {"labels": {"app": "w"}},
                         "spec": {"containers": [container("w", "nginx:1")]}}}
    apps_api.create_namespaced_deployment(namespace, {"metadata": {"name": "w"}, "spec": spec})
    apps_api.create_namespaced_replica_set(namespace, {"metadata": {"name": "rs"}, "spec": spec})
    deployments = table(raw, f"/apis/apps/v1/namespaces/{namespace}/deployments")
    assert columns(deployments) == ["Name", "Ready", "Up-to-date", "Available", "Age"]
    assert columns(deployments, 1) == ["Containers", "Images", "Selector"]
    row = deployments["rows"][0]["cells"]
    assert row[:4] == ["w", "0/0", 0, 0] and row[5:] == ["w", "nginx:1", "app=w"]
    replicasets = table(raw, f"/apis/apps/v1/namespaces/{namespace}/replicasets")
    assert columns(replicasets) == ["Name", "Desired", "Current", "Ready", "Age"]
    assert next(r for r in replicasets["rows"] if r["cells"][0] == "rs")["cells"][1:4] == [0, 0, 0]


@pytest.mark.parametrize("path, expected", [
    ("/api/v1/namespaces", ["Name", "Status", "Age"]),
    ("/api/v1/nodes", ["Name", "Status", "Roles", "Age", "Version"]),
    ("/api/v1/namespaces/default/services", ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age"]),
    ("/api/v1/namespaces/default/configmaps", ["Name", "Data", "Age"]),
    ("/api/v1/namespaces/default/events", ["Last Seen", "Type", "Reason", "Object", "Message"]),
])
def test_other_kinds_columns(raw, path, expected):
    assert columns(table(raw, path)) == expected


def test_service_and_event_cells(raw, core_api, namespace):
    core_api.create_namespaced_service(namespace, {"metadata": {"name": "s"}, "spec": {
        "type": "NodePort", "ports": [{"port": 80, "nodePort": 30080}]}})
    [service] = table(raw, f"/api/v1/namespaces/{namespace}/services")["rows"]
    assert service["cells"][1] == "NodePort" and service["cells"][3:5] == ["<none>", "80:30080/TCP"]
    core_api.create_namespaced_event(namespace, {
        "metadata": {"name": "e1"}, "type": "Warning", "reason": "BackOff",
        "message": "Back-off restarting failed container", "count": 3,
        "involvedObject": {"kind": "Pod", "name": "web", "namespace": namespace},
        "firstTimestamp": "2020-01-01T00:00:00Z", "lastTimestamp": "2020-01-01T00:00:00Z"})
    [event] = table(raw, f"/api/v1/namespaces/{namespace}/events")["rows"]
    assert event["cells"][1:4] == ["Warning", "BackOff", "pod/web"]
    assert event["cells"][6] == "Back-off restarting failed container"
    assert event["cells"][8] == 3


@pytest.mark.parametrize("include, wanted", [
    ("None", lambda row: row["object"] is None),
    ("Metadata", lambda row: row["object"]["kind"] == "PartialObjectMetadata" and "data" not in row["object"]),
    ("Object", lambda row: row["object"]["kind"] == "ConfigMap" and row["object"]["data"] == {"k": "v"}),
])
def test_include_object_chooses_what_rows_carry(raw, namespace, include, wanted):
    raw.json("POST", f"/api/v1/namespaces/{namespace}/configmaps", {"metadata": {"name": "c"}, "data": {"k": "v"}},
             expect=201)
    for path in (f"/api/v1/namespaces/{namespace}/configmaps", f"/api/v1/namespaces/{namespace}/configmaps/c"):
        [row] = table(raw, f"{path}?includeObject={include}")["rows"]
        assert row["cells"][:2] == ["c", 1] and wanted(row)
