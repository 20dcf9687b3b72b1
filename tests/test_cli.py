"""The `kubetui` command line as a user meets it: help, the cluster line, and one-line failures."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.support.waiting import wait_for

KUBETUI = [sys.executable, "-m", "kubetui"]
READY_PREFIX = "kubetui local cluster ready at https://127.0.0.1:"


def run_kubetui(*args: str, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([*KUBETUI, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)


def read_line(stream, timeout: float = 60) -> str:
    """The next line of `stream`, once one is there (a deadline, not a blocking read, decides)."""
    import selectors

    sel = selectors.DefaultSelector()
    sel.register(stream, selectors.EVENT_READ)
    wait_for(lambda: sel.select(timeout=0.2), timeout, interval=0, message="a line")
    return stream.readline()


@pytest.fixture(scope="module")
def cluster_process(tmp_path_factory):
    """`kubetui cluster` as a user starts it; yields (process, ready line, kubeconfig path)."""
    tmp = tmp_path_factory.mktemp("cluster-cli")
    kubeconfig = tmp / "kc.yaml"
    proc = subprocess.Popen([*KUBETUI, "cluster", "--port", "0", "--write-kubeconfig", str(kubeconfig)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    try:
        line = read_line(proc.stdout, 60)
        yield proc, line, kubeconfig
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)


def test_help_names_the_global_flags_and_the_demo():
    result = run_kubetui("--help")
    assert result.returncode == 0
    for flag in ("--kubeconfig", "--context", "--namespace", "--all-namespaces", "--readonly", "demo", "cluster"):
        assert flag in result.stdout


def test_cluster_prints_exactly_the_ready_line(cluster_process):
    _, line, kubeconfig = cluster_process
    assert line.startswith(READY_PREFIX)
    assert line.rstrip("\n").endswith(f"(kubeconfig: {kubeconfig})")
    port = int(line[len(READY_PREFIX):].split(" ")[0])
    assert port > 0
    assert oct(kubeconfig.stat().st_mode & 0o777) == "0o600"
    config = yaml.safe_load(kubeconfig.read_text())
    assert config["current-context"] == "kubetui-local"
    assert {c["name"] for c in config["contexts"]} >= {"kubetui-local", "kubetui-local-viewer"}
    assert config["clusters"][0]["cluster"]["server"] == f"https://127.0.0.1:{port}"
    assert "insecure-skip-tls-verify" not in config["clusters"][0]["cluster"]


def test_kubectl_accepts_the_written_kubeconfig(cluster_process, tmp_path):
    _, _, kubeconfig = cluster_process
    kubectl = Path(sys.executable).parent / "kubectl"
    result = subprocess.run([str(kubectl), "--kubeconfig", str(kubeconfig), "get", "namespaces"],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "KUBECACHEDIR": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr
    assert "default" in result.stdout and "kube-system" in result.stdout


def test_cluster_stops_cleanly_on_sigterm(tmp_path):
    proc = subprocess.Popen([*KUBETUI, "cluster", "--write-kubeconfig", str(tmp_path / "kc")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    try:
        assert read_line(proc.stdout, 60).startswith(READY_PREFIX)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        assert "Traceback" not in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()


def test_no_kubeconfig_suggests_the_demo(tmp_path):
    env = {"HOME": str(tmp_path), "KUBECONFIG": ""}
    result = run_kubetui(env=env)
    assert result.returncode == 1
    assert "kubetui demo" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def _kubeconfig_variant(source: Path, target: Path, change) -> Path:
    config = yaml.safe_load(source.read_text())
    change(config)
    target.write_text(yaml.safe_dump(config))
    return target


def _assert_one_clear_line(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0]


def test_unreachable_server_is_one_line(cluster_process, tmp_path):
    _, _, kubeconfig = cluster_process

    def closed_port(config):
        config["clusters"][0]["cluster"]["server"] = "https://127.0.0.1:9"

    result = run_kubetui("--kubeconfig", str(_kubeconfig_variant(kubeconfig, tmp_path / "kc", closed_port)))
    _assert_one_clear_line(result, "cannot reach", "127.0.0.1:9")


def test_wrong_token_is_one_line(cluster_process, tmp_path):
    _, _, kubeconfig = cluster_process

    def wrong_token(config):
        for user in config["users"]:
            user["user"]["token"] = "not-the-token"

    result = run_kubetui("--kubeconfig", str(_kubeconfig_variant(kubeconfig, tmp_path / "kc", wrong_token)))
    _assert_one_clear_line(result, "401")


def test_untrusted_certificate_is_one_line(cluster_process, tmp_path):
    _, _, kubeconfig = cluster_process
    other = tmp_path / "other.yaml"
    proc = subprocess.Popen([*KUBETUI, "cluster", "--write-kubeconfig", str(other)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    try:
        read_line(proc.stdout, 60)
        foreign_ca = yaml.safe_load(other.read_text())["clusters"][0]["cluster"]["certificate-authority-data"]
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)

    def foreign_certificate(config):
        config["clusters"][0]["cluster"]["certificate-authority-data"] = foreign_ca

    result = run_kubetui("--kubeconfig", str(_kubeconfig_variant(kubeconfig, tmp_path / "kc", foreign_certificate)))
    _assert_one_clear_line(result, "certificate")


def test_unknown_context_is_one_line(cluster_process):
    _, _, kubeconfig = cluster_process
    result = run_kubetui("--kubeconfig", str(kubeconfig), "--context", "nope")
    _assert_one_clear_line(result, 'context "nope" does not exist', "kubetui-local")


def test_bad_cluster_knob_is_one_line():
    result = run_kubetui("cluster", "--error-rate", "3")
    _assert_one_clear_line(result, "error_rate", "between 0 and 1")


def test_busy_port_is_one_line(cluster_process):
    _, line, _ = cluster_process
    port = line[len(READY_PREFIX):].split(" ")[0]
    result = run_kubetui("cluster", "--port", port)
    _assert_one_clear_line(result, f"127.0.0.1:{port}", "already in use")
