"""The dashboard's projection of a pod keeps every column exactly as the full pod gives it."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kubetui.model import display_fields, pod_row

NOW = datetime(2026, 11, 26, 12, 0, 0, tzinfo=timezone.utc)

FULL_POD = {
    "kind": "Pod",
    "apiVersion": "v1",
    "metadata": {
        "name": "web-1", "namespace": "shop", "uid": "u1", "resourceVersion": "42",
        "creationTimestamp": "2026-11-26T11:00:00Z",
        "labels": {"app": "web"},
        "annotations": {"kubectl.kubernetes.io/default-container": "app", "big": "x" * 4000},
        "managedFields": [{"manager": "kubectl", "fieldsV1": {"f:spec": {}}}],
    },
    "spec": {
        "nodeName": "node-1",
        "readinessGates": [{"conditionType": "example.com/ready"}],
        "initContainers": [{"name": "sidecar", "image": "busybox", "restartPolicy": "Always",
                            "env": [{"name": "A", "value": "b"}]}],
        "containers": [{"name": "app", "image": "nginx:1.16", "env": [{"name": "X", "value": "y" * 500}],
                        "resources": {"limits": {"cpu": "1"}}, "volumeMounts": [{"name": "v", "mountPath": "/v"}]}],
        "volumes": [{"name": "v", "emptyDir": {}}],
    },
    "status": {
        "phase": "Running", "podIP": "10.244.0.9",
        "conditions": [{"type": "Ready", "status": "True"}, {"type": "example.com/ready", "status": "True"}],
        "initContainerStatuses": [{"name": "sidecar", "ready": True, "started": True, "restartCount": 1,
                                   "state": {"running": {}},
                                   "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2026-11-26T11:50:00Z"}}}],
        "containerStatuses": [{"name": "app", "ready": True, "restartCount": 2, "state": {"running": {}}}],
    },
}


def test_projection_renders_the_same_row_as_the_full_pod():
    assert pod_row(display_fields(FULL_POD), NOW) == pod_row(FULL_POD, NOW)


@pytest.mark.parametrize("dropped", ["managedFields", "big"], ids=["managed-fields", "long-annotation"])
def test_projection_drops_bulk_metadata(dropped):
    slim = display_fields(FULL_POD)["metadata"]
    assert dropped not in slim and dropped not in slim.get("annotations", {})


def test_projection_keeps_what_filters_and_pickers_read():
    slim = display_fields(FULL_POD)
    assert slim["metadata"]["labels"] == {"app": "web"}
    assert slim["metadata"]["annotations"] == {"kubectl.kubernetes.io/default-container": "app"}
    assert slim["spec"]["containers"] == [{"name": "app", "image": "nginx:1.16"}]
    assert "env" not in slim["spec"]["initContainers"][0]
    assert "volumes" not in slim["spec"]


def test_projection_is_much_smaller():
    import orjson

    assert len(orjson.dumps(display_fields(FULL_POD))) * 3 < len(orjson.dumps(FULL_POD))
