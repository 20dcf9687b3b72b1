"""`kubetui logs` against the venv's kubectl on the same local cluster: the same bytes on stdout,
the same lines on stderr, the same exit code, flag by flag, errors included.

The pods print deterministic lines (their log lines and timestamps follow from the container's
start), so each command reads the same thing whenever it runs. Where kubectl's order is random
(several requests: its Go map), the lines are compared as sorted lists. kubectl's usage hints
name `kubectl logs`; kubetui's name `kubetui logs`, and only that word differs.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import threading

import pytest

from kubetui.cli import build_parser
from kubetui.commands.logs import run_logs
from tests.localcluster.sim_support import get_pod, new_namespace, row, wait_status
from tests.support.clusters import KUBECTL
from tests.support.pods import container, pod_manifest, script_container
from tests.support.waiting import wait_for

KUBETUI = [sys.executable, "-m", "kubetui"]


COUNTER = "for i in 1 2 3 4 5; do echo line $i; done; echo oops >&2; sleep 3600"


@pytest.fixture(scope="module")
def pods(fast_cluster):
    ns = new_namespace(fast_cluster)
    fast_cluster.raw.create_pod(ns, pod_manifest("counter", script_container("c", COUNTER)))
    fast_cluster.raw.create_pod(ns, pod_manifest("two", script_container("first", "echo one-a; echo one-b; sleep 3600"),
                                                 script_container("second", "echo two-a; sleep 3600")))
    for name, default in (("annotated", "second"), ("misannotated", "gone")):
        fast_cluster.raw.create_pod(ns, pod_manifest(
            name, script_container("first", "echo from-first; sleep 3600"),
            script_container("second", "echo from-second; sleep 3600"),
            annotations={"kubectl.kubernetes.io/default-container": default}))
    fast_cluster.raw.create_pod(ns, pod_manifest(
        "withinit", script_container("app", "echo app-up; sleep 3600"),
        initContainers=[script_container("setup", "echo setting up; echo done")]))
    fast_cluster.raw.create_pod(ns, pod_manifest("crasher",
                                                 script_container("app", "echo run; echo failing >&2; exit 1")))
    fast_cluster.raw.create_pod(ns, pod_manifest("nopull", container("c", "nginx:doesnotexist")))
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                  "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                           "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [
                               script_container("web", "echo web-1; echo web-2; sleep 3600")]}}}}
    assert fast_cluster.raw.call("POST", f"/apis/apps/v1/namespaces/{ns}/deployments", deployment)[0] == 201
    for name in ("counter", "two", "annotated", "misannotated", "withinit"):
        wait_status(fast_cluster, ns, name, lambda p: row(p).status == "Running", timeout=30)
    wait_status(fast_cluster, ns, "crasher", lambda p: int(row(p).restarts.split()[0]) >= 1, timeout=30)
    wait_status(fast_cluster, ns, "nopull", lambda p: row(p).status in ("ErrImagePull", "ImagePullBackOff"))

    def web_running():
        out = fast_cluster.kubectl("get", "pods", "-n", ns, "-l", "app=web").stdout
        return out.count(" Running ") == 2
    wait_for(web_running, timeout=30, message="both web pods running")
    return ns


def kubectl(running, *args: str) -> tuple[bytes, str, int]:
    env = {**os.environ, "KUBECACHEDIR": str(running.cache_dir)}
    result = subprocess.run([KUBECTL, "--kubeconfig", str(running.kubeconfig), "logs", *args],
                            capture_output=True, env=env, timeout=60, stdin=subprocess.DEVNULL)
    return result.stdout, result.stderr.decode(), result.returncode


def kubetui(running, *args: str) -> tuple[bytes, str, int]:
    """`kubetui logs` in this process (the CLI parser, then the command itself)."""
    parsed = build_parser().parse_args(["logs", "--kubeconfig", str(running.kubeconfig), *args])
    out, err = io.BytesIO(), io.StringIO()
    code = run_logs(parsed, out, err)
    return out.getvalue(), err.getvalue().replace("kubetui logs", "kubectl logs"), code


def both(running, *args: str):
    return kubectl(running, *args), kubetui(running, *args)


@pytest.mark.parametrize("args", [
    pytest.param(["counter"], id="plain"),
    pytest.param(["pod/counter"], id="pod-slash-name"),
    pytest.param(["po/counter", "c"], id="inline-container"),
    pytest.param(["counter", "--tail=2"], id="tail"),
    pytest.param(["counter", "--tail", "0"], id="tail-0"),
    pytest.param(["counter", "--tail=-1"], id="tail-all"),
    pytest.param(["counter", "--timestamps"], id="timestamps"),
    pytest.param(["counter", "--timestamps", "--tail=1"], id="timestamps-tail"),
    pytest.param(["counter", "--limit-bytes=10"], id="limit-bytes"),
    pytest.param(["counter", "--since=1h"], id="since"),
    pytest.param(["counter", "--since-time=2020-01-01T00:00:00Z"], id="since-time-past"),
    pytest.param(["counter", "--since-time=2099-01-01T00:00:00+02:00"], id="since-time-future"),
    pytest.param(["two"], id="defaulted-container-notice"),
    pytest.param(["two", "-c", "second"], id="container"),
    pytest.param(["annotated"], id="default-container-annotation"),
    pytest.param(["misannotated"], id="annotation-names-a-missing-container"),
    pytest.param(["withinit"], id="init-container-in-notice"),
    pytest.param(["withinit", "-c", "setup"], id="init-container"),
    pytest.param(["crasher", "--previous"], id="previous"),
    pytest.param(["deploy/web"], id="deployment-picks-one-pod"),
    pytest.param(["deployment.apps/web", "--tail=1"], id="deployment-full-name"),
    pytest.param(["rs/nope"], id="replicaset-not-found"),
    pytest.param(["-l", "app=nothing"], id="selector-matches-nothing"),
])
def test_one_request_prints_what_kubectl_prints(fast_cluster, pods, args):
    expected, got = both(fast_cluster, "-n", pods, *args)
    assert got == expected


@pytest.mark.parametrize("args", [
    pytest.param(["nope"], id="pod-not-found"),
    pytest.param(["deploy/nope"], id="deployment-not-found"),
    pytest.param(["job/nope"], id="no-batch-api"),
    pytest.param(["cm/nope"], id="configmap-not-found"),
    pytest.param(["two", "-c", "nope"], id="container-not-valid"),
    pytest.param(["two", "--all-containers", "-c", "first"], id="all-containers-and-container"),
    pytest.param(["two", "first", "-c", "second"], id="container-twice"),
    pytest.param([], id="no-pod"),
    pytest.param(["a", "b", "c"], id="too-many-arguments"),
    pytest.param(["counter", "-l", "app=web"], id="name-and-selector"),
    pytest.param(["counter", "--tail=-2"], id="tail-below-minus-one"),
    pytest.param(["counter", "--tail=abc"], id="tail-not-a-number"),
    pytest.param(["counter", "--since=-1s"], id="since-negative"),
    pytest.param(["counter", "--since=5"], id="since-without-unit"),
    pytest.param(["counter", "--since=5x"], id="since-unknown-unit"),
    pytest.param(["counter", "--since=499ms"], id="since-rounds-to-zero"),
    pytest.param(["counter", "--limit-bytes=-1"], id="limit-bytes-negative"),
    pytest.param(["counter", "--since=1m", "--since-time=2026-01-01T00:00:00Z"], id="since-and-since-time"),
    pytest.param(["counter", "--since-time=2026-13-01T00:00:00Z"], id="since-time-month"),
    pytest.param(["counter", "--since-time=2026-01-01"], id="since-time-short"),
    pytest.param(["counter", "--previous"], id="no-previous-instance"),
    pytest.param(["nopull"], id="waiting-to-start"),
    pytest.param(["-l", "app=web", "-f", "--max-log-requests=1"], id="too-many-streams"),
])
def test_errors_read_as_kubectl_words_them(fast_cluster, pods, args):
    expected, got = both(fast_cluster, "-n", pods, *args)
    assert expected[2] != 0, expected  # the case is an error for kubectl too
    assert pulling(got) == pulling(expected)


def pulling(result: tuple[bytes, str, int]) -> tuple[bytes, str, int]:
    """The pull back-off alternates between two reasons; either may be read at any moment."""
    out, err, code = result
    return out, re.sub(r"image can't be pulled|trying and failing to pull image", "PULL", err), code


@pytest.mark.parametrize("args", [
    pytest.param(["-l", "app=web"], id="selector-default-tail"),
    pytest.param(["-l", "app=web", "--prefix", "--tail=1"], id="selector-prefix"),
    pytest.param(["-l", "app=web", "--all-containers", "--timestamps"], id="selector-all-containers"),
    pytest.param(["two", "--all-containers"], id="all-containers"),
    pytest.param(["withinit", "--all-containers", "--prefix"], id="all-containers-prefix"),
    pytest.param(["deploy/web", "--all-pods"], id="all-pods"),
])
def test_several_requests_print_the_same_lines(fast_cluster, pods, args):
    """kubectl reads several requests in random order: the same lines, sorted, and the rest."""
    (out_k, err_k, code_k), (out_t, err_t, code_t) = both(fast_cluster, "-n", pods, *args)
    assert (sorted(out_t.splitlines()), err_t, code_t) == (sorted(out_k.splitlines()), err_k, code_k)
    assert out_t  # something was read


def test_the_installed_command_prints_the_same(fast_cluster, pods):
    env = {**os.environ, "KUBECACHEDIR": str(fast_cluster.cache_dir)}
    result = subprocess.run([*KUBETUI, "logs", "--kubeconfig", str(fast_cluster.kubeconfig), "-n", pods,
                             "two"], capture_output=True, env=env, timeout=60, stdin=subprocess.DEVNULL)
    assert (result.stdout, result.stderr.decode(), result.returncode) == kubectl(fast_cluster, "-n", pods, "two")
    result = subprocess.run([*KUBETUI, "logs", "--kubeconfig", str(fast_cluster.kubeconfig), "-A", "counter"],
                            capture_output=True, text=True, env=env, timeout=60, stdin=subprocess.DEVNULL)
    assert (result.stderr, result.returncode) == (
        "error: unknown shorthand flag: 'A' in -A\nSee 'kubetui logs --help' for usage.\n", 1)


def follow(running, command: list[str], wanted_lines: int, timeout: float = 30.0) -> list[bytes]:
    """The first `wanted_lines` lines a following command prints (then it is stopped)."""
    env = {**os.environ, "KUBECACHEDIR": str(running.cache_dir)}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                               stdin=subprocess.DEVNULL)
    lines: list[bytes] = []
    reader = threading.Thread(target=lambda: [lines.append(line) for line in process.stdout], daemon=True)
    reader.start()
    try:
        wait_for(lambda: len(lines) >= wanted_lines, timeout=timeout, message=f"{wanted_lines} lines from {command}")
    finally:
        process.kill()
        process.wait(10)
    return lines[:wanted_lines]


def test_follow_prints_the_same_first_lines(fast_cluster, pods):
    kubeconfig = ["--kubeconfig", str(fast_cluster.kubeconfig), "logs", "-n", pods]
    args = ["counter", "-f", "--tail=3", "--timestamps"]
    assert follow(fast_cluster, [*KUBETUI, *kubeconfig, *args], 3) == \
        follow(fast_cluster, [KUBECTL, *kubeconfig, *args], 3)
    args = ["-f", "-l", "app=web", "--prefix"]
    assert sorted(follow(fast_cluster, [*KUBETUI, *kubeconfig, *args], 4)) == \
        sorted(follow(fast_cluster, [KUBECTL, *kubeconfig, *args], 4))


def test_follow_ends_with_the_container_like_kubectl(fast_cluster, pods):
    fast_cluster.raw.create_pod(pods, pod_manifest(
        "finisher", script_container("c", "echo first; sleep 250; echo second; sleep 5; echo third"),
        restartPolicy="Never"))
    wait_status(fast_cluster, pods, "finisher", lambda p: row(p).status == "Running")
    results: dict[str, tuple] = {}
    threads = [threading.Thread(target=lambda name=name, run=run: results.__setitem__(
        name, run(fast_cluster, "-n", pods, "finisher", "-f", "--timestamps"))) for name, run in
        (("kubectl", kubectl), ("kubetui", kubetui))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    pod = get_pod(fast_cluster, pods, "finisher")
    assert row(pod).status == "Completed", "the container ended while both were following"
    assert results["kubetui"] == results["kubectl"]
    assert results["kubetui"][0].decode().count("\n") == 3
