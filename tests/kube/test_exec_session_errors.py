"""Exec failures become one clear KubetuiError each: not running, not found, forbidden, lost."""

from __future__ import annotations

import pytest

from kubetui.errors import KubetuiError
from kubetui.kube.exec_once import run_once
from kubetui.kube.exec_session import ExecSession
from kubetui.kube.exec_stream import ExecTarget, open_stream
from kubetui.terminal import ScreenBuffer
from tests.kube.exec_support import (
    CuttableProxy,
    RecordingScreen,
    SessionProbe,
    running_pod,
    wait_for_end,
    wait_for_text,
)
from tests.support.pods import container, pod_manifest
from tests.support.waiting import wait_for


@pytest.fixture
def nginx_pod(exec_core, exec_ns):
    return running_pod(exec_core, exec_ns, "web", [("nginx", "nginx:1.25")])


def open_error(api, target) -> KubetuiError:
    with pytest.raises(KubetuiError) as caught:
        open_stream(api, target, ("/bin/sh",), stdin=True)
    return caught.value


def test_unknown_container(exec_api, exec_ns, nginx_pod):
    error = open_error(exec_api, ExecTarget(exec_ns, nginx_pod, "nope"))
    assert error.title == "Container not found"
    assert "container nope is not valid for pod web" in error.message


def test_unknown_pod(exec_api, exec_ns):
    error = open_error(exec_api, ExecTarget(exec_ns, "ghost", "c"))
    assert error.title == "Not found"
    assert 'pods "ghost" not found' in error.message


def test_container_not_running(exec_api, exec_core, exec_ns):
    # busybox with no command runs sh, which reads end-of-file and exits: never stays running
    exec_core.create_namespaced_pod(exec_ns, pod_manifest("quitter", container("box", "busybox")))
    wait_for(lambda: exec_core.read_namespaced_pod("quitter", exec_ns).status.container_statuses,
             timeout=30, message="a container status")
    error = open_error(exec_api, ExecTarget(exec_ns, "quitter", "box"))
    assert error.title == "Container not running"
    assert "quitter/box is not running" in error.message


def test_forbidden_for_a_read_only_user(exec_kubeconfig, exec_ns, nginx_pod):
    from kubernetes import config

    viewer = config.new_client_from_config(config_file=str(exec_kubeconfig), context="kubetui-local-viewer")
    try:
        error = open_error(viewer, ExecTarget(exec_ns, nginx_pod, "nginx"))
    finally:
        viewer.close()
    assert error.title == "Forbidden"
    assert "forbidden" in error.message and "pods/exec" in error.message


def test_missing_command_is_a_clear_message_not_a_dead_tab(exec_api, exec_ns, nginx_pod):
    probe = SessionProbe()
    session = ExecSession(exec_api, ExecTarget(exec_ns, nginx_pod, "nginx", command=("/opt/nothing",)),
                          ScreenBuffer(), size=(80, 24), **probe.kwargs())
    session.start()
    end = wait_for_end(probe)
    assert end.exit_code is None
    assert end.error.title == "Command not found"
    assert "/opt/nothing" in end.error.message


def test_connection_lost_when_the_network_drops(exec_kubeconfig, exec_cluster, exec_ns, nginx_pod, tmp_path):
    from kubernetes import config

    proxy = CuttableProxy(exec_cluster.cluster.port)
    # the client re-reads its kubeconfig on every request, so the proxy goes into a kubeconfig
    kubeconfig = tmp_path / "via-proxy"
    kubeconfig.write_text(exec_kubeconfig.read_text().replace(f":{exec_cluster.cluster.port}", f":{proxy.port}"))
    api = config.new_client_from_config(config_file=str(kubeconfig))
    screen = RecordingScreen()
    probe = SessionProbe()
    session = ExecSession(api, ExecTarget(exec_ns, nginx_pod, "nginx"), screen, size=(80, 24), **probe.kwargs())
    session.start()
    wait_for_text(screen, "root@web:/#")
    proxy.cut()
    end = wait_for_end(probe)
    api.close()
    assert end.exit_code is None
    assert end.error.title == "Connection lost"


def test_one_shot_command_output_and_exit_code(exec_api, exec_ns, nginx_pod):
    result = run_once(exec_api, ExecTarget(exec_ns, nginx_pod, "nginx", command=("/bin/ls", "/"), tty=False))
    assert result.exit_code == 0 and result.error is None
    assert "etc" in result.output.split()
    failed = run_once(exec_api, ExecTarget(exec_ns, nginx_pod, "nginx", command=("/bin/sh", "-c", "echo oops >&2; exit 4"),
                                           tty=False))
    assert (failed.exit_code, failed.output.strip()) == (4, "oops")
