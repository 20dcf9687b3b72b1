"""Interactive exec sessions against the local cluster, through the official client's WebSocket."""

from __future__ import annotations

import pytest

from kubetui.kube.exec_session import ExecSession
from kubetui.kube.exec_stream import ExecTarget
from tests.kube.exec_support import RecordingScreen, SessionProbe, running_pod, wait_for_end, wait_for_text


@pytest.fixture
def nginx_pod(exec_core, exec_ns):
    return running_pod(exec_core, exec_ns, "web", [("nginx", "nginx:1.25")])


def start(exec_api, target, screen, size=(100, 30)):
    probe = SessionProbe()
    session = ExecSession(exec_api, target, screen, size=size, **probe.kwargs())
    session.start()
    return session, probe


def test_typed_command_and_its_output_appear(exec_api, exec_ns, nginx_pod):
    screen = RecordingScreen()
    session, probe = start(exec_api, ExecTarget(exec_ns, nginx_pod, "nginx"), screen)
    wait_for_text(screen, "root@web:/#")
    session.send(b"pwd\r")
    wait_for_text(screen, "pwd\n/")
    assert probe.started == [(("/bin/bash",), None)]
    session.send(b"exit\r")
    assert wait_for_end(probe).exit_code == 0


def test_terminal_size_is_sent_first_and_follows_resizes(exec_api, exec_ns, nginx_pod):
    screen = RecordingScreen(123, 41)
    session, probe = start(exec_api, ExecTarget(exec_ns, nginx_pod, "nginx"), screen, size=(123, 41))
    wait_for_text(screen, "root@web:/#")
    session.send(b"stty size\r")
    wait_for_text(screen, "41 123")
    session.resize(90, 20)
    session.send(b"stty size\r")
    wait_for_text(screen, "20 90")
    session.close()
    assert session.join(5)


def test_exit_code_comes_from_the_status_channel(exec_api, exec_ns, nginx_pod):
    screen = RecordingScreen()
    session, probe = start(exec_api, ExecTarget(exec_ns, nginx_pod, "nginx"), screen)
    wait_for_text(screen, "root@web:/#")
    session.send(b"exit 3\r")
    end = wait_for_end(probe)
    assert (end.exit_code, end.error, end.closed_by_user) == (3, None, False)


def test_missing_bash_falls_back_to_sh(exec_api, exec_core, exec_ns):
    pod = running_pod(exec_core, exec_ns, "tiny", [("box", "alpine:3.19")])
    screen = RecordingScreen()
    session, probe = start(exec_api, ExecTarget(exec_ns, pod, "box"), screen)
    wait_for_text(screen, "/ #")
    assert probe.started == [(("/bin/bash",), None), (("/bin/sh",), ("/bin/bash",))]
    session.send(b"echo $0\r")
    wait_for_text(screen, "\n/bin/sh")
    session.send(b"exit 5\r")
    assert wait_for_end(probe).exit_code == 5


def test_two_sessions_at_once_in_one_container(exec_api, exec_ns, nginx_pod):
    target = ExecTarget(exec_ns, nginx_pod, "nginx")
    first, second = RecordingScreen(), RecordingScreen()
    s1, p1 = start(exec_api, target, first)
    s2, p2 = start(exec_api, target, second)
    wait_for_text(first, "root@web:/#")
    wait_for_text(second, "root@web:/#")
    s1.send(b"echo one-$((40+1))\r")
    s2.send(b"echo two-$((40+2))\r")
    wait_for_text(first, "one-41")
    wait_for_text(second, "two-42")
    assert "two-42" not in first.text() and "one-41" not in second.text()
    s1.send(b"exit 1\r")
    s2.send(b"exit 2\r")
    assert (wait_for_end(p1).exit_code, wait_for_end(p2).exit_code) == (1, 2)


def test_close_ends_the_thread_promptly(exec_api, exec_ns, nginx_pod):
    screen = RecordingScreen()
    session, probe = start(exec_api, ExecTarget(exec_ns, nginx_pod, "nginx"), screen)
    wait_for_text(screen, "root@web:/#")
    session.close()
    assert session.join(2)
    assert probe.end.closed_by_user
