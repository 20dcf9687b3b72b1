"""`kubetui port-forward` against kubectl on the same local cluster: the same lines, the same
pages and PONGs through the forward, the same errors, word for word; `--readonly` refuses."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.localcluster.forward_support import (http_get, kubectl_forward, kubetui_forward, redis_command,
                                                start_forward_cluster)

KLOG = re.compile(r'err=(".*") localPort=\d+ remotePort=(\d+)')


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    running = start_forward_cluster(tmp_path_factory.mktemp("forward-cli"))
    yield running
    running.cluster.stop()


def kubetui(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kubetui", "--kubeconfig", str(env.kubeconfig), *args],
                          capture_output=True, text=True, env=env.env, timeout=60)


def shape(text: str, ports: dict[int, int]) -> str:
    for remote, local in ports.items():
        text = text.replace(f":{local} ", f":LOCAL{remote} ").replace(f"for {local}\n", f"for LOCAL{remote}\n")
    return text


def test_same_lines_and_pages_as_kubectl(env):
    ours, theirs = kubetui_forward(env, "sample-2pod", ":80", ":6379", expected=2), \
        kubectl_forward(env, "sample-2pod", ":80", ":6379", expected=2)
    try:
        for forward in (ours, theirs):
            status, _, body = http_get(forward.ports[80])
            assert status == 200 and b"Welcome to nginx!" in body
            assert redis_command(forward.ports[6379], b"PING\r\n", 7) == b"+PONG\r\n"
    finally:
        (our_code, our_out, our_err), (their_code, their_out, their_err) = ours.interrupt(), theirs.interrupt()
    assert (our_code, their_code) == (0, 0) and our_err == their_err == ""
    assert shape(our_out, ours.ports) == shape(their_out, theirs.ports)


def test_a_refused_port_ends_both_with_the_kubelets_words(env):
    results = []
    for start in (kubetui_forward, kubectl_forward):
        forward = start(env, "sample-pod", ":9999")
        with pytest.raises(OSError):
            http_get(forward.ports[9999])
        code, _, err = forward.finish()
        results.append((code, KLOG.search(err).groups(), err.rstrip().splitlines()[-1]))
    assert results[0] == results[1]
    assert results[0][0] == 1 and results[0][2] == "error: lost connection to pod"
    assert "failed to connect to localhost:9999 inside namespace" in results[0][1][0]


@pytest.mark.parametrize("args", [
    pytest.param(("nope", "8080:80"), id="no such pod"),
    pytest.param(("pod/sample-pod", "abc:80"), id="bad local port"),
    pytest.param(("sample-pod", "8080:http"), id="no such named port"),
    pytest.param(("svc/web", "8080:9999"), id="no such service port"),
    pytest.param(("svc/kubernetes", "80"), id="service without selector"),
    pytest.param(("foo/bar", "80"), id="unknown type"),
    pytest.param(("sample-pod",), id="no ports"),
])
def test_errors_before_forwarding_are_kubectls(env, args):
    ours, theirs = kubetui(env, "port-forward", *args), env.kubectl("port-forward", *args)
    assert ours.returncode == theirs.returncode == 1
    assert ours.stderr == theirs.stderr.replace("kubectl port-forward -h", "kubetui port-forward -h")


def test_readonly_refuses_with_the_reason(env):
    done = kubetui(env, "--readonly", "port-forward", "sample-pod", "8080:80")
    assert done.returncode == 1
    assert "create on pods/portforward" in done.stderr and "nothing was forwarded" in done.stderr
