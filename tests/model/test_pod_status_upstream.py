"""The upstream printer tests (pkg/printers/internalversion/printers_test.go), as JSON dicts.

Case ids follow upstream: TestPrintPod test1-test20 (upstream names two cases "test6"),
TestPrintPodWithRestartableInitContainer (two cases named "test1" there), TestPrintPodwide
and TestPrintNonTerminatedPod. Upstream builds times as ``time.Now() - d``; here they are
``NOW - d`` with the same d.
"""

from __future__ import annotations

import pytest
from pod_builders import NOW, RUNNING, condition, init, pod, sidecar, status, terminated, waiting

from kubetui.model import pod_row

DAY = 24 * 3600

PRINT_POD_CASES = [
    pytest.param(
        pod(phase="podPhase", containers=2, statuses=[
            status(ready=True, restarts=3, state=RUNNING), status(restarts=3)]),
        ("1/2", "podPhase", "6"),
        id="test1-ready-count-and-restart-sum",
    ),
    pytest.param(
        pod(phase="podPhase", containers=2, statuses=[
            status(ready=True, restarts=3, state=RUNNING),
            status(restarts=3, state=waiting("ContainerWaitingReason"))]),
        ("1/2", "ContainerWaitingReason", "6"),
        id="test2-container-waiting-reason-overrides-phase",
    ),
    pytest.param(
        pod(phase="podPhase", containers=2, statuses=[
            status(restarts=3, state=waiting("ContainerWaitingReason")),
            status(restarts=3, state=terminated("ContainerTerminatedReason"))]),
        ("0/2", "ContainerWaitingReason", "6"),
        id="test3-first-container-reason-wins",
    ),
    pytest.param(
        pod(phase="podPhase", containers=2, statuses=[
            status(ready=True, restarts=3, state=RUNNING), status(ready=True, restarts=3)]),
        ("1/2", "podPhase", "6"),
        id="test4-ready-without-running-not-counted",
    ),
    pytest.param(
        pod(phase="podPhase", reason="podReason", containers=2, statuses=[
            status(ready=True, restarts=3, state=RUNNING), status(ready=True, restarts=3)]),
        ("1/2", "podReason", "6"),
        id="test5-pod-reason-overrides-phase",
    ),
    pytest.param(
        pod(phase="Running", containers=2, statuses=[
            status(ready=True, restarts=3, state=terminated("Completed")),
            status(ready=True, restarts=3, state=RUNNING)]),
        ("1/2", "NotReady", "6"),
        id="test6-completed-and-running-without-ready-condition",
    ),
    pytest.param(
        pod(phase="Running", containers=2, conditions=[condition("Ready")], statuses=[
            status(ready=True, restarts=3, state=terminated("Completed")),
            status(ready=True, restarts=3, state=RUNNING)]),
        ("1/2", "Running", "6"),
        id="test6-completed-and-running-with-ready-condition",
    ),
    pytest.param(
        pod(phase="podPhase", init_containers=[init("i0")],
            init_statuses=[status(restarts=3, state=RUNNING, finished_ago=10)],
            statuses=[status(state=waiting())]),
        ("0/1", "Init:0/1", "3 (10s ago)"),
        id="test7-init-container-restarting",
    ),
    pytest.param(
        pod(phase="podPhase", init_containers=[init("i0"), init("i1")],
            init_statuses=[status(restarts=3, state=RUNNING, finished_ago=10),
                           status(state=waiting())],
            statuses=[status(state=waiting())]),
        ("0/1", "Init:0/2", "3 (10s ago)"),
        id="test8-first-of-two-init-containers-restarting",
    ),
    pytest.param(
        pod(phase="podPhase", init_containers=[init("i0"), init("i1")],
            init_statuses=[status(state=terminated()),
                           status(restarts=3, state=RUNNING, finished_ago=10)],
            statuses=[status(state=waiting())]),
        ("0/1", "Init:1/2", "3 (10s ago)"),
        id="test9-second-init-container-restarting",
    ),
    pytest.param(
        pod(phase="podPhase", init_containers=[init("i0"), init("i1")],
            init_statuses=[status(restarts=2, state=terminated(), finished_ago=120),
                           status(restarts=3, state=RUNNING, finished_ago=10)],
            statuses=[status(state=waiting())]),
        ("0/1", "Init:1/2", "5 (10s ago)"),
        id="test10-init-restarts-summed-while-initializing",
    ),
    pytest.param(
        pod(phase="Running", init_containers=[init("i0")],
            init_statuses=[status(restarts=2, state=terminated(), finished_ago=120)],
            statuses=[status(restarts=4, state=RUNNING, finished_ago=20)]),
        ("0/1", "Running", "4 (20s ago)"),
        id="test11-init-restarts-dropped-once-initialized",
    ),
    pytest.param(
        pod(statuses=[status(ready=True, restarts=3, state=RUNNING, finished_ago=5 * DAY)]),
        ("1/1", "Running", "3 (5d ago)"),
        id="test12-restarted-5d-ago",
    ),
    pytest.param(
        pod(containers=2, statuses=[
            status(ready=True, state=RUNNING),
            status(ready=True, restarts=3, state=RUNNING, finished_ago=10 * DAY)]),
        ("2/2", "Running", "3 (10d ago)"),
        id="test13-one-of-two-restarted-10d-ago",
    ),
    pytest.param(
        pod(containers=2, statuses=[
            status(ready=True, restarts=6, state=RUNNING, finished_ago=5 * DAY),
            status(ready=True, restarts=3, state=RUNNING, finished_ago=20 * DAY)]),
        ("2/2", "Running", "9 (5d ago)"),
        id="test14-newest-restart-time-wins",
    ),
    pytest.param(
        pod(phase="podPhase", containers=2,
            conditions=[condition("PodScheduled", "False", "SchedulingGated")]),
        ("0/2", "SchedulingGated", "0"),
        id="test15-scheduling-gated",
    ),
    pytest.param(
        pod(phase="Succeeded", statuses=[status(state=terminated("Completed"))]),
        ("0/1", "Completed", "0"),
        id="test16-succeeded",
    ),
    pytest.param(
        pod(phase="Failed", statuses=[status(state=terminated("Error", exit_code=1))]),
        ("0/1", "Error", "0"),
        id="test17-failed",
    ),
    pytest.param(
        pod(phase="Succeeded", deleted=True, statuses=[status(state=terminated("Completed"))]),
        ("0/1", "Completed", "0"),
        id="test18-succeeded-and-deleted-is-not-terminating",
    ),
    pytest.param(
        pod(phase="Running", deleted=True, statuses=[status(state=RUNNING)]),
        ("0/1", "Terminating", "0"),
        id="test19-running-and-deleted",
    ),
    pytest.param(
        pod(phase="Pending", deleted=True),
        ("0/1", "Terminating", "0"),
        id="test20-pending-and-deleted",
    ),
]

