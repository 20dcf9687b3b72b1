"""Exec sessions running real programs (`--host-exec`): bytes split mid-character, floods."""

from __future__ import annotations

import tracemalloc

import pytest

from kubetui.kube.exec_session import ExecSession
from kubetui.kube.exec_stream import ExecTarget
from kubetui.terminal import ScreenBuffer
from tests.kube.exec_support import RecordingScreen, SessionProbe, running_pod, wait_for_end


@pytest.fixture(scope="module")
def host_pod(host_exec_api):
    from kubernetes import client

    core = client.CoreV1Api(host_exec_api)
    return running_pod(core, "default", "box", [("main", "nginx:1.25")])


def start(api, sink, command=(), size=(100, 30)):
    probe = SessionProbe()
    session = ExecSession(api, ExecTarget("default", "box", "main", command=command), sink, size=size,
                          **probe.kwargs())
    session.start()
    return session, probe


def test_character_split_across_frames_is_drawn_once(host_exec_api, host_pod):
    screen = RecordingScreen()
    # the euro sign is e2 82 ac: two bytes, a pause, the last byte
    session, probe = start(host_exec_api, screen, ("/bin/sh", "-c", r"printf '<\342\202'; sleep 0.5; printf '\254>'"))
    assert wait_for_end(probe).exit_code == 0
    assert "<€>" in screen.text()
    assert any(frame.endswith(b"<\xe2\x82") for frame in screen.frames), screen.frames
    assert "\ufffd" not in screen.text()


def test_a_flood_does_not_accumulate_in_memory(host_exec_api, host_pod):
    screen = ScreenBuffer(100, 30, scrollback=1000)
    tracemalloc.start()
    try:
        session, probe = start(host_exec_api, screen, ("/bin/sh", "-c", "yes 0123456789abcdef 2>/dev/null | head -n 600000"))
        assert wait_for_end(probe, timeout=120).exit_code == 0
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "0123456789abcdef" in screen.display()
    assert peak < 6_000_000, f"peak {peak} bytes while 10 MB streamed through"
