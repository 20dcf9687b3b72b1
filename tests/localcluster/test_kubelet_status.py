"""The kubelet's status rules on plain records: phase (getPhase) and conditions. Pure."""

from __future__ import annotations

import pytest

from kubetui.localcluster.node.pod_status import (
    ContainerRecord,
    condition_values,
    container_id,
    merge_conditions,
    pod_phase,
)


def rec(state: str, *, code: int = 0, last: bool = False, sidecar: bool = False,
        started: bool = True, ready: bool = True, name: str = "c") -> ContainerRecord:
    record = ContainerRecord(name=name, image="nginx:1.16", init=sidecar, sidecar=sidecar)
    if state == "running":
        record.run(container_id("uid", name, 1), "2026-11-26T10:00:00Z", "docker.io/library/nginx:1.16",
                   "docker.io/library/nginx@sha256:" + "0" * 64)
        record.started, record.ready = started, ready
    elif state == "terminated":
        record.container_id = container_id("uid", name, 1)
        record.terminate(code, "2026-11-26T10:00:05Z")
    else:
        record.wait(state)
    if last:
        record.last_terminated = {"exitCode": 1, "reason": "Error"}
    return record


@pytest.mark.parametrize("policy, containers, phase", [
    ("Always", [rec("ContainerCreating")], "Pending"),
    ("Always", [rec("running"), rec("ContainerCreating")], "Pending"),
    ("Always", [rec("running"), rec("CrashLoopBackOff", last=True)], "Running"),
    ("Always", [rec("terminated", code=0)], "Running"),
    ("OnFailure", [rec("terminated", code=0)], "Succeeded"),
    ("OnFailure", [rec("terminated", code=1)], "Running"),
    ("Never", [rec("terminated", code=1), rec("terminated", code=0)], "Failed"),
    ("Never", [rec("terminated", code=0)], "Succeeded"),
])
def test_phase(policy, containers, phase):
    assert pod_phase({"restartPolicy": policy}, [], containers) == phase


def test_a_started_sidecar_does_not_hold_the_pod_pending():
    sidecar = rec("running", sidecar=True, name="sync")
    assert pod_phase({}, [sidecar], [rec("running")]) == "Running"
    unstarted = rec("running", sidecar=True, started=False, name="sync")
    assert pod_phase({}, [unstarted], [rec("PodInitializing")]) == "Pending"


def test_a_failed_init_container_fails_a_never_pod():
    failed_init = ContainerRecord(name="init", image="busybox", init=True)
    failed_init.terminate(1, "2026-11-26T10:00:05Z")
    assert pod_phase({"restartPolicy": "Never"}, [failed_init], [rec("PodInitializing")]) == "Failed"


def test_conditions_name_the_unready_containers_sidecars_first():
    values = condition_values([rec("running", sidecar=True, ready=False, name="sync")],
                              [rec("running", name="web"), rec("ErrImagePull", name="db")],
                              "Pending", sandbox_ready=True)
    assert values["Ready"] == ("False", "ContainersNotReady",
                               "containers with unready status: [sync db]")
    assert values["Initialized"] == ("True", "", "")
    assert values["PodReadyToStartContainers"] == ("True", "", "")


def test_transition_times_move_only_when_a_status_flips():
    first = merge_conditions([], {"Ready": ("False", "ContainersNotReady", "x")}, "T1")
    same = merge_conditions(first, {"Ready": ("False", "ContainersNotReady", "y")}, "T2")
    flipped = merge_conditions(same, {"Ready": ("True", "", "")}, "T3")
    assert [c["lastTransitionTime"] for c in (first[0], same[0], flipped[0])] == ["T1", "T1", "T3"]
    assert same[0]["message"] == "y" and "reason" not in flipped[0]


def test_container_ids_are_unique_per_instance():
    assert container_id("u", "c", 1) != container_id("u", "c", 2)
    assert container_id("u", "c", 1).startswith("containerd://")
