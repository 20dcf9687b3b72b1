"""`kubectl exec` (real kubectl, WebSocket v5) against the local cluster's simulated shell.

Pods are created through the API and marked Running through the status subresource, so these
tests do not depend on the kubelet simulation (the cluster runs without it).
"""

from __future__ import annotations

import shlex
import subprocess

import pytest

from tests.localcluster.exec_support import PtySession, run_pod
from tests.support.clusters import BARE_SERVER, start_cluster
from tests.support.pods import container, pod_manifest
from tests.support.waiting import wait_for

NGINX = container("nginx-container", "nginx:1.16")
REDIS = container("redis-container", "redis:3.2")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with start_cluster(tmp_path_factory.mktemp("exec"), **BARE_SERVER) as running:
        run_pod(running, pod_manifest("sample-pod", NGINX), "10.244.1.5")
        run_pod(running, pod_manifest("sample-2pod", NGINX, REDIS), "10.244.1.6")
        run_pod(running, pod_manifest("sample-workingdir", {**NGINX, "workingDir": "/tmp"}), "10.244.1.7")
        run_pod(running, pod_manifest("sample-hostaliases", NGINX,
                                      hostAliases=[{"ip": "8.8.8.8", "hostnames": ["google-dns"]}]), "10.244.1.8")
        run_pod(running, pod_manifest("alpine", container("alpine", "alpine:3.19", ["sleep", "3600"])), "10.244.1.9")
        run_pod(running, pod_manifest("pending", NGINX), "", status={"phase": "Pending"})
        run_pod(running, pod_manifest("finished", NGINX), "10.244.1.10",
                status={"phase": "Succeeded", "containerStatuses": []})
        yield running


def test_exit_code_and_output_of_a_command(env):
    result = env.kubectl("exec", "sample-pod", "--", "/bin/sh", "-c", "echo hi; exit 3", check=False)
    assert (result.returncode, result.stdout) == (3, "hi\n")
    assert "command terminated with exit code 3" in result.stderr


def test_working_dir_and_host_aliases_are_what_the_spec_says(env):
    assert env.kubectl("exec", "sample-workingdir", "--", "pwd", check=False).stdout == "/tmp\n"
    hosts = env.kubectl("exec", "sample-hostaliases", "--", "cat", "/etc/hosts", check=False)
    assert hosts.returncode == 0
    assert "8.8.8.8\tgoogle-dns\n" in hosts.stdout
    assert hosts.stdout.startswith("# Kubernetes-managed hosts file.\n")


def test_second_container_sees_both_containers_ports(env):
    result = env.kubectl("exec", "sample-2pod", "-c", "redis-container", "--", "ss", "-napt", check=False)
    assert result.returncode == 0, result.stderr
    assert "0.0.0.0:6379" in result.stdout and "0.0.0.0:80" in result.stdout


def test_unknown_container_gets_the_api_servers_400(env):
    result = env.kubectl("exec", "sample-2pod", "-c", "nope", "--", "ls", check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
    assert "container nope is not valid for pod sample-2pod" in result.stderr


def test_missing_bash_in_alpine_fails_like_the_runtime(env):
    result = env.kubectl("exec", "alpine", "--", "/bin/bash", check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("error: Internal error occurred: error executing command "
                                    "in container: failed to exec in container: failed to "
                                    "start exec \"")
    assert ('OCI runtime exec failed: exec failed: unable to start container process: exec: '
            '"/bin/bash": stat /bin/bash: no such file or directory: unknown') in result.stderr
    assert env.kubectl("exec", "alpine", "--", "/bin/sh", "-c", "echo ok", check=False).stdout == "ok\n"


def test_containers_that_are_not_running_are_refused(env):
    pending = env.kubectl("exec", "pending", "--", "ls", check=False)
    assert pending.returncode == 1
    assert 'container not found ("nginx-container")' in pending.stderr
    finished = env.kubectl("exec", "finished", "--", "ls", check=False)
    assert finished.returncode == 1
    assert "cannot exec into a container in a completed pod; current phase is Succeeded" in \
        finished.stderr


def test_the_viewer_may_not_exec(env):
    result = env.kubectl("--context", "kubetui-local-viewer", "exec", "sample-pod", "--", "ls", check=False)
    assert result.returncode == 1
    assert ('pods "sample-pod" is forbidden: User "viewer" cannot create resource "pods/exec" '
            'in API group "" in the namespace "default"') in result.stderr


def test_stdin_without_a_terminal_feeds_the_shell(env):
    import subprocess

    result = subprocess.run(env.kubectl_argv("exec", "-i", "sample-pod", "--", "sh"),
                            input="echo from-stdin\ncat /etc/hostname\nexit 2\n",
                            capture_output=True, text=True, env=env.env, timeout=60)
    assert (result.returncode, result.stdout) == (2, "from-stdin\nsample-pod\n")
    # end of kubectl's stdin travels as the v5 close frame: wc sees EOF and finishes
    counted = subprocess.run(env.kubectl_argv("exec", "-i", "sample-pod", "--", "wc", "-l"),
                             input="a\nb\n", capture_output=True, text=True, env=env.env,
                             timeout=60)
    assert (counted.returncode, counted.stdout) == (0, "2\n")


def test_interactive_session_walks_through_the_notes(env):
    session = PtySession(env.kubectl_argv("exec", "-it", "sample-pod", "--", "/bin/bash"),
                         env=env.env, rows=24, cols=100)
    try:
        session.expect("root@sample-pod:/# ")
        session.line('ip a | grep "inet "')
        session.expect("bash: ip: command not found")
        session.line("apt update && apt -y install iproute2 procps")
        session.expect("Setting up procps:amd64", timeout=30)
        session.expect("root@sample-pod:/# ")
        session.line('ip a | grep "inet "')
        session.expect("inet 10.244.1.5/24 brd 10.244.1.255 scope global eth0")
        session.line("ss -napt | grep LISTEN")
        session.expect('users:(("nginx",pid=1,fd=6))')
        session.line("ps aux")
        session.expect("nginx: master process")
        session.line("ls --all --classify")
        session.expect("lib64/")
        session.line("exit")
        assert session.wait() == 0
    finally:
        session.close()


def test_stty_size_follows_a_resize_of_kubectls_terminal(env):
    session = PtySession(env.kubectl_argv("exec", "-it", "sample-pod", "--", "/bin/bash"),
                         env=env.env, rows=24, cols=80)
    try:
        session.expect("# ")
        session.line("stty size")
        session.expect("24 80")
        session.expect("# ")
        session.resize(37, 111, notify=True)  # kubectl sends a resize frame on SIGWINCH
        # kubectl forwards the resize and the typed line from different goroutines: ask again
        # until the new size shows (a deadline, not a sleep, decides)

        def new_size_shown() -> bool:
            session.line("stty size")
            return "37 111" in session.expect("# ")

        wait_for(new_size_shown, 15, message="stty size after the resize")
        session.send("\x03")
        session.expect("^C")
        session.expect("# ")  # the fresh prompt: a line typed ahead of it may go with the interrupted one
        session.line("exit 4")
        assert session.wait() == 4
    finally:
        session.close()


def test_all_output_reaches_a_slow_reader_before_the_exit_status(env):
    """38.9 MB through a reader that waits 5 s first: backpressure, not a timer, decides."""
    exec_argv = shlex.join(env.kubectl_argv("exec", "sample-pod", "--", "seq", "1", "5000000"))
    result = subprocess.run(f"{exec_argv} | (sleep 5; wc -c)", shell=True, capture_output=True,
                            text=True, env=env.env, timeout=180)
    assert result.stdout.strip() == "38888896", result.stderr
