"""kubectl describe's rules the local cluster cannot show: terminating pods, event series, leases,
quotas, endpoint slices, computed QoS classes, replica set selection, the generic layout."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kubetui.model.describe import Related, describe
from kubetui.model.describe.generic import smart_label
from kubetui.model.describe.pod_resources import pod_qos_class
from kubetui.model.describe.workloads import split_replica_sets
from kubetui.model.go_sort import go_sort
from tests.support.pods import container, pod_manifest

NOW = datetime(2026, 12, 2, 12, 0, 0, tzinfo=timezone.utc)
UTC = timezone.utc


def _pod(**spec) -> dict:
    return pod_manifest("web", container("c", "nginx"), namespace="default", metadata={"uid": "u1"},
                        status={"phase": "Running"}, **spec)


def _lines(text: str) -> list[str]:
    return text.splitlines()


def test_a_terminating_pod_says_for_how_long_and_its_grace_period():
    pod = _pod()
    pod["metadata"].update(deletionTimestamp="2026-12-02T11:58:00Z", deletionGracePeriodSeconds=30)
    text = describe("", "Pod", pod, Related(), NOW, UTC)
    assert "Status:                    Terminating (lasts 2m)" in _lines(text)
    assert "Termination Grace Period:  30s" in _lines(text)


def test_a_finished_pod_being_deleted_shows_its_phase():
    pod = _pod()
    pod["metadata"]["deletionTimestamp"] = "2026-12-02T11:58:00Z"
    pod["status"]["phase"] = "Succeeded"
    assert "Status:       Succeeded" in _lines(describe("", "Pod", pod, Related(), NOW, UTC))


def _events_table(events: list[dict]) -> list[str]:
    text = describe("", "Pod", _pod(), Related(events=events), NOW, UTC)
    return text.split("Events:", 1)[1].splitlines()


def test_events_without_any_print_none_and_without_asking_print_nothing():
    assert describe("", "Pod", _pod(), Related(events=[]), NOW, UTC).endswith(
        "Tolerations:      <none>\nEvents:           <none>\n")
    assert "Events" not in describe("", "Pod", _pod(), Related(events=None), NOW, UTC)


def test_repeated_events_show_last_seen_count_and_first_seen():
    rows = _events_table([
        {"type": "Warning", "reason": "BackOff", "message": "  back-off  \n", "count": 7,
         "firstTimestamp": "2026-12-02T11:00:00Z", "lastTimestamp": "2026-12-02T11:59:30Z",
         "source": {"component": "kubelet"}, "involvedObject": {"fieldPath": "spec.containers{c}"}},
        {"type": "Normal", "reason": "Scheduled", "message": "assigned", "reportingComponent": "default-scheduler",
         "eventTime": "2026-12-02T11:00:00.500000Z"},
        {"type": "Normal", "reason": "Synced", "message": "synced", "lastTimestamp": "2026-12-02T11:30:00Z",
         "eventTime": "2026-12-02T11:10:00.000000Z",
         "series": {"count": 4, "lastObservedTime": "2026-12-02T11:55:00.000000Z"}},
    ])
    assert rows == [
        "",
        "  Type     Reason     Age                From               Message",
        "  ----     ------     ----               ----               -------",
        "  Normal   Scheduled  59m                default-scheduler  assigned",
        "  Normal   Synced     5m (x4 over 50m)                      synced",
        "  Warning  BackOff    30s (x7 over 60m)  kubelet            spec.containers{c}: back-off",
    ]


def test_more_than_twelve_events_are_sorted_by_last_timestamp():
    events = [{"type": "Normal", "reason": f"R{i}", "message": str(i), "source": {"component": "x"},
               "lastTimestamp": f"2026-12-02T11:{59 - i:02d}:00Z"} for i in range(20)]
    rows = _events_table(events)[3:]
    assert [row.split()[-1] for row in rows] == [str(i) for i in reversed(range(20))]


def test_go_sort_keeps_equal_elements_in_order_up_to_twelve_and_sorts_any_length():
    pairs = [(i % 3, i) for i in range(12)]
    assert go_sort(list(pairs), lambda a, b: a[0] < b[0]) == sorted(pairs, key=lambda p: p[0])
    for size in (13, 50, 51, 300):
        values = [(i * 7919) % 101 for i in range(size)]
        assert go_sort(list(values), lambda a, b: a < b) == sorted(values)


def test_qos_is_the_status_class_else_computed_from_requests_and_limits():
    both = {"cpu": "1", "memory": "1Gi"}
    guaranteed = _pod(containers=[{"name": "c", "resources": {"limits": both}}])
    guaranteed["spec"]["containers"][0]["resources"]["requests"] = both
    burstable = _pod(containers=[{"name": "c", "resources": {"requests": {"cpu": "100m"}}}])
    assert pod_qos_class(_pod()) == "BestEffort"
    assert pod_qos_class(guaranteed) == "Guaranteed"
    assert pod_qos_class(burstable) == "Burstable"
    burstable["status"]["qosClass"] = "Guaranteed"
    assert pod_qos_class(burstable) == "Guaranteed"


def _node(**status) -> dict:
    return {"metadata": {"name": "n1", "labels": {"kubernetes.io/role": "worker"}},
            "spec": {"taints": [{"key": "b", "effect": "NoSchedule"}, {"key": "a", "value": "1", "effect": "NoSchedule"},
                                {"key": "c", "effect": "NoExecute"}]},
            "status": {"allocatable": {"cpu": "2", "memory": "4Gi", "ephemeral-storage": "10Gi", "pods": "110",
                                       "hugepages-2Mi": "0", "example.com/gpu": "4"}, **status}}


def test_a_node_with_its_lease_taints_and_requests():
    pods = [{"metadata": {"name": "p", "namespace": "ns", "creationTimestamp": "2026-12-02T11:00:00Z"},
             "spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": "500m", "memory": "1Gi",
                                                                               "example.com/gpu": "1"},
                                                                  "limits": {"memory": "2Gi"}}}]}}]
    lease = {"spec": {"holderIdentity": "n1", "renewTime": "2026-12-02T11:59:50.000000Z"}}
    text = describe("", "Node", _node(), Related(events=[], pods=pods, lease=lease), NOW, UTC)
    lines = _lines(text)
    assert lines[1] == "Roles:              worker"
    assert lines[lines.index("Lease:") + 1:lines.index("Lease:") + 4] == [
        "  HolderIdentity:  n1", "  AcquireTime:     <unset>", "  RenewTime:       Wed, 02 Dec 2026 11:59:50 +0000"]
    taints = [line for line in lines if "NoExecute" in line or "NoSchedule" in line]
    assert [t.split()[-1] for t in taints] == ["c:NoExecute", "a=1:NoSchedule", "b:NoSchedule"]
    assert "  ns                          p       500m (25%)    0 (0%)      1Gi (25%)        2Gi (50%)      60m" in lines
    allocated = lines[lines.index("  Resource           Requests    Limits"):]
    assert allocated[2:7] == [
        "  cpu                500m (25%)  0 (0%)",
        "  memory             1Gi (25%)   2Gi (50%)",
        "  ephemeral-storage  0 (0%)      0 (0%)",
        "  hugepages-2Mi      0 (0%)      0 (0%)",
        "  example.com/gpu    1           0",
    ]


def test_a_node_whose_pods_cannot_be_listed_and_whose_lease_cannot_be_read():
    text = describe("", "Node", _node(), Related(pods=None, pods_error="forbidden", lease_error="leases are gone"),
                    NOW, UTC)
    assert "Lease:              Failed to get lease: leases are gone" in _lines(text)
    assert "Pods:                         not authorized" in _lines(text)


def test_namespace_quotas_and_limit_ranges_when_the_server_serves_them():
    namespace = {"metadata": {"name": "team"}, "status": {"phase": "Active"}}
    assert describe("", "Namespace", namespace, Related(quotas=[], limit_ranges=[]), NOW, UTC).endswith(
        "Status:       Active\n\nNo resource quota.\n\nNo LimitRange resource.\n")
    quota = {"metadata": {"name": "q"}, "spec": {"scopes": ["NotBestEffort"]},
             "status": {"hard": {"pods": "10", "requests.cpu": "2"}, "used": {"pods": "3"}}}
    limits = {"spec": {"limits": [{"type": "Container", "max": {"cpu": "2"}, "default": {"cpu": "500m"}}]}}
    text = describe("", "Namespace", namespace, Related(quotas=[quota], limit_ranges=[limits]), NOW, UTC)
    assert text.split("Status:       Active\n", 1)[1] == (
        "\n"
        "Resource Quotas\n"
        "  Name:    q\n"
        "  Scopes:  NotBestEffort\n"
        "  * Matches all pods that have at least one resource requirement set. These pods have a burstable or "
        "guaranteed quality of service.\n"
        "  Resource      Used  Hard\n"
        "  --------      ---   ---\n"
        "  pods          3     10\n"
        "  requests.cpu  0     2\n"
        "\n"
        "Resource Limits\n"
        " Type       Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio\n"
        " ----       --------  ---  ---  ---------------  -------------  -----------------------\n"
        " Container  cpu       -    2    -                500m           -\n")


def test_service_endpoints_come_from_ready_endpoint_slice_addresses():
    service = {"metadata": {"name": "web", "namespace": "default"},
               "spec": {"type": "LoadBalancer", "ports": [{"name": "http", "port": 80, "targetPort": 8080,
                                                            "protocol": "TCP"}]},
               "status": {"loadBalancer": {"ingress": [{"ip": "1.2.3.4", "ipMode": "VIP"}, {"hostname": "lb.example"}]}}}
    endpoints = [{"address": f"10.0.0.{i}", "ready": i != 2} for i in range(1, 7)]
    slices = [{"ports": [{"name": "http", "port": 8080}],
               "endpoints": [{"addresses": [e["address"]], "conditions": {"ready": e["ready"]}} for e in endpoints]}]
    lines = _lines(describe("", "Service", service, Related(endpoint_slices=slices), NOW, UTC))
    assert "LoadBalancer Ingress:  1.2.3.4 (VIP), lb.example" in lines
    assert "Endpoints:             10.0.0.1:8080,10.0.0.3:8080,10.0.0.4:8080 + 2 more..." in lines


def test_replica_set_pod_counts_only_count_the_pods_it_controls():
    owned = {"ownerReferences": [{"controller": True, "uid": "rs1", "kind": "ReplicaSet", "name": "rs"}]}
    pods = [{"metadata": owned, "status": {"phase": phase}} for phase in ("Running", "Running", "Pending", "Failed")]
    pods.append({"metadata": {"ownerReferences": [{"controller": True, "uid": "other"}]}, "status": {"phase": "Running"}})
    rs = {"metadata": {"name": "rs", "namespace": "d", "uid": "rs1"},
          "spec": {"replicas": 4, "selector": {"matchLabels": {"a": "b"}}}, "status": {"replicas": 4}}
    assert "Pods Status:  2 Running / 1 Waiting / 0 Succeeded / 1 Failed" in _lines(
        describe("apps", "ReplicaSet", rs, Related(pods=pods), NOW, UTC))
    failed = describe("apps", "ReplicaSet", rs, Related(pods=None, pods_error="pods is forbidden"), NOW, UTC)
    assert "Pods Status:  error in fetching pods: pods is forbidden" in _lines(failed)


def test_the_new_replica_set_is_the_oldest_with_the_deployments_template():
    template = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [container("c", "v2")]}}
    deployment = {"metadata": {"uid": "d1"}, "spec": {"template": template}}

    def rs(name: str, image: str, created: str, replicas: int = 1) -> dict:
        return {"metadata": {"name": name, "uid": name, "creationTimestamp": created,
                             "ownerReferences": [{"controller": True, "uid": "d1"}]},
                "spec": {"replicas": replicas, "template": {
                    "metadata": {"labels": {"app": "web", "pod-template-hash": name}},
                    "spec": {"containers": [container("c", image)]}}}}

    old, new = split_replica_sets(deployment, [
        rs("b", "v2", "2026-12-02T10:00:00Z"), rs("a", "v1", "2026-12-01T10:00:00Z", 0),
        rs("c", "v2", "2026-12-02T09:00:00Z"), {"metadata": {"name": "stray", "uid": "s"}, "spec": {}}])
    assert new["metadata"]["name"] == "c"
    assert [r["metadata"]["name"] for r in old] == ["a", "b"]


@pytest.mark.parametrize("field, label", [
    ("apiVersion", "API Version"), ("involvedObject", "Involved Object"), ("uid", "UID"), ("podIPs", "Pod I Ps"),
    ("hostIP", "Host IP"), ("ipv4", "ipv4"), ("x_y", "x_y"), ("dry-run", "Dry - Run"),
])
def test_generic_field_labels_are_kubectls_smart_labels(field, label):
    assert smart_label(field) == label


def test_the_generic_describer_prints_every_field_nested_and_sorted():
    obj = {"apiVersion": "example.com/v1", "kind": "Widget",
           "metadata": {"name": "w", "namespace": "ns", "labels": {"a": "b"}, "managedFields": [{"x": 1}],
                        "uid": "123"},
           "spec": {"size": 3, "enabled": True, "ratio": 0.5, "tags": ["x", "y"], "parts": [{"name": "p1"}],
                    "empty": None}}
    assert describe("example.com", "Widget", obj, Related(events=[]), NOW, UTC) == (
        "Name:         w\n"
        "Namespace:    ns\n"
        "Labels:       a=b\n"
        "Annotations:  <none>\n"
        "API Version:  example.com/v1\n"
        "Kind:         Widget\n"
        "Metadata:\n"
        "  UID:  123\n"
        "Spec:\n"
        "  Empty:    <nil>\n"
        "  Enabled:  true\n"
        "  Parts:\n"
        "    Name:  p1\n"
        "  Ratio:   0.5\n"
        "  Size:    3\n"
        "  Tags:\n"
        "    x\n"
        "    y\n"
        "Events:  <none>\n")


def test_a_secret_shows_the_size_of_each_value_never_the_value():
    secret = {"metadata": {"name": "db", "namespace": "ns"}, "type": "Opaque",
              "data": {"password": "aHVudGVyMg==", "user": "YWRtaW4="}}
    text = describe("", "Secret", secret, Related(), NOW, UTC)
    assert text == ("Name:         db\nNamespace:    ns\nLabels:       <none>\nAnnotations:  <none>\n\n"
                    "Type:  Opaque\n\nData\n====\npassword:  7 bytes\nuser:      5 bytes\n")
    assert "hunter2" not in text and "aHVudGVyMg" not in text
