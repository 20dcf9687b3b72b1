"""Exec credential plugins (`users[].user.exec`): run with a deadline, re-run when they expire.

Key decisions: the client's own ExecProvider waits on the plugin without a timeout and reports
failures through `logging.error`, then sends no credentials (a misleading 401). We follow the
client.authentication.k8s.io ExecCredential protocol ourselves: KUBERNETES_EXEC_INFO in the
environment, the plugin's JSON on stdout, `expirationTimestamp` for when to run it again.
client-go (so kubectl) waits on a plugin without any deadline, which suits a person at a prompt;
kubetui must never hang, so every run has one (KUBETUI_EXEC_PLUGIN_TIMEOUT seconds, 30 by
default) after which the plugin's whole process group is killed. Plugins never get the terminal
(the TUI owns it): stdin is closed, `spec.interactive` is false, and their stderr becomes our
one-line error.
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from kubetui.errors import KubetuiError

TIMEOUT_ENV = "KUBETUI_EXEC_PLUGIN_TIMEOUT"
DEFAULT_TIMEOUT_SECONDS = 30.0
API_VERSIONS = ("client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1")
INTERACTIVE_MODES = ("Never", "IfAvailable", "Always")
# Run the plugin again this long before its credential expires, so no request carries a token
# that runs out on the way.
EXPIRY_MARGIN = timedelta(seconds=10)
_MAX_MESSAGE = 400
TITLE = "Credential plugin failed"


@dataclass(frozen=True)
class ExecCredential:
    token: str | None = None
    client_cert_pem: bytes | None = None
    client_key_pem: bytes | None = None
    expires: datetime | None = None

    def fresh(self, now: datetime) -> bool:
        return self.expires is None or now < self.expires - EXPIRY_MARGIN


def plugin_timeout() -> float:
    """Seconds a plugin may run: $KUBETUI_EXEC_PLUGIN_TIMEOUT, else 30."""
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT_SECONDS
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not (math.isfinite(value) and value > 0):
        raise KubetuiError(f"{TIMEOUT_ENV}={raw!r} is not a positive number of seconds", "Bad setting")
    return value


class ExecPlugin:
    """One user's exec stanza; `credential()` runs it at most once per expiry (thread-safe)."""

    def __init__(self, *, command: str, args: list[str], env: dict[str, str], api_version: str,
                 cluster_info: dict | None, install_hint: str, timeout: float, name: str = "") -> None:
        self.command, self.args, self.env = command, args, env
        self.name = name or command  # the command as the kubeconfig writes it
        self.api_version, self.cluster_info = api_version, cluster_info
        self.install_hint, self.timeout = install_hint, timeout
        self._lock = threading.Lock()
        self._cached: ExecCredential | None = None

    @classmethod
    def from_kubeconfig(cls, spec: object, user: str, base_dir: str, cluster_info: dict) -> ExecPlugin:
        """Check an exec stanza as client-go does; KubetuiError names the first wrong field.

        `user` is the user as errors name it: 'kubeconfig F: user "NAME"'.
        """
        where = f"{user}: exec"

        def fail(what: str) -> KubetuiError:
            return KubetuiError(f"{where} {what}", "Bad kubeconfig")

        if not isinstance(spec, dict):
            raise fail("must be a mapping with command and apiVersion")
        command = spec.get("command")
        if not isinstance(command, str) or not command:
            raise fail("has no command")
        api_version = spec.get("apiVersion")
        if api_version not in API_VERSIONS:
            raise fail(f"apiVersion must be one of {', '.join(API_VERSIONS)}, not {api_version!r}")
        args = spec.get("args") or []
        if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
            raise fail("args must be a list of strings")
        env = {}
        for item in spec.get("env") or []:
            if not (isinstance(item, dict) and isinstance(item.get("name"), str)
                    and isinstance(item.get("value", ""), str)):
                raise fail("env must be a list of {name, value} strings")
            env[item["name"]] = item.get("value", "")
        mode = spec.get("interactiveMode") or "IfAvailable"
        if mode not in INTERACTIVE_MODES:
            raise fail(f"interactiveMode must be one of {', '.join(INTERACTIVE_MODES)}, not {mode!r}")
        if mode == "Always":
            raise KubetuiError(f'exec plugin "{command}" needs an interactive terminal (interactiveMode: '
                               "Always), which kubetui never gives a plugin; log in with it first, then "
                               "start kubetui", TITLE)
        written = command
        if os.sep in command and not os.path.isabs(command):
            command = str(Path(base_dir, command))  # client-go: relative to the kubeconfig's folder
        return cls(name=written, command=command, args=list(args), env=env, api_version=api_version,
                   cluster_info=cluster_info if spec.get("provideClusterInfo") else None,
                   install_hint=str(spec.get("installHint") or ""), timeout=plugin_timeout())

    def credential(self, now: datetime | None = None) -> ExecCredential:
        """The cached credential while it is fresh, else a new one from running the plugin."""
        with self._lock:
            now = now or datetime.now(timezone.utc)
            if self._cached is None or not self._cached.fresh(now):
                self._cached = self.run()
            return self._cached

    def run(self) -> ExecCredential:
        """Run the plugin once; raise KubetuiError with its stderr, or on timeout."""
        request: dict = {"apiVersion": self.api_version, "kind": "ExecCredential",
                         "spec": {"interactive": False}}
        if self.cluster_info is not None:
            request["spec"]["cluster"] = self.cluster_info
        env = {**os.environ, **self.env, "KUBERNETES_EXEC_INFO": json.dumps(request)}
        try:
            proc = subprocess.Popen([self.command, *self.args], stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                    start_new_session=True)  # its own group: a timeout kills it all
        except FileNotFoundError:
            hint = f"; {_one_line(self.install_hint)}" if self.install_hint.strip() else ""
            raise self._failed(f"executable {self.name} not found{hint}") from None
        except PermissionError:
            raise self._failed(f"{self.name} is not executable") from None
        except OSError as exc:
            raise self._failed(exc.strerror or str(exc)) from None
        try:
            out, err = proc.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            _stop(proc)
            raise KubetuiError(f'exec plugin "{self.name}" timed out after {self.timeout:g} s '
                               f"(set {TIMEOUT_ENV} to wait longer)", "Credential plugin timed out") from None
        except BaseException:  # Ctrl-C while waiting: the plugin must not outlive us
            _stop(proc)
            raise
        if proc.returncode != 0:
            detail = _one_line(err.decode("utf-8", errors="replace"))
            raise self._failed(detail or f"it exited with code {proc.returncode} and printed no error")
        return self._parse(out)

    def _failed(self, detail: str) -> KubetuiError:
        return KubetuiError(f'exec plugin "{self.name}" failed: {detail}', TITLE)

    def _parse(self, out: bytes) -> ExecCredential:
        def unusable(why: str) -> KubetuiError:
            return KubetuiError(f'exec plugin "{self.name}" returned no usable credential: {why}', TITLE)

        try:
            answer = json.loads(out)
        except ValueError:
            raise unusable("its output is not JSON") from None
        if not isinstance(answer, dict) or answer.get("kind") != "ExecCredential":
            raise unusable("its output is not an ExecCredential")
        if answer.get("apiVersion") != self.api_version:
            raise unusable(f"it answered apiVersion {answer.get('apiVersion')!r}, "
                           f"the kubeconfig asks for {self.api_version}")
        status = answer.get("status")
        if not isinstance(status, dict):
            raise unusable("it has no status")
        token = status.get("token") or None
        cert, key = status.get("clientCertificateData"), status.get("clientKeyData")
        if bool(cert) != bool(key):
            raise unusable("it has clientCertificateData or clientKeyData without the other")
        if not token and not cert:
            raise unusable("its status has neither a token nor clientCertificateData")
        if not all(isinstance(v, str) for v in (token or "", cert or "", key or "")):
            raise unusable("token, clientCertificateData and clientKeyData must be strings")
        expires = status.get("expirationTimestamp")
        return ExecCredential(token=token, client_cert_pem=cert.encode() if cert else None,
                              client_key_pem=key.encode() if key else None,
                              expires=_parse_time(expires, unusable) if expires else None)


def _parse_time(text: object, unusable) -> datetime:
    if not isinstance(text, str):
        raise unusable("expirationTimestamp is not a timestamp")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise unusable(f"expirationTimestamp {text!r} is not an RFC 3339 time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _one_line(text: str) -> str:
    line = "; ".join(part.strip() for part in text.strip().splitlines() if part.strip())
    return line if len(line) <= _MAX_MESSAGE else line[: _MAX_MESSAGE - 1] + "…"


def _stop(proc: subprocess.Popen) -> None:
    """Kill the plugin and everything it started, and reap it without waiting on its pipes long."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.communicate(timeout=2)
    except subprocess.TimeoutExpired:  # a child that left the group still holds the pipes
        for pipe in (proc.stdout, proc.stderr):
            if pipe:
                pipe.close()
        proc.wait()
