"""A pod's containers as the container view lists them: order, kind, state, readiness, restarts,
last termination (ticking), ports."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pod_builders import NOW, RUNNING, init, pod, sidecar, status, terminated, waiting

from kubetui.model.container_rows import container_rows, last_termination_text, state_text


def _named(*names):
    return [{"name": name, "image": f"{name}:1"} for name in names]


def test_rows_follow_the_spec_init_and_sidecars_first_then_containers():
    body = pod(name="p", containers=_named("app", "metrics"), init_containers=[init("migrate"), sidecar("proxy")])
    assert [(row.kind, row.name) for row in container_rows(body)] == [
        ("init", "migrate"), ("sidecar", "proxy"), ("container", "app"), ("container", "metrics")]


@pytest.mark.parametrize("state, expected", [
    (RUNNING, "Running"),
    (waiting("CrashLoopBackOff"), "Waiting: CrashLoopBackOff"),
    (waiting(), "Waiting"),
    (terminated("Completed", 0), "Terminated: Completed (exit 0)"),
    (terminated("Error", 2), "Terminated: Error (exit 2)"),
    (terminated("", 0, signal=9), "Terminated: Terminated (signal 9)"),
    ({}, "Waiting"),
])
def test_state_reads_as_describe_words_it(state, expected):
    assert state_text(state) == expected


def test_ready_restarts_and_the_last_termination_come_from_the_status():
    body = pod(name="p", containers=_named("app"), statuses=[status("app", state=RUNNING, ready=True, restarts=4,
                                                              finished_ago=300)])
    body["status"]["containerStatuses"][0]["lastState"]["terminated"]["reason"] = "OOMKilled"
    body["status"]["containerStatuses"][0]["lastState"]["terminated"]["exitCode"] = 137
    row = container_rows(body)[0]
    assert (row.ready, row.state, row.restarts) == ("true", "Running", 4)
    assert last_termination_text(row, NOW) == "OOMKilled, exit 137, 5m ago"
    assert last_termination_text(row, NOW + timedelta(minutes=5)) == "OOMKilled, exit 137, 10m ago"
    assert row.cells(NOW)[:6] == ["container", "app", row.image, "true", "Running", "4"]


def test_a_container_the_kubelet_has_not_reported_yet():
    row = container_rows(pod(name="p", containers=_named("app")))[0]
    assert row.ready == "" and row.state == "Waiting" and row.restarts == 0
    assert last_termination_text(row, NOW) == "-"
    assert row.cells(NOW)[3] == "-"


def test_ports_name_number_and_protocol():
    body = pod(name="p", containers=_named("app"))
    body["spec"]["containers"][0]["ports"] = [{"name": "http", "containerPort": 80},
                                              {"containerPort": 53, "protocol": "UDP"}, {"name": "no-number"}]
    assert container_rows(body)[0].ports == "http:80/TCP,53/UDP"


def test_ephemeral_containers_come_last():
    body = pod(name="p", containers=_named("app"))
    body["spec"]["ephemeralContainers"] = [{"name": "debugger", "image": "busybox"}]
    body["status"]["ephemeralContainerStatuses"] = [{"name": "debugger", "state": RUNNING, "ready": False,
                                                     "restartCount": 0}]
    assert [(r.kind, r.name, r.state) for r in container_rows(body)][-1] == ("ephemeral", "debugger", "Running")
