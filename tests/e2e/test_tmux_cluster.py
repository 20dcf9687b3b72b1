"""End to end as a user with a cluster: `kubetui cluster` in one process, `kubetui` in tmux on its kubeconfig.

This is the path `kubetui demo` does not take: kubeconfig discovery, the /version probe and the
read-only viewer context, against a server in another process.
"""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from tests.e2e.tmux_terminal import kubetui, needs_tmux, row

pytestmark = needs_tmux


@pytest.fixture
def seeded_cluster(tmp_path):
    kubeconfig = tmp_path / "kc.yaml"
    process = subprocess.Popen([sys.executable, "-m", "kubetui", "cluster", "--seed", "--time-scale", "20",
                                "--write-kubeconfig", str(kubeconfig)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    try:
        line = process.stdout.readline()
        assert line.startswith("kubetui local cluster ready at https://127.0.0.1:"), line + process.stderr.read()
        yield kubeconfig
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def test_kubetui_on_a_kubeconfig_shows_the_namespace_and_refuses_exec_read_only(seeded_cluster):
    terminal = kubetui("--kubeconfig", seeded_cluster, "--context", "kubetui-local-viewer", "-n", "kube-system",
                       "--readonly")
    try:
        screen = terminal.wait_for(lambda s: (line := row(s, "etcd-kubetui-node-1")) is not None and "Running" in line,
                                   timeout=60, what="kube-system pods running")
        assert "kubetui-local-viewer" in screen and "kube-system" in screen and "read-only" in screen
        assert row(screen, "sample-2pod") is None, "only the chosen namespace is listed"
        terminal.keys("s")
        terminal.wait_for(lambda s: "--readonly: exec is disabled" in s, timeout=20,
                          what="the notification that exec is disabled in read-only mode")
        terminal.keys("q")
        terminal.wait_for(lambda s: "kubetui-exited-0" in s, timeout=20, what="a clean exit")
    finally:
        terminal.close()
