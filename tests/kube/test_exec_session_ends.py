"""A session whose container stops ends, and says what happened to the container, read from
the pod after the end: deleted pod, restarted or stopped container, or nothing (the command's
own exit)."""

from __future__ import annotations

import pytest

from kubetui.kube.exec_session import ExecSession
from kubetui.kube.exec_stream import ExecTarget
from tests.kube.exec_support import RecordingScreen, SessionProbe, running_pod, wait_for_end
from tests.localcluster.exec_support import patch_status, run_pod, running_status
from tests.support.clusters import BARE_SERVER, cluster_fixture
from tests.support.pods import container, pod_manifest, script_container
from tests.support.waiting import wait_for

NGINX = container("nginx", "nginx:1.25")


def start(api_client, target: ExecTarget):
    screen, probe = RecordingScreen(), SessionProbe()
    session = ExecSession(api_client, target, screen, size=(100, 30), **probe.kwargs())
    session.start()
    wait_for(lambda: screen.text().rstrip().endswith(("#", "$")), timeout=30, message="a prompt")
    return session, probe


def test_deleting_the_pod_ends_the_session_and_says_the_pod_was_deleted(exec_api, exec_core,
                                                                       exec_ns):
    running_pod(exec_core, exec_ns, "web", [("nginx", "nginx:1.25")])
    _, probe = start(exec_api, ExecTarget(exec_ns, "web", "nginx"))
    exec_core.delete_namespaced_pod("web", exec_ns)
    end = wait_for_end(probe, timeout=60)
    assert (end.exit_code, end.cause, end.pod_gone) == (137, "pod web was deleted", True)


def test_a_crashing_container_ends_the_session_and_names_the_container(exec_api, exec_core,
                                                                     exec_ns):
    # exits every 200 simulated seconds (4 s here) and is restarted by the kubelet
    exec_core.create_namespaced_pod(exec_ns, pod_manifest("crashy", script_container("box", "sleep 200; exit 1")))
    wait_for(lambda: (exec_core.read_namespaced_pod("crashy", exec_ns).status.container_statuses
                      or [None])[0] is not None, timeout=30, message="a container status")
    wait_for(lambda: exec_core.read_namespaced_pod("crashy", exec_ns).status
             .container_statuses[0].state.running, timeout=30, message="crashy running")
    _, probe = start(exec_api, ExecTarget(exec_ns, "crashy", "box"))
    end = wait_for_end(probe, timeout=60)
    assert end.exit_code == 137 and not end.pod_gone
    assert end.cause is not None and end.cause.startswith("container box "), end.cause


# ---- a bare API server: the test plays the kubelet, so each state is exact ------------------
bare_cluster = cluster_fixture(**BARE_SERVER)


@pytest.fixture(scope="module")
def bare(bare_cluster):
    return bare_cluster, bare_cluster.api_client


def set_container_status(env, name: str, created: dict, **changes) -> None:
    status = running_status(created, "10.244.1.30")
    status["containerStatuses"][0].update(changes)
    patch_status(env, name, status)


def test_a_new_container_instance_is_a_restart(bare):
    env, api_client = bare
    created = run_pod(env, pod_manifest("restarting", NGINX), "10.244.1.30")
    _, probe = start(api_client, ExecTarget("default", "restarting", "nginx"))
    set_container_status(env, "restarting", created, containerID=f"containerd://{'3' * 64}",
                         restartCount=1)
    end = wait_for_end(probe, timeout=60)
    assert (end.exit_code, end.cause, end.pod_gone) == (137, "container nginx restarted", False)


def test_a_stopped_container_is_named_with_its_reason_and_exit_code(bare):
    env, api_client = bare
    created = run_pod(env, pod_manifest("stopping", NGINX), "10.244.1.31")
    _, probe = start(api_client, ExecTarget("default", "stopping", "nginx"))
    set_container_status(env, "stopping", created, ready=False, started=False, state={
        "terminated": {"exitCode": 1, "reason": "Error", "startedAt": "2026-11-26T16:00:00Z",
                       "finishedAt": "2026-11-26T16:05:00Z",
                       "containerID": f"containerd://{'1' * 64}"}})
    end = wait_for_end(probe, timeout=60)
    assert (end.exit_code, end.cause) == (137, "container nginx stopped (Error, exit code 1)")


def test_the_commands_own_exit_137_is_only_an_exit_code(bare):
    env, api_client = bare
    run_pod(env, pod_manifest("steady", NGINX), "10.244.1.32")
    session, probe = start(api_client, ExecTarget("default", "steady", "nginx"))
    session.send(b"exit 137\r")
    end = wait_for_end(probe, timeout=60)
    assert (end.exit_code, end.cause, end.pod_gone) == (137, None, False)
