"""An exec ends with its container, as under containerd: real kubectl against the local cluster.

When the container an exec runs in stops (the pod is deleted, the container crashes and is
restarted) the runtime kills what is left in it, so `kubectl exec` ends with status 137 and
prints `command terminated with exit code 137`. The first tests run the kubelet simulation;
the last ones play the kubelet by hand on a bare API server, where the pod status is all the
runtime knows.
"""

from __future__ import annotations

import subprocess

import pytest

from tests.localcluster.exec_support import patch_status, run_pod, running_status, simshell_children
from tests.support.clusters import BARE_SERVER, RunningCluster, cluster_fixture
from tests.support.pods import container, pod_manifest
from tests.support.waiting import wait_for

KILLED = "command terminated with exit code 137"


# A cluster whose kubelets run containers; simulated time runs 50 times faster.
kubelet_env = cluster_fixture(time_scale=50, controllers=False)


@pytest.fixture
def ns(kubelet_env):
    with kubelet_env.namespace("e") as name:
        yield name


def run_ready(env: RunningCluster, ns: str, name: str, image: str, *command: str) -> None:
    args = ["run", name, f"--image={image}", "-n", ns]
    if command:
        args += ["--", *command]
    assert env.kubectl(*args, check=False).returncode == 0
    ready = env.kubectl("wait", "--for=condition=Ready", f"pod/{name}", "-n", ns, "--timeout=60s", check=False)
    assert ready.returncode == 0, ready.stderr


def start_exec(env: RunningCluster, *args: str) -> subprocess.Popen:
    """`kubectl exec ARGS` in the background, returned once its process runs in the pod."""
    before = simshell_children()
    process = subprocess.Popen(env.kubectl_argv("exec", *args), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env.env)
    wait_for(lambda: simshell_children() - before or process.poll() is not None, timeout=30,
             message="the exec'd process")
    assert process.poll() is None, process.communicate()
    return process


def finish(process: subprocess.Popen, timeout: float = 60) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        raise AssertionError(f"kubectl exec still running after {timeout}s: {out!r} {err!r}")
    return process.returncode, out, err


def test_deleting_the_pod_ends_kubectl_exec_and_leaves_other_pods_execs(kubelet_env, ns):
    run_ready(kubelet_env, ns, "web", "nginx:1.25")
    run_ready(kubelet_env, ns, "other", "nginx:1.25")
    doomed = start_exec(kubelet_env, "web", "-n", ns, "--", "sleep", "1000")
    bystander = start_exec(kubelet_env, "-i", "other", "-n", ns, "--", "sh")
    assert kubelet_env.kubectl("delete", "pod", "web", "-n", ns, "--wait=false", check=False).returncode == 0
    code, _, err = finish(doomed)
    assert (code, err.strip()) == (137, KILLED)
    # the exec in the other pod goes on: it still reads and answers
    out, err = bystander.communicate("echo still-here\n", timeout=60)
    assert (bystander.returncode, out) == (0, "still-here\n"), err


def test_a_container_that_crashes_and_restarts_ends_kubectl_exec(kubelet_env, ns):
    # the container exits every 200 simulated seconds (4 s here) and is restarted: an exec
    # in it ends whichever instance it started in
    run_ready(kubelet_env, ns, "crashy", "busybox:1.36", "sh", "-c", "sleep 200; exit 1")
    code, _, err = finish(start_exec(kubelet_env, "crashy", "-n", ns, "--", "sleep", "1000"))
    assert (code, err.strip()) == (137, KILLED)

    def restarted():
        got = kubelet_env.kubectl("get", "pod", "crashy", "-n", ns, "-o",
                                  "jsonpath={.status.containerStatuses[0].restartCount}", check=False)
        return got.stdout.isdigit() and int(got.stdout) >= 1

    wait_for(restarted, timeout=30, message="a restart count")


def test_force_deleting_the_pod_ends_the_exec_at_once(kubelet_env, ns):
    run_ready(kubelet_env, ns, "gone", "nginx:1.25")
    process = start_exec(kubelet_env, "gone", "-n", ns, "--", "sleep", "1000")
    deleted = kubelet_env.kubectl("delete", "pod", "gone", "-n", ns, "--grace-period=0",
                                  "--force", check=False)
    assert deleted.returncode == 0, deleted.stderr
    code, _, err = finish(process)
    assert (code, err.strip()) == (137, KILLED)


# ---- a bare API server: the test is the kubelet -------------------------------------------
NGINX = container("nginx", "nginx:1.25")


bare = cluster_fixture(**BARE_SERVER)


def test_a_new_container_instance_in_the_status_ends_the_exec(bare):
    created = run_pod(bare, pod_manifest("restarts", NGINX), "10.244.1.20")
    process = start_exec(bare, "restarts", "--", "sleep", "1000")
    status = running_status(created, "10.244.1.20")
    status["containerStatuses"][0].update(containerID=f"containerd://{'2' * 64}", restartCount=1)
    patch_status(bare, "restarts", status)
    code, _, err = finish(process)
    assert (code, err.strip()) == (137, KILLED)
    # the new instance takes execs as before
    again = bare.kubectl("exec", "restarts", "--", "echo", "new-instance", check=False)
    assert (again.returncode, again.stdout) == (0, "new-instance\n")


def test_an_unrelated_status_change_leaves_the_exec_running(bare):
    created = run_pod(bare, pod_manifest("steady", NGINX), "10.244.1.21")
    process = start_exec(bare, "-i", "steady", "--", "sh")
    status = running_status(created, "10.244.1.21")
    status["containerStatuses"][0]["ready"] = False  # a failing readiness probe, say
    patch_status(bare, "steady", status)
    out, err = process.communicate("echo unaffected\n", timeout=60)
    assert (process.returncode, out) == (0, "unaffected\n"), err