SIDECARS = [sidecar("restartable-init-1"), sidecar("restartable-init-2")]

RESTARTABLE_INIT_CASES = [
    pytest.param(
        pod(phase="Pending", init_containers=SIDECARS,
            conditions=[condition("Initialized", "False")],
            init_statuses=[
                status("restartable-init-1", restarts=3, state=RUNNING, started=False,
                       finished_ago=10),
                status("restartable-init-2", state=waiting(), started=False)],
            statuses=[status(state=waiting())]),
        ("0/3", "Init:0/2", "3 (10s ago)"),
        id="test1-first-sidecar-running-not-started",
    ),
    pytest.param(
        pod(phase="Pending", init_containers=SIDECARS,
            conditions=[condition("Initialized", "False")],
            init_statuses=[
                status("restartable-init-1", restarts=3, state=RUNNING, started=True,
                       finished_ago=10),
                status("restartable-init-2", state=RUNNING, started=False)],
            statuses=[status(state=waiting())]),
        ("0/3", "Init:1/2", "3 (10s ago)"),
        id="test1-first-sidecar-started-second-not",
    ),
    pytest.param(
        pod(phase="Running", init_containers=SIDECARS,
            conditions=[condition("Initialized")],
            init_statuses=[
                status("restartable-init-1", restarts=3, state=RUNNING, started=True,
                       finished_ago=10),
                status("restartable-init-2", state=RUNNING, started=True)],
            statuses=[status(ready=True, restarts=4, state=RUNNING, finished_ago=20)]),
        ("1/3", "Running", "7 (10s ago)"),
        id="test2-sidecars-started-app-running",
    ),
    pytest.param(
        pod(phase="Succeeded", init_containers=SIDECARS,
            conditions=[condition("Initialized")],
            init_statuses=[
                status("restartable-init-1", restarts=3, state=terminated("Error", 137),
                       started=False, finished_ago=10),
                status("restartable-init-2", state=terminated("Error", 137), started=False)],
            statuses=[status(restarts=4, state=terminated("Completed"), finished_ago=20)]),
        ("0/3", "Completed", "7 (10s ago)"),
        id="test3-sidecars-killed-app-completed",
    ),
    pytest.param(
        pod(phase="Running", init_containers=[init("init1"), sidecar("sidecar1")],
            containers=[{"name": "container1", "image": "containerimage"}],
            init_statuses=[status("initinvalid"), status("init1"), status("sidecar1")],
            statuses=[status("containerinvalid"), status("container1")]),
        ("0/2", "Init:0/2", "0"),
        id="test4-statuses-for-unknown-containers",
    ),
]

