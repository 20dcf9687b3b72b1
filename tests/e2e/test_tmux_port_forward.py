"""End to end in a real terminal: `kubetui demo` under tmux, shift+f on sample-pod, the ports typed
in the dialog, nginx's page through the forward, `:pf` listing it, ctrl+d stopping it.

Reuses the private-tmux-server `Terminal` of test_tmux_pods. Every wait polls the captured
screen (or the forwarded port) until a deadline; nothing sleeps to synchronise.
"""

from __future__ import annotations

import http.client
import socket
import sys

import pytest

from tests.support.waiting import wait_for
from tests.e2e.tmux_terminal import TMUX, Terminal, row

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed: the end-to-end test needs a real terminal")


@pytest.fixture
def demo():
    terminal = Terminal(f"{sys.executable} -m kubetui demo; echo kubetui-exited-$?; sleep 600")
    yield terminal
    terminal.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def page(port: int) -> bytes | None:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/")
        return connection.getresponse().read()
    except OSError:
        return None


def test_shift_f_forwards_nginx_and_pf_stops_it(demo):
    demo.wait_for(lambda s: (line := row(s, "sample-pod")) is not None and "Running" in line,
                  timeout=60, what="sample-pod Running")
    demo.type("/sample-pod ")
    demo.keys("Enter")
    demo.wait_for(lambda s: row(s, "sample-pod") and not row(s, "sample-2pod") and " s Shell " in s,
                  what="only sample-pod, the table focused")

    demo.type("F")  # shift+f
    demo.wait_for(lambda s: "Port-forward pod/sample-pod in namespace default" in s, what="the ports dialog")
    local = free_port()
    demo.type("80")  # the pod port (sample-pod declares none, so it is asked first)
    demo.keys("Tab")
    demo.type(str(local))
    demo.keys("Enter")
    body = wait_for(lambda: page(local), timeout=30, message="nginx's page through the forward")
    assert b"Welcome to nginx!" in body

    demo.keys(":")
    demo.type("pf")
    demo.keys("Enter")
    demo.wait_for(lambda s: (line := row(s, "sample-pod")) is not None and str(local) in line and "Active" in line,
                  what="the forward in :pf")
    demo.keys("C-d")
    demo.wait_for(lambda s: (line := row(s, "sample-pod")) is not None and "Stopped" in line, what="stopped")
    wait_for(lambda: page(local) is None, message="the local port closed")

    demo.keys("q")
    demo.wait_for(lambda s: "kubetui-exited-0" in s, timeout=20, what="a clean exit")
