"""The simulated shell is bounded like a container: memory by the container's limit (else
256 MiB), CPU time per command. Real kubectl against the local cluster; the host process is
measured, not assumed."""

from __future__ import annotations

import os
import resource
import threading
from pathlib import Path

import pytest

from kubetui.localcluster.sandbox.bounds import DEFAULT_MEMORY_BYTES
from tests.localcluster.exec_support import PtySession, run_pod
from tests.support.clusters import BARE_SERVER, start_cluster
from tests.support.pods import container, pod_manifest

DOUBLING = 'x=a; while true; do x="$x$x"; done'
COUNTED_DOUBLING = 'x=a; i=0; while true; do x="$x$x"; i=$((i+1)); echo $i; done'
SPIN = "while true; do :; done"
CPU_SECONDS = 1.0
MiB = 1024 * 1024


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """A bare API server (pods are marked Running by hand) with a 1 s CPU budget per command."""
    with start_cluster(tmp_path_factory.mktemp("exec-bounds"), exec_cpu_seconds=CPU_SECONDS,
                       **BARE_SERVER) as running:
        run_pod(running, pod_manifest("web", container("nginx", "nginx:1.25")), "10.244.1.5")
        run_pod(running, pod_manifest("small", container("nginx", "nginx:1.25",
                                                         resources={"limits": {"memory": "64Mi"}})), "10.244.1.6")
        yield running


def shell_peaks() -> dict[int, int]:
    """Peak resident size (VmHWM, bytes) of each simulated shell this process runs now (the
    cluster runs in this process, so every exec'd shell is its child)."""
    peaks = {}
    me = str(os.getpid())
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:  # gone meanwhile
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == me and b"kubetui.localcluster.shell" in cmdline and "VmHWM" in fields:
            peaks[int(entry.name)] = int(fields["VmHWM"].split()[0]) * 1024
    return peaks


def test_doubling_a_variable_is_killed_at_the_memory_limit_and_the_host_stays_bounded(env):
    peak = {"bytes": 0, "seen": 0}
    done = threading.Event()

    def watch() -> None:  # measured, not assumed: this process's own shells, not other tests' children
        while not done.is_set():
            peaks = shell_peaks()
            peak["bytes"] = max([peak["bytes"], *peaks.values()])
            peak["seen"] += bool(peaks)
            done.wait(0.01)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        result = env.kubectl("exec", "web", "--", "bash", "-c", DOUBLING, check=False, timeout=120)
    finally:
        done.set()
        watcher.join(5)
    assert (result.returncode, result.stderr.strip()) == (
        137, "command terminated with exit code 137")
    assert peak["seen"], "the shell was seen running"
    # the host process never held more than the limit plus the interpreter itself
    assert peak["bytes"] < DEFAULT_MEMORY_BYTES + 128 * MiB


def test_the_containers_memory_limit_is_the_bound(env):
    def last_size(pod_name: str) -> int:
        result = env.kubectl("exec", pod_name, "--", "bash", "-c", COUNTED_DOUBLING, check=False, timeout=120)
        assert result.returncode == 137, result.stderr
        return 2 ** int(result.stdout.split()[-1])  # length of $x when the OOM killer struck

    small, default = last_size("small"), last_size("web")
    assert small <= 64 * MiB < default <= DEFAULT_MEMORY_BYTES


def test_in_an_interactive_shell_the_killed_command_is_reported_and_the_shell_goes_on(env):
    session = PtySession(env.kubectl_argv("exec", "-it", "web", "--", "bash"), env=env.env)
    try:
        session.expect("root@web:/# ")
        session.line(f"bash -c '{DOUBLING}'")
        session.expect("Killed", timeout=60)
        session.line('echo "status $?"')
        session.expect("status 137")
        session.line(f"{SPIN}")
        session.expect("CPU time limit exceeded", timeout=60)
        session.line('echo "status $?"')
        session.expect("status 152")
        # the next command has a budget of its own
        session.line('i=0; while [ $i -lt 200 ]; do i=$((i+1)); done; echo "counted $i"')
        session.expect("counted 200")
        # the shell itself outgrowing the limit is what the OOM killer ends: the session
        session.line(DOUBLING)
        assert session.wait(timeout=60) == 137
        assert "command terminated with exit code 137" in session.transcript.decode()
    finally:
        session.close()


def test_a_cpu_bound_loop_is_stopped_after_its_cpu_budget(env):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = env.kubectl("exec", "web", "--", "sh", "-c", SPIN, check=False, timeout=120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert (result.returncode, result.stderr.strip()) == (
        152, "command terminated with exit code 152")
    used = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    # the loop's budget (rounded up to whole seconds) plus starting Python and kubectl
    assert used < CPU_SECONDS + 6