NON_TERMINATED_CASES = [
    pytest.param(phase, id=f"phase-{phase}")
    for phase in ("Running", "Pending", "Unknown", "Succeeded", "Failed")
]


def _columns(row) -> tuple[str, str, str]:
    return row.ready, row.status, row.restarts


@pytest.mark.parametrize(("pod_json", "expected"), PRINT_POD_CASES)
def test_print_pod(pod_json, expected):
    row = pod_row(pod_json, NOW)
    assert _columns(row) == expected
    assert row.age == "<unknown>"  # upstream pods have no creationTimestamp


@pytest.mark.parametrize(("pod_json", "expected"), RESTARTABLE_INIT_CASES)
def test_print_pod_with_restartable_init_container(pod_json, expected):
    assert _columns(pod_row(pod_json, NOW)) == expected


@pytest.mark.parametrize("phase", NON_TERMINATED_CASES)
def test_print_non_terminated_pod_shows_phase(phase):
    pod_json = pod(phase=phase, containers=2, statuses=[
        status(ready=True, restarts=3, state=RUNNING), status(restarts=3)])
    assert _columns(pod_row(pod_json, NOW)) == ("1/2", phase, "6")


WIDE_GATED = dict(
    phase="podPhase", containers=2, node="test1", nominated_node="node1",
    readiness_gates=["condition1", "condition2", "condition3"],
    conditions=[condition("condition1", "False"), condition("condition2", "True")],
    statuses=[status(ready=True, restarts=3, state=RUNNING), status(restarts=3)],
)


@pytest.mark.parametrize(
    ("pod_json", "expected"),
    [
        pytest.param(
            pod(pod_ips=["1.1.1.1"], **WIDE_GATED),
            ["1/2", "podPhase", "6", "<unknown>", "1.1.1.1", "test1", "node1", "1/3"],
            id="test1-node-ip-nominated-gates",
        ),
        pytest.param(
            pod(pod_ips=["1.1.1.1", "2001:db8::"], **WIDE_GATED),
            ["1/2", "podPhase", "6", "<unknown>", "1.1.1.1", "test1", "node1", "1/3"],
            id="test1-dual-stack-shows-first-ip",
        ),
        pytest.param(
            pod(phase="podPhase", containers=2, statuses=[
                status(ready=True, restarts=3, state=RUNNING),
                status(restarts=3, state=waiting("ContainerWaitingReason"))]),
            ["1/2", "ContainerWaitingReason", "6", "<unknown>",
             "<none>", "<none>", "<none>", "<none>"],
            id="test2-everything-absent-is-none",
        ),
    ],
)
def test_print_pod_wide(pod_json, expected):
    assert pod_row(pod_json, NOW).cells(wide=True)[1:] == expected
