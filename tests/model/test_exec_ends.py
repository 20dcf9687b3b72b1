"""What a session's end is blamed on, from the pod read after it: named cases."""

from __future__ import annotations

import pytest

from kubetui.model.exec_ends import end_cause, running_instance

OLD, NEW = "containerd://" + "1" * 64, "containerd://" + "2" * 64


def pod_with(state: dict, container_id: str = OLD, **extra) -> dict:
    meta = {"name": "web", **extra.pop("metadata", {})}
    return {"metadata": meta, "status": {"phase": extra.pop("phase", "Running"), "containerStatuses": [
        {"name": "nginx", "state": state, "containerID": container_id, "restartCount": 0}]}}


RUNNING = {"running": {"startedAt": "2026-11-26T16:00:00Z"}}
CASES = {
    "pod gone": (None, OLD, "pod web was deleted"),
    "pod terminating": (pod_with(RUNNING, metadata={"deletionTimestamp": "2026-11-26T16:10:00Z"}), OLD,
                        "pod web was deleted"),
    "same instance still running": (pod_with(RUNNING), OLD, None),
    "start unknown, running": (pod_with(RUNNING), None, None),
    "another instance running": (pod_with(RUNNING, NEW), OLD, "container nginx restarted"),
    "terminated": (pod_with({"terminated": {"exitCode": 1, "reason": "Error"}}), OLD,
                   "container nginx stopped (Error, exit code 1)"),
    "OOM killed": (pod_with({"terminated": {"exitCode": 137, "reason": "OOMKilled"}}), OLD,
                   "container nginx stopped (OOMKilled, exit code 137)"),
    "waiting to restart": (pod_with({"waiting": {"reason": "CrashLoopBackOff"}}), OLD,
                           "container nginx stopped and is waiting to restart (CrashLoopBackOff)"),
}


@pytest.mark.parametrize("pod, started_in, expected", CASES.values(), ids=CASES.keys())
def test_end_cause(pod, started_in, expected):
    assert end_cause(pod, "web", "nginx", started_in) == expected


def test_running_instance_is_the_container_id_only_while_running():
    assert running_instance(pod_with(RUNNING), "nginx") == OLD
    assert running_instance(pod_with(RUNNING, ""), "nginx") == ""
    assert running_instance(pod_with({"waiting": {}}), "nginx") is None
    assert running_instance(pod_with(RUNNING, phase="Succeeded"), "nginx") is None
    assert running_instance(pod_with(RUNNING), "other") is None
