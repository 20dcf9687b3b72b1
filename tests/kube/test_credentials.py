"""Credentials as kubectl takes them from a kubeconfig, against the real local API server:
exec credential plugins (deadline, their stderr as the error, re-run on expiry) and an explicit
insecure-skip-tls-verify (honoured, quiet, and reported by the Connection).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from kubetui.errors import KubetuiError
from kubetui.kube.contexts import connect
from kubetui.kube.probing import check

KUBETUI = [sys.executable, "-m", "kubetui"]
API_VERSION = "client.authentication.k8s.io/v1"


def _kubeconfig(source: Path, target: Path, *, user: dict | None = None, cluster: dict | None = None) -> Path:
    """The session cluster's kubeconfig with the admin user (and/or the cluster) replaced."""
    config = yaml.safe_load(source.read_text())
    if user is not None:
        config["users"][0]["user"] = user
    if cluster is not None:
        config["clusters"][0]["cluster"] = cluster
    target.write_text(yaml.safe_dump(config))
    return target


def _plugin(folder: Path, name: str, body: str) -> Path:
    script = folder / name
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return script


def _credential(token: str, expires: datetime | None = None) -> str:
    status: dict = {"token": token}
    if expires is not None:
        status["expirationTimestamp"] = expires.strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps({"apiVersion": API_VERSION, "kind": "ExecCredential", "status": status})


def _exec_user(command: Path | str, **extra) -> dict:
    return {"exec": {"apiVersion": API_VERSION, "command": str(command), "interactiveMode": "Never", **extra}}


def _kubetui(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*KUBETUI, *args], check=False, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, env={**os.environ, "KUBECONFIG": "", **(env or {})})


