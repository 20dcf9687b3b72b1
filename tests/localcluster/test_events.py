"""Events as the kubelet and the scheduler write them: shapes, aggregation, listing, watching."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import orjson

from kubetui.localcluster.storage.events import EventRecorder
from kubetui.localcluster.storage.store import Store
from tests.localcluster.sim_support import new_namespace, row, wait_status
from tests.support.pods import container, pod_manifest
from tests.support.waiting import wait_for


def _pod(store: Store) -> dict:
    return store.create("pods", pod_manifest("sample-pod", container("nginx-container", "nginx:1.16"),
                                             namespace="default"))


def test_kubelet_events_have_the_legacy_shape_and_aggregate():
    store = Store()
    store.create("namespaces", {"metadata": {"name": "default"}})
    pod = _pod(store)
    recorder = EventRecorder(store, lambda: datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc))
    first = recorder.pod_event(pod, "Warning", "BackOff", "Back-off restarting failed container",
                               host="kubetui-node-1", container="nginx-container")
    again = recorder.pod_event(pod, "Warning", "BackOff", "Back-off restarting failed container",
                               host="kubetui-node-1", container="nginx-container")
    assert again["metadata"]["name"] == first["metadata"]["name"] and again["count"] == 2
    assert re.fullmatch(r"sample-pod\.[0-9a-f]{16,}", first["metadata"]["name"])
    assert first["involvedObject"] == {
        "kind": "Pod", "apiVersion": "v1", "name": "sample-pod", "namespace": "default",
        "uid": pod["metadata"]["uid"], "resourceVersion": pod["metadata"]["resourceVersion"],
        "fieldPath": "spec.containers{nginx-container}"}
    assert first["source"] == {"component": "kubelet", "host": "kubetui-node-1"}
    assert first["eventTime"] is None and first["firstTimestamp"] == "2026-11-26T10:00:00Z"
    assert (first["reportingComponent"], first["reportingInstance"]) == ("kubelet", "kubetui-node-1")
    other = recorder.pod_event(pod, "Normal", "Pulling", 'Pulling image "nginx:1.16"',
                               host="kubetui-node-1", container="nginx-container")
    assert other["metadata"]["name"] != first["metadata"]["name"] and other["count"] == 1
    assert len(store.list("events", "default")[0]) == 2


def test_scheduler_events_use_the_new_api_shape():
    store = Store()
    store.create("namespaces", {"metadata": {"name": "default"}})
    pod = _pod(store)
    recorder = EventRecorder(store, lambda: datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc))
    event = recorder.scheduled(pod, "kubetui-node-1", "kubetui-node-1")
    assert event["message"] == "Successfully assigned default/sample-pod to kubetui-node-1"
    assert event["eventTime"] == "2026-11-26T10:00:00.000000Z"
    assert event["firstTimestamp"] is None and event["source"] == {}
    assert (event["reportingComponent"], event["action"]) == ("default-scheduler", "Binding")


def test_a_pod_start_leaves_the_kubelet_trail_in_kubectl_get_events(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.raw.create_pod(ns, pod_manifest("sample-pod", container("nginx-container", "nginx:1.16")))
    wait_status(fast_cluster, ns, "sample-pod", lambda p: row(p).status == "Running")
    expected = [
        ("Scheduled", r"Successfully assigned " + ns + r"/sample-pod to kubetui-node-[12]"),
        ("Pulled", r'(Successfully pulled image "nginx:1\.16" in [\d.]+m?s \([\d.]+m?s including '
                   r'waiting\)\. Image size: 44323542 bytes\.|Container image "nginx:1\.16" '
                   r"already present on machine and can be accessed by the pod)"),
        ("Created", "Container created"), ("Started", "Container started"),
    ]

    def all_there():
        out = fast_cluster.kubectl("get", "events", "-n", ns, "-o", "wide").stdout
        return all(re.search(rf"Normal\s+{reason}\s+pod/sample-pod\s.*{message}", out)
                   for reason, message in expected) and out
    out = wait_for(all_there, message="kubelet and scheduler events")
    assert re.search(r"spec\.containers\{nginx-container\}\s+kubelet, kubetui-node-[12]", out), out
    listed = fast_cluster.core.list_namespaced_event(ns, field_selector="reason=Started")
    assert [e.involved_object.name for e in listed.items] == ["sample-pod"]


def test_events_are_watchable(fast_cluster):
    ns = new_namespace(fast_cluster)
    _, _, listing = fast_cluster.raw.call("GET", f"/api/v1/namespaces/{ns}/events")
    version = listing["metadata"]["resourceVersion"]
    fast_cluster.raw.create_pod(ns, pod_manifest("watched", container("c", "nginx:1.16")))
    conn = fast_cluster.raw.connection(timeout=30)
    conn.request("GET", f"/api/v1/namespaces/{ns}/events?watch=true&resourceVersion={version}"
                        "&timeoutSeconds=20",
                 headers={"Authorization": f"Bearer {fast_cluster.cluster.token}"})
    response = conn.getresponse()
    reasons = []
    try:
        for line in response:
            event = orjson.loads(line)
            reasons.append(event["object"]["reason"])
            if "Started" in reasons:
                break
    finally:
        conn.close()
    assert reasons[0] == "Scheduled" and "Created" in reasons and reasons[-1] == "Started"
