"""A session whose container stops ends, and says what happened to the container, read from
the pod after the end: deleted pod, restarted or stopped container, or nothing (the command's
own exit)."""

from __future__ import annotations

import pytest

from kubetui.kube.exec_session import ExecSession
from kubetui.kube.exec_stream import ExecTarget
from tests.conftest import wait_for
from tests.kube.exec_support import (  # noqa: F401 (fixtures)
    RecordingScreen, SessionProbe, exec_api, exec_cluster, exec_core, exec_kubeconfig, exec_ns,
    running_pod, wait_for_end, wait_for_text,
)
from tests.localcluster.exec_support import pod, running_status, start_exec_cluster

NGINX = {"name": "nginx", "image": "nginx:1.25"}


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
    exec_core.create_namespaced_pod(exec_ns, {
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "crashy"},
        "spec": {"containers": [{"name": "box", "image": "busybox:1.36",
                                 "command": ["sh", "-c", "sleep 200; exit 1"]}]}})
    wait_for(lambda: (exec_core.read_namespaced_pod("crashy", exec_ns).status.container_statuses
                      or [None])[0] is not None, timeout=30, message="a container status")
    wait_for(lambda: exec_core.read_namespaced_pod("crashy", exec_ns).status
             .container_statuses[0].state.running, timeout=30, message="crashy running")
    _, probe = start(exec_api, ExecTarget(exec_ns, "crashy", "box"))
    end = wait_for_end(probe, timeout=60)
    assert end.exit_code == 137 and not end.pod_gone
    assert end.cause is not None and end.cause.startswith("container box "), end.cause


# ---- a bare API server: the test plays the kubelet, so each state is exact ------------------
@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    running = start_exec_cluster(tmp_path_factory.mktemp("session-ends"))
    api = running.api()
    yield running, api.api_client
    api.api_client.close()
    running.cluster.stop()


def set_container_status(env, name: str, created: dict, **changes) -> None:
    import orjson

    status = running_status(created, "10.244.1.30")
    status["containerStatuses"][0].update(changes)
    code, _, data = env.raw.request(
        "PATCH", f"/api/v1/namespaces/default/pods/{name}/status",
        orjson.dumps({"status": status}), {"Content-Type": "application/merge-patch+json"})
    assert code == 200, data


def test_a_new_container_instance_is_a_restart(bare):
    env, api_client = bare
    created = env.run_pod(pod("restarting", NGINX), "10.244.1.30")
    _, probe = start(api_client, ExecTarget("default", "restarting", "nginx"))
    set_container_status(env, "restarting", created, containerID=f"containerd://{'3' * 64}",
                         restartCount=1)
    end = wait_for_end(probe, timeout=60)
    assert (end.exit_code, end.cause, end.pod_gone) == (137, "container nginx restarted", False)


def test_a_stopped_container_is_named_with_its_reason_and_exit_code(bare):
    env, api_client = bare
    created = env.run_pod(pod("stopping", NGINX), "10.244.1.31")
    _, probe = start(api_client, ExecTarget("default", "stopping", "nginx"))
    set_container_status(env, "stopping", created, ready=False, started=False, state={
        "terminated": {"exitCode": 1, "reason": "Error", "startedAt": "2026-11-26T16:00:00Z",
                       "finishedAt": "2026-11-26T16:05:00Z",
                       "containerID": f"containerd://{'1' * 64}"}})
    end = wait_for_end(probe, timeout=60)
    assert (end.exit_code, end.cause) == (137, "container nginx stopped (Error, exit code 1)")


def test_the_commands_own_exit_137_is_only_an_exit_code(bare):
    env, api_client = bare
    env.run_pod(pod("steady", NGINX), "10.244.1.32")
    session, probe = start(api_client, ExecTarget("default", "steady", "nginx"))
    session.send(b"exit 137\r")
    end = wait_for_end(probe, timeout=60)
    assert (end.exit_code, end.cause, end.pod_gone) == (137, None, False)