def _gone(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "\nState:\tZ" in status.read_text()  # a zombie has ended; only its parent's wait is due
    except FileNotFoundError:
        return True


# ------------------------------------------------------------------ exec credential plugins

def test_exec_plugin_token_is_used_and_the_plugin_hears_the_protocol(cluster, kubeconfig_path, tmp_path):
    seen = tmp_path / "seen.json"
    plugin = _plugin(tmp_path, "plugin.sh",
                     f'printf "%s" "$KUBERNETES_EXEC_INFO" > {seen}\n'
                     f'echo "$1 $PLUGIN_MODE" > {tmp_path / "args"}\n'
                     f"echo '{_credential(cluster.token)}'\n")
    path = _kubeconfig(kubeconfig_path, tmp_path / "kc",
                       user=_exec_user(plugin, args=["--region", "eu"], provideClusterInfo=True,
                                       env=[{"name": "PLUGIN_MODE", "value": "test"}]))
    conn = connect(str(path))
    try:
        assert check(conn)["major"] == "1"
    finally:
        conn.close()
    info = json.loads(seen.read_text())
    assert info["apiVersion"] == API_VERSION and info["kind"] == "ExecCredential"
    assert info["spec"]["interactive"] is False
    assert info["spec"]["cluster"]["server"] == cluster.url
    assert "certificate-authority-data" in info["spec"]["cluster"]
    assert (tmp_path / "args").read_text().strip() == "--region test"


def test_exec_plugin_runs_again_once_its_token_expires(cluster, kubeconfig_path, tmp_path):
    """The first credential has already expired and is wrong; requests succeed only if the plugin
    is run again for them, and the fresh credential is then reused."""
    runs = tmp_path / "runs"
    expired = _credential("an-expired-token", datetime.now(timezone.utc) - timedelta(hours=1))
    fresh = _credential(cluster.token, datetime.now(timezone.utc) + timedelta(hours=1))
    plugin = _plugin(tmp_path, "plugin.sh",
                     f"echo run >> {runs}\n"
                     f'if [ "$(wc -l < {runs})" -eq 1 ]; then echo \'{expired}\'; else echo \'{fresh}\'; fi\n')
    conn = connect(str(_kubeconfig(kubeconfig_path, tmp_path / "kc", user=_exec_user(plugin))))
    try:
        assert len(runs.read_text().splitlines()) == 1
        check(conn)  # would be 401 with the expired token
        check(conn)
    finally:
        conn.close()
    assert len(runs.read_text().splitlines()) == 2


def test_failing_plugin_is_its_own_stderr_on_one_line(kubeconfig_path, tmp_path):
    plugin = _plugin(tmp_path, "sso.sh", "echo \"error: SSO session expired; run 'sso login'\" >&2\nexit 1\n")
    path = _kubeconfig(kubeconfig_path, tmp_path / "kc", user=_exec_user(plugin))
    for command in (("get", "pods"), ()):
        result = _kubetui(*command, "--kubeconfig", str(path))
        assert result.returncode == 1
        assert result.stderr == (f'kubetui: exec plugin "{plugin}" failed: '
                                 "error: SSO session expired; run 'sso login'\n")
        assert "ERROR:root" not in result.stderr and "Unauthorized" not in result.stderr


def test_hanging_plugin_times_out_and_is_killed(kubeconfig_path, tmp_path, wait_for):
    pids = tmp_path / "pids"
    # A shell that waits on a child: killing only the shell would leave the child holding our pipe.
    plugin = _plugin(tmp_path, "hang.sh", f"sleep 100000 &\necho $$ $! > {pids}\nwait\n")
    path = _kubeconfig(kubeconfig_path, tmp_path / "kc", user=_exec_user(plugin))
    for command in (("get", "pods"), ()):
        result = _kubetui(*command, "--kubeconfig", str(path), env={"KUBETUI_EXEC_PLUGIN_TIMEOUT": "1"})
        assert result.returncode == 1
        assert result.stderr == (f'kubetui: exec plugin "{plugin}" timed out after 1 s '
                                 "(set KUBETUI_EXEC_PLUGIN_TIMEOUT to wait longer)\n")
        for pid in map(int, pids.read_text().split()):
            wait_for(lambda pid=pid: _gone(pid), timeout=10, message=f"plugin process {pid} to end")


def test_plugin_output_that_is_no_credential_is_named(kubeconfig_path, tmp_path):
    plugin = _plugin(tmp_path, "chatty.sh", "echo 'Opening your browser to log in...'\n")
    path = _kubeconfig(kubeconfig_path, tmp_path / "kc", user=_exec_user(plugin))
    with pytest.raises(KubetuiError, match=f'exec plugin "{plugin}" returned no usable credential: '
                                           "its output is not JSON"):
        connect(str(path))


def test_relative_plugin_command_is_found_beside_the_kubeconfig(cluster, kubeconfig_path, tmp_path):
    folder = tmp_path / "conf"
    folder.mkdir()
    _plugin(folder, "plugin.sh", f"echo '{_credential(cluster.token)}'\n")
    path = _kubeconfig(kubeconfig_path, folder / "kc", user=_exec_user("./plugin.sh"))
    conn = connect(str(path))
    try:
        assert check(conn)["major"] == "1"
    finally:
        conn.close()


def test_a_plugin_that_needs_a_terminal_is_refused_without_running(kubeconfig_path, tmp_path):
    ran = tmp_path / "ran"
    plugin = _plugin(tmp_path, "login.sh", f"touch {ran}\n")
    user = _exec_user(plugin)
    user["exec"]["interactiveMode"] = "Always"
    with pytest.raises(KubetuiError, match="needs an interactive terminal"):
        connect(str(_kubeconfig(kubeconfig_path, tmp_path / "kc", user=user)))
    assert not ran.exists()


def test_a_bad_plugin_timeout_setting_is_one_line(kubeconfig_path, tmp_path):
    plugin = _plugin(tmp_path, "plugin.sh", "exit 0\n")
    path = _kubeconfig(kubeconfig_path, tmp_path / "kc", user=_exec_user(plugin))
    result = _kubetui("get", "pods", "--kubeconfig", str(path), env={"KUBETUI_EXEC_PLUGIN_TIMEOUT": "soon"})
    assert result.returncode == 1
    assert result.stderr == "kubetui: KUBETUI_EXEC_PLUGIN_TIMEOUT='soon' is not a positive number of seconds\n"


# ------------------------------------------------------------------ insecure-skip-tls-verify

def _insecure_kubeconfig(cluster, kubeconfig_path: Path, target: Path) -> Path:
    return _kubeconfig(kubeconfig_path, target, cluster={"server": cluster.url, "insecure-skip-tls-verify": True})


def test_insecure_skip_tls_verify_is_honoured_quietly_as_kubectl_does(cluster, kubeconfig_path, kubectl,
                                                                      namespace, tmp_path):
    """The local cluster's certificate is self-signed: without CA data only the explicit flag lets
    a request through, and kubectl prints the same table from the same file."""
    path = _insecure_kubeconfig(cluster, kubeconfig_path, tmp_path / "kc")
    kubectl("run", "web", "--image=nginx", "-n", namespace)
    ours = _kubetui("get", "pods", "-n", namespace, "--kubeconfig", str(path))
    theirs = subprocess.run([*kubectl.command[:1], "--kubeconfig", str(path), "get", "pods", "-n", namespace],
                            check=False, capture_output=True, text=True, timeout=60, env=kubectl.env)
    assert ours.returncode == 0, ours.stderr
    assert ours.stderr == ""  # no InsecureRequestWarning, once per request or at all
    assert theirs.returncode == 0, theirs.stderr
    assert ours.stdout.split()[:6] == theirs.stdout.split()[:6]  # NAME READY STATUS RESTARTS AGE web


def test_connection_says_whether_tls_is_verified(cluster, kubeconfig_path, tmp_path):
    insecure = connect(str(_insecure_kubeconfig(cluster, kubeconfig_path, tmp_path / "kc")))
    verified = connect(str(kubeconfig_path))
    try:
        assert check(insecure)["major"] == "1"
        assert insecure.tls_verified is False
        assert verified.tls_verified is True
    finally:
        insecure.close()
        verified.close()


def test_without_the_flag_a_missing_ca_still_fails_verification(cluster, kubeconfig_path, tmp_path):
    path = _kubeconfig(kubeconfig_path, tmp_path / "kc", cluster={"server": cluster.url})
    conn = connect(str(path))
    try:
        with pytest.raises(KubetuiError, match="cannot verify the TLS certificate"):
            check(conn)
    finally:
        conn.close()


def test_a_certificate_for_another_name_says_so(cluster, kubeconfig_path, tmp_path):
    path = _kubeconfig(kubeconfig_path, tmp_path / "kc", cluster={
        "server": cluster.url, "certificate-authority-data": _b64(cluster.ca_pem),
        "tls-server-name": "wrong.example"})
    conn = connect(str(path))
    try:
        with pytest.raises(KubetuiError, match=f"the TLS certificate of {cluster.url} is not valid for "
                                               "wrong.example"):
            check(conn)
    finally:
        conn.close()


# ------------------------------------------------------------------ merging and paths

def test_first_kubeconfig_file_wins_as_in_kubectl(cluster, kubeconfig_path, tmp_path, monkeypatch):
    first = yaml.safe_load(kubeconfig_path.read_text())
    second = yaml.safe_load(kubeconfig_path.read_text())
    second["current-context"] = "kubetui-local-viewer"
    second["clusters"][0]["cluster"]["server"] = "https://127.0.0.1:9"
    (tmp_path / "a").write_text(yaml.safe_dump(first))
    (tmp_path / "b").write_text(yaml.safe_dump(second))
    monkeypatch.setenv("KUBECONFIG", os.pathsep.join([str(tmp_path / "a"), str(tmp_path / "b")]))
    conn = connect()
    try:
        assert conn.context == "kubetui-local"
        assert conn.server == cluster.url
        switched = connect(conn.kubeconfig, "kubetui-local-viewer")  # a context switch reads the same files
        switched.close()
        assert switched.server == cluster.url
    finally:
        conn.close()


def test_relative_certificate_authority_is_read_beside_the_kubeconfig(cluster, kubeconfig_path, tmp_path,
                                                                      monkeypatch):
    folder = tmp_path / "conf"
    folder.mkdir()
    (folder / "ca.crt").write_bytes(cluster.ca_pem)
    path = _kubeconfig(kubeconfig_path, folder / "kc",
                       cluster={"server": cluster.url, "certificate-authority": "ca.crt"})
    monkeypatch.chdir(tmp_path)
    conn = connect(str(path))
    try:
        assert check(conn)["major"] == "1"
    finally:
        conn.close()


# ------------------------------------------------------------------ client certificates

def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")


def test_client_certificate_data_is_used_alongside_a_token(cluster, kubeconfig_path, tmp_path):
    from kubetui.localcluster.cluster.certs import generate

    pair = generate()
    user = {"token": cluster.token, "client-certificate-data": _b64(pair.cert_pem),
            "client-key-data": _b64(pair.key_pem)}
    conn = connect(str(_kubeconfig(kubeconfig_path, tmp_path / "kc", user=user)))
    try:
        assert check(conn)["major"] == "1"
    finally:
        conn.close()


def test_a_certificate_and_key_that_do_not_match_are_one_line(kubeconfig_path, tmp_path):
    from kubetui.localcluster.cluster.certs import generate

    one, other = generate(), generate()
    (tmp_path / "client.crt").write_bytes(one.cert_pem)
    (tmp_path / "client.key").write_bytes(other.key_pem)
    user = {"client-certificate": "client.crt", "client-key": "client.key"}
    result = _kubetui("get", "pods", "--kubeconfig", str(_kubeconfig(kubeconfig_path, tmp_path / "kc", user=user)))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert 'user "kubetui-admin": the client certificate and key do not belong together' in result.stderr
