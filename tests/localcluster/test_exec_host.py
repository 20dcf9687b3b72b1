"""`host_exec` (opt-in): the requested argv runs for real on the host, in a scratch directory
per container, with a minimal environment."""

from __future__ import annotations

import pytest

from tests.localcluster.exec_support import PtySession, run_pod
from tests.support.clusters import BARE_SERVER, start_cluster
from tests.support.pods import container, pod_manifest

NGINX = container("nginx-container", "nginx:1.16")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with start_cluster(tmp_path_factory.mktemp("host-exec"), host_exec=True, **BARE_SERVER) as running:
        run_pod(running, pod_manifest("sample-pod", NGINX), "10.244.1.5")
        yield running


def test_real_bash_exit_code(env):
    result = env.kubectl("exec", "sample-pod", "--", "bash", "-c", "exit 7", check=False)
    assert result.returncode == 7
    assert "command terminated with exit code 7" in result.stderr


def test_runs_in_a_scratch_directory_with_a_minimal_environment(env):
    result = env.kubectl("exec", "sample-pod", "--", "sh", "-c", 'pwd; echo "$HOME"; env', check=False)
    cwd, home, *variables = result.stdout.splitlines()
    assert cwd == home and cwd.endswith("default_sample-pod_nginx-container")
    names = {line.split("=", 1)[0] for line in variables}
    assert names <= {"PATH", "HOME", "HOSTNAME", "LANG", "PWD", "SHLVL", "_"}
    assert "HOSTNAME=sample-pod" in variables


def test_a_missing_host_program_fails_like_the_runtime(env):
    result = env.kubectl("exec", "sample-pod", "--", "no-such-program-here", check=False)
    assert result.returncode == 1
    assert 'exec: "no-such-program-here": executable file not found in $PATH' in result.stderr


def test_a_terminal_session_gets_a_real_pty(env):
    session = PtySession(env.kubectl_argv("exec", "-it", "sample-pod", "--", "sh"),
                         env=env.env)
    try:
        session.line("tty; exit 9")
        session.expect("/dev/pts/")
        assert session.wait() == 9
    finally:
        session.close()


def test_the_simulated_cluster_never_runs_host_programs(tmp_path):
    with start_cluster(tmp_path, **BARE_SERVER) as plain:
        run_pod(plain, pod_manifest("sample-pod", NGINX), "10.244.1.5")
        result = plain.kubectl("exec", "sample-pod", "--", "bash", "-c", "pwd; exit 7", check=False)
        assert (result.returncode, result.stdout) == (7, "/\n")
