"""Every rule of the reference notes on kubectl's pod columns, one named case each,
beyond what the upstream printer tests cover."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pod_builders import NOW, RUNNING, condition, init, pod, sidecar, status, terminated, waiting

from kubetui.model import PodRow, age_text, pod_row, restarts_text, with_time

STATUS_CASES = [
    # Step 1-2: starting reason and scheduling gates.
    pytest.param(pod(phase="Failed", reason="Evicted"), "Evicted", id="status-reason-evicted"),
    pytest.param(pod(phase=None), "", id="no-phase-no-reason-is-empty"),
    pytest.param(
        pod(phase="Pending", reason="SomeReason",
            conditions=[condition("PodScheduled", "True", "SchedulingGated")]),
        "SchedulingGated", id="scheduling-gated-replaces-reason-whatever-its-status",
    ),
    pytest.param(
        pod(phase="Pending", conditions=[condition("Ready", "False", "SchedulingGated")]),
        "Pending", id="scheduling-gated-only-on-podscheduled",
    ),
    # Step 4: init containers.
    pytest.param(
        pod(init_containers=[init("a")], init_statuses=[
            status("a", state=terminated(exit_code=137, signal=9))]),
        "Init:Signal:9", id="init-signal",
    ),
    pytest.param(
        pod(init_containers=[init("a")], init_statuses=[
            status("a", state=terminated(exit_code=3))]),
        "Init:ExitCode:3", id="init-exit-code",
    ),
    pytest.param(
        pod(init_containers=[init("a")], init_statuses=[
            status("a", state=terminated("OOMKilled", exit_code=137, signal=9))]),
        "Init:OOMKilled", id="init-terminated-reason-beats-signal",
    ),
    pytest.param(
        pod(init_containers=[init("a")], init_statuses=[
            status("a", state=waiting("CrashLoopBackOff"))]),
        "Init:CrashLoopBackOff", id="init-waiting-reason",
    ),
    pytest.param(
        pod(init_containers=[init("a"), init("b")], init_statuses=[
            status("a", state=terminated()), status("b", state=waiting("PodInitializing"))]),
        "Init:1/2", id="init-pod-initializing-is-progress",
    ),
    pytest.param(
        pod(init_containers=[init("a"), init("b"), init("c")], init_statuses=[
            status("a", state=terminated()), status("b", state=terminated())]),
        "Running", id="all-init-statuses-done-means-initialized",
    ),
    pytest.param(
        pod(init_containers=[init("a"), sidecar("s"), init("b")], init_statuses=[
            status("a", state=terminated()), status("s", state=RUNNING)]),
        "Init:1/3", id="init-progress-uses-spec-count-including-sidecars",
    ),
    pytest.param(
        pod(init_containers=[init("a")],
            init_statuses=[status("a", state=waiting("ImagePullBackOff"))],
            statuses=[status(state=waiting("PodInitializing"))]),
        "Init:ImagePullBackOff", id="init-reason-kept-when-not-initialized",
    ),
    # Step 5: regular containers.
    pytest.param(pod(statuses=[status(state=waiting("PodInitializing"))]),
                 "PodInitializing", id="regular-pod-initializing-is-shown"),
    pytest.param(pod(statuses=[status(state=terminated(exit_code=137, signal=9))]),
                 "Signal:9", id="regular-signal"),
    pytest.param(pod(statuses=[status(state=terminated(exit_code=2))]),
                 "ExitCode:2", id="regular-exit-code"),
    pytest.param(pod(statuses=[status(state=terminated())]),
                 "ExitCode:0", id="regular-exit-code-zero"),
    pytest.param(pod(statuses=[status(state=waiting())]),
                 "Running", id="waiting-without-reason-changes-nothing"),
    pytest.param(
        pod(statuses=[status(state={"waiting": {}, "terminated": {"exitCode": 1,
                                                                  "reason": "Error"}})]),
        "Error", id="empty-waiting-falls-through-to-terminated",
    ),
    pytest.param(
        pod(containers=2, statuses=[status(state=terminated("Completed")),
                                    status(state=waiting("CrashLoopBackOff"))]),
        "Completed", id="backwards-walk-lowest-index-wins",
    ),
    pytest.param(
        pod(containers=2, statuses=[status(state=terminated("Completed")),
                                    status(state=RUNNING, ready=False)]),
        "Completed", id="completed-kept-without-a-ready-running-container",
    ),
    pytest.param(
        pod(containers=2, conditions=[condition("Ready", "False"), condition("Ready")],
            statuses=[status(state=terminated("Completed")),
                      status(state=RUNNING, ready=True)]),
        "Running", id="completed-rewrite-any-ready-true-condition",
    ),
    pytest.param(
        pod(containers=2, statuses=[status(state=RUNNING, ready=False),
                                    status(state=RUNNING, ready=True)]),
        "Running", id="not-all-ready-is-still-running-not-notready",
    ),
    # Step 6: deletion.
    pytest.param(pod(phase="Running", reason="NodeLost", deleted=True,
                     statuses=[status(state=RUNNING, ready=True)]),
                 "Unknown", id="nodelost-deleted-is-unknown"),
    pytest.param(pod(phase="Failed", reason="NodeLost", deleted=True),
                 "Unknown", id="nodelost-deleted-ignores-terminal-phase"),
    pytest.param(pod(phase="Running", reason="NodeLost"),
                 "NodeLost", id="nodelost-without-deletion"),
    pytest.param(pod(phase="Failed", deleted=True,
                     statuses=[status(state=terminated("Error", exit_code=1))]),
                 "Error", id="failed-and-deleted-keeps-status"),
    pytest.param(pod(phase="Running", deleted=True,
                     statuses=[status(state=waiting("CrashLoopBackOff"))]),
                 "Terminating", id="terminating-beats-crashloop"),
    pytest.param(pod(phase="Pending", deleted=True, init_containers=[init("a")],
                     init_statuses=[status("a", state=waiting("ErrImagePull"))]),
                 "Terminating", id="terminating-beats-init-reason"),
    pytest.param(pod(phase="Pending", deleted=True,
                     conditions=[condition("PodScheduled", "False", "SchedulingGated")]),
                 "Terminating", id="terminating-beats-scheduling-gated"),
]


@pytest.mark.parametrize(("pod_json", "expected"), STATUS_CASES)
def test_status(pod_json, expected):
    assert pod_row(pod_json, NOW).status == expected


READY_CASES = [
    pytest.param(pod(containers=3), "0/3", id="no-statuses-total-from-spec"),
    pytest.param(pod(statuses=[status(ready=True)]), "0/1", id="ready-without-running"),
    pytest.param(pod(statuses=[status(ready=False, state=RUNNING)]), "0/1",
                 id="running-not-ready"),
    pytest.param(
        pod(init_containers=[init("a"), sidecar("s")],
            init_statuses=[status("a", state=terminated()),
                           status("s", state=RUNNING, ready=True, started=True)],
            statuses=[status(state=RUNNING, ready=True)]),
        "2/2", id="ordinary-init-not-counted-sidecar-counted",
    ),
    pytest.param(
        pod(init_containers=[sidecar("s")],
            init_statuses=[status("s", state=RUNNING, ready=True)]),
        "0/2", id="sidecar-without-started-is-not-ready",
    ),
    pytest.param(
        pod(init_containers=[sidecar("s")],
            init_statuses=[status("s", state=terminated(), ready=True, started=True)],
            statuses=[status(state=RUNNING, ready=True)]),
        "1/2", id="sidecar-exited-zero-neither-ready-nor-blocking",
    ),
    pytest.param(
        pod(init_containers=[sidecar("s"), init("b")],
            init_statuses=[status("s", state=RUNNING, ready=True, started=True),
                           status("b", state=RUNNING)]),
        "1/2", id="sidecar-ready-while-later-init-runs",
    ),
    pytest.param(
        pod(init_containers=[init("s")],  # same name, but not a sidecar in the spec
            init_statuses=[status("s", state=RUNNING, ready=True, started=True)]),
        "0/1", id="started-ordinary-init-not-counted",
    ),
    pytest.param(
        pod(phase="Running", reason="NodeLost", deleted=True,
            statuses=[status(state=RUNNING, ready=True)]),
        "1/1", id="nodelost-keeps-last-readiness",
    ),
]


@pytest.mark.parametrize(("pod_json", "expected"), READY_CASES)
def test_ready(pod_json, expected):
    assert pod_row(pod_json, NOW).ready == expected


def test_crashing_sidecar_in_initialized_pod_counts_app():
    row = pod_row(
        pod(init_containers=[sidecar("s")], conditions=[condition("Initialized")],
            init_statuses=[status("s", state=waiting("CrashLoopBackOff"), restarts=5,
                                  started=False, finished_ago=30)],
            statuses=[status(state=RUNNING, ready=True, restarts=1, finished_ago=3600)]),
        NOW,
    )
    assert (row.ready, row.status, row.restarts) == ("1/2", "Init:CrashLoopBackOff",
                                                     "6 (30s ago)")


def test_only_first_initialized_condition_counts():
    row = pod_row(
        pod(init_containers=[init("a")],
            conditions=[condition("Initialized", "False"), condition("Initialized")],
            init_statuses=[status("a", state=RUNNING)],
            statuses=[status(state=RUNNING, ready=True, restarts=2)]),
        NOW,
    )
    assert (row.ready, row.status, row.restarts) == ("0/1", "Init:0/1", "0")


RESTART_CASES = [
    pytest.param(pod(statuses=[status(restarts=3)]), "3", 3, id="no-finish-time-plain-count"),
    pytest.param(pod(statuses=[status(restarts=0, finished_ago=60)]), "0", 0,
                 id="zero-restarts-no-age"),
    pytest.param(
        pod(containers=2, statuses=[status(restarts=2), status(restarts=0, finished_ago=150)]),
        "2 (2m30s ago)", 2, id="age-may-come-from-container-with-zero-count",
    ),
    pytest.param(
        pod(init_containers=[init("a"), init("b")],
            init_statuses=[status("a", state=RUNNING, restarts=2, finished_ago=100),
                           status("b", restarts=7, finished_ago=5)],
            statuses=[status(restarts=9, finished_ago=1)]),
        "2 (100s ago)", 2, id="statuses-after-blocking-init-ignored",
    ),
    pytest.param(
        pod(init_containers=[init("a"), sidecar("s")],
            init_statuses=[status("a", state=terminated(), restarts=4, finished_ago=10),
                           status("s", state=RUNNING, started=True, restarts=1,
                                  finished_ago=7200)],
            statuses=[status(state=RUNNING, restarts=1, finished_ago=3 * 3600)]),
        "2 (120m ago)", 2, id="sidecar-restarts-kept-init-restarts-dropped",
    ),
]


@pytest.mark.parametrize(("pod_json", "expected", "count"), RESTART_CASES)
def test_restarts(pod_json, expected, count):
    row = pod_row(pod_json, NOW)
    assert (row.restarts, row.restart_count) == (expected, count)


@pytest.mark.parametrize(
    ("created_ago", "expected"),
    [
        pytest.param(300, "5m", id="five-minutes"),
        pytest.param(3 * 3600 + 600, "3h10m", id="three-hours-ten"),
        pytest.param(-10, "<invalid>", id="created-in-the-future"),
        pytest.param(None, "<unknown>", id="missing-creation-timestamp"),
    ],
)
def test_age(created_ago, expected):
    assert pod_row(pod(created_ago=created_ago), NOW).age == expected


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        pytest.param({}, ("<none>", "<none>", "<none>", "<none>"), id="all-absent"),
        pytest.param({"pod_ip": "10.0.0.7"}, ("10.0.0.7", "<none>", "<none>", "<none>"),
                     id="pod-ip-only"),
        pytest.param({"pod_ips": ["fd00::1"]}, ("fd00::1", "<none>", "<none>", "<none>"),
                     id="pod-ips-only"),
        pytest.param({"pod_ip": "10.0.0.7", "pod_ips": ["10.0.0.9"]},
                     ("10.0.0.7", "<none>", "<none>", "<none>"), id="pod-ip-authoritative"),
        pytest.param({"node": "kind-worker", "nominated_node": "kind-worker2"},
                     ("<none>", "kind-worker", "kind-worker2", "<none>"), id="nodes"),
        pytest.param({"readiness_gates": ["a", "b"]}, ("<none>", "<none>", "<none>", "0/2"),
                     id="gates-without-conditions"),
        pytest.param({"readiness_gates": ["a", "b"],
                      "conditions": [condition("a"), condition("a", "False"),
                                     condition("b", "Unknown")]},
                     ("<none>", "<none>", "<none>", "1/2"), id="gates-first-condition-counts"),
        pytest.param({"readiness_gates": []}, ("<none>", "<none>", "<none>", "<none>"),
                     id="empty-gates-list"),
    ],
)
def test_wide_columns(kwargs, expected):
    row = pod_row(pod(**kwargs), NOW)
    assert (row.ip, row.node, row.nominated_node, row.readiness_gates) == expected


def test_identity_and_raw_values():
    row = pod_row(pod(name="web-1", namespace="shop", created_ago=60,
                      statuses=[status(restarts=1, finished_ago=30)]), NOW)
    assert (row.namespace, row.name) == ("shop", "web-1")
    assert row.created == NOW - timedelta(seconds=60)
    assert row.last_restart == NOW - timedelta(seconds=30)


def test_empty_and_null_fields_do_not_fail():
    assert pod_row({}, NOW).cells(wide=True) == [
        "", "0/0", "", "0", "<unknown>", "<none>", "<none>", "<none>", "<none>"]
    nulls = {"metadata": None, "spec": {"containers": None, "initContainers": None},
             "status": {"containerStatuses": None, "conditions": None,
                        "initContainerStatuses": [{"name": "x", "state": None,
                                                   "lastState": None}]}}
    assert pod_row(nulls, NOW).status == "Init:0/0"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        pytest.param({"metadata": {"name": "web"}, "status": {"containerStatuses": ["x"]}},
                     "malformed pod /web", id="string-where-status-belongs"),
        pytest.param(["not", "a", "pod"], "not an object: list", id="list-instead-of-pod"),
    ],
)
def test_malformed_pod_raises_clear_value_error(bad, message):
    with pytest.raises(ValueError, match=message):
        pod_row(bad, NOW)


def test_with_time_rerenders_only_time_cells():
    pod_json = pod(created_ago=100, statuses=[status(restarts=2, finished_ago=50)])
    row = pod_row(pod_json, NOW)
    later = NOW + timedelta(seconds=30)
    moved = with_time(row, later)
    assert (moved.age, moved.restarts) == ("2m10s", "2 (80s ago)")
    assert moved == pod_row(pod_json, later)
    assert (age_text(row, later), restarts_text(row, later)) == ("2m10s", "2 (80s ago)")


def test_with_time_returns_same_row_when_nothing_changed():
    row = pod_row(pod(created_ago=20 * 86400), NOW)
    assert with_time(row, NOW + timedelta(seconds=5)) is row


def test_pod_row_is_frozen():
    row = pod_row(pod(), NOW)
    assert isinstance(row, PodRow)
    with pytest.raises(AttributeError):
        row.status = "x"  # type: ignore[misc]
