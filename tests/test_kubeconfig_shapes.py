"""Every malformed kubeconfig is one clear line and exit code 1, from `kubetui get pods` and from
the TUI alike (which must fail before it starts, with the same line); never a traceback.

Each case starts from the session cluster's good kubeconfig and breaks one thing.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

KUBETUI = [sys.executable, "-m", "kubetui"]


def _edit(change: Callable[[dict], None]) -> Callable[[Path, dict], Path]:
    def write(folder: Path, good: dict) -> Path:
        config = yaml.safe_load(yaml.safe_dump(good))
        change(config)
        target = folder / "kubeconfig"
        target.write_text(yaml.safe_dump(config))
        return target
    return write


def _raw(content: str | bytes) -> Callable[[Path, dict], Path]:
    def write(folder: Path, good: dict) -> Path:
        target = folder / "kubeconfig"
        target.write_bytes(content if isinstance(content, bytes) else content.encode())
        return target
    return write


def _list_document(folder: Path, good: dict) -> Path:
    target = folder / "kubeconfig"
    target.write_text(yaml.safe_dump([good]))
    return target


def _directory(folder: Path, good: dict) -> Path:
    target = folder / "kubeconfig.d"
    target.mkdir()
    return target


def _missing(folder: Path, good: dict) -> Path:
    return folder / "no-such-kubeconfig"


def _unreadable(folder: Path, good: dict) -> Path:
    target = _edit(lambda c: None)(folder, good)
    target.chmod(0)
    return target


def _cluster(config: dict) -> dict:
    return config["clusters"][0]["cluster"]


def _context(config: dict) -> dict:
    current = config["current-context"]
    return next(c["context"] for c in config["contexts"] if c["name"] == current)


def _user(config: dict) -> dict:
    name = _context(config)["user"]
    return next(u["user"] for u in config["users"] if u["name"] == name)


def _set(getter, key, value):
    return lambda config: getter(config).__setitem__(key, value)


def _drop(getter, key):
    return lambda config: getter(config).pop(key)


def _ca_file(path: str):
    def change(config):
        _cluster(config).pop("certificate-authority-data")
        _cluster(config)["certificate-authority"] = path
    return change


def _token_file(path: str):
    def change(config):
        _user(config).pop("token")
        _user(config)["tokenFile"] = path
    return change


def _exec(spec: dict):
    def change(config):
        _user(config).clear()
        _user(config)["exec"] = spec
    return change


CASES = [
    pytest.param(_list_document, ["must be a mapping", "not a list"], id="list-at-top-level"),
    pytest.param(_raw("just a string\n"), ["must be a mapping", "not a string"], id="string"),
    pytest.param(_raw(""), ["is empty"], id="empty-file"),
    pytest.param(_raw("# only a comment\n"), ["is empty"], id="only-comments"),
    pytest.param(_raw("clusters: [\n  - name: x\n"), ["is not valid YAML", "line 2"], id="invalid-yaml"),
    pytest.param(_raw(bytes(range(256)) * 8), ["is not a text file"], id="binary-garbage"),
    pytest.param(_raw("apiVersion: v1\x00\n"), ["is not a text file"], id="nul-bytes"),
    pytest.param(_directory, ["is a directory"], id="directory"),
    pytest.param(_missing, ["does not exist"], id="missing-file"),
    pytest.param(_unreadable, ["cannot read kubeconfig", "permission denied"], id="unreadable-file"),
    pytest.param(_edit(lambda c: c.__setitem__("contexts", {"a": {}})), ['"contexts" must be a list', "mapping"],
                 id="contexts-not-a-list"),
    pytest.param(_edit(lambda c: c.__setitem__("clusters", "x")), ['"clusters" must be a list'],
                 id="clusters-a-string"),
    pytest.param(_edit(lambda c: c.__setitem__("users", {"u": 1})), ['"users" must be a list'],
                 id="users-not-a-list"),
    pytest.param(_edit(lambda c: c["contexts"].insert(0, "junk")), ["contexts[0] must be a mapping"],
                 id="context-entry-a-string"),
    pytest.param(_edit(lambda c: c["contexts"][0].pop("name")), ["contexts[0] has no name"],
                 id="context-without-name"),
    pytest.param(_edit(_drop(_context, "cluster")), ['context "kubetui-local" names no cluster'],
                 id="context-without-cluster"),
    pytest.param(_edit(_set(_context, "cluster", "nope")), ['uses cluster "nope"'], id="context-unknown-cluster"),
    pytest.param(_edit(_drop(_cluster, "server")), ['cluster "kubetui-local" has no server'],
                 id="cluster-without-server"),
    pytest.param(_edit(_set(_cluster, "server", "::::")), ['server "::::" is not an https:// URL'],
                 id="server-not-a-url"),
    pytest.param(_edit(_drop(_context, "user")), ['context "kubetui-local" names no user'],
                 id="context-without-user"),
    pytest.param(_edit(_set(_context, "user", "nope")), ['uses user "nope"'], id="missing-user"),
    pytest.param(_edit(_set(_cluster, "certificate-authority-data", "!!not base64")),
                 ["certificate-authority-data is not valid base64"], id="bad-base64-ca"),
    pytest.param(_edit(_set(_cluster, "certificate-authority-data", base64.b64encode(b"hello").decode())),
                 ["certificate-authority holds no PEM certificate"], id="ca-data-not-pem"),
    pytest.param(_edit(_ca_file("/nonexistent/ca.crt")), ["certificate-authority /nonexistent/ca.crt does not exist"],
                 id="missing-ca-file"),
    pytest.param(_edit(lambda c: _user(c).update({"client-certificate": "missing.crt", "client-key": "missing.key"})),
                 ["client-certificate", "missing.crt does not exist"], id="missing-client-certificate"),
    pytest.param(_edit(_set(_user, "client-certificate-data", base64.b64encode(b"x").decode())),
                 ["has a client-certificate but no client-key"], id="certificate-without-key"),
    pytest.param(_edit(lambda c: _user(c).update({"client-certificate-data": base64.b64encode(b"x").decode(),
                                                  "client-key-data": base64.b64encode(b"y").decode()})),
                 ["client certificate or key is not a PEM certificate and key"], id="certificate-not-pem"),
    pytest.param(_edit(_token_file("/nonexistent/token")), ["tokenFile /nonexistent/token does not exist"],
                 id="missing-token-file"),
    pytest.param(_edit(lambda c: c.pop("current-context")), ["has no current-context; pass --context"],
                 id="no-current-context"),
    pytest.param(_edit(lambda c: c.__setitem__("current-context", "nope")), ['context "nope" does not exist'],
                 id="unknown-current-context"),
    pytest.param(_edit(_set(_cluster, "insecure-skip-tls-verify", True)),
                 ["root certificates file with the insecure flag is not allowed"], id="insecure-with-ca"),
    pytest.param(_edit(_set(_cluster, "insecure-skip-tls-verify", "yes")),
                 ["insecure-skip-tls-verify must be true or false"], id="insecure-not-a-boolean"),
    pytest.param(_edit(lambda c: _user(c).clear() or _user(c).update({"auth-provider": {"name": "gcp"}})),
                 ["the gcp auth-provider was removed", "gke-gcloud-auth-plugin"], id="removed-gcp-auth-provider"),
    pytest.param(_edit(_exec({"apiVersion": "client.authentication.k8s.io/v1alpha1", "command": "x"})),
                 ["exec apiVersion must be one of"], id="exec-old-api-version"),
    pytest.param(_edit(_exec({"apiVersion": "client.authentication.k8s.io/v1",
                              "command": "kubetui-no-such-plugin", "installHint": "install it from the wiki"})),
                 ['exec plugin "kubetui-no-such-plugin" failed: executable kubetui-no-such-plugin not found',
                  "install it from the wiki"], id="exec-command-not-found"),
]

COMMANDS = [pytest.param(("get", "pods"), id="get-pods"), pytest.param((), id="tui")]


@pytest.fixture(scope="module")
def good_config(kubeconfig_path: Path) -> dict:
    return yaml.safe_load(kubeconfig_path.read_text())


def _run(args: list[str]) -> subprocess.CompletedProcess:
    command = [*KUBETUI, *args]
    if os.geteuid() == 0:
        # root reads any file; without these capabilities it meets file modes as a user does
        command = [shutil.which("setpriv") or "setpriv", "--bounding-set=-dac_override,-dac_read_search",
                   *command]
    return subprocess.run(command, check=False, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                          env={**os.environ, "KUBECONFIG": ""})


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("write", "words"), CASES)
def test_malformed_kubeconfig_is_one_line(write, words, command, good_config, tmp_path):
    path = write(tmp_path, good_config)
    result = _run([*command, "--kubeconfig", str(path)])
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kubetui: ")
    for word in words:
        assert word in lines[0]
    assert result.stdout == ""


def test_tui_and_get_pods_say_the_same_line(good_config, tmp_path):
    path = _list_document(tmp_path, good_config)
    assert _run(["--kubeconfig", str(path)]).stderr == _run(["get", "pods", "--kubeconfig", str(path)]).stderr


def test_a_bad_file_in_KUBECONFIG_is_named(good_config, tmp_path):
    good = _edit(lambda c: None)(tmp_path, good_config)
    broken = tmp_path / "broken"
    broken.write_text("- a list\n")
    env = {**os.environ, "KUBECONFIG": os.pathsep.join([str(good), str(broken)])}
    result = subprocess.run([*KUBETUI, "get", "pods"], check=False, capture_output=True, text=True, timeout=60,
                            stdin=subprocess.DEVNULL, env=env)
    assert result.returncode == 1
    assert result.stderr.strip() == (f"kubetui: kubeconfig {broken} must be a mapping with clusters, users and "
                                     "contexts, not a list")
