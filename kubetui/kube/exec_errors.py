"""What went wrong with an exec, in words a person can act on.

Two kinds of failure reach us. (1) The WebSocket upgrade is refused: the client wraps the
`WebSocketBadStatusException` (HTTP status + the server's Status body) in an
`ApiException(status=0)`, so we look at the exception it was raised from. (2) The stream opens
but the runtime cannot start the command: a `Failure` Status arrives on channel 3 with no exit
code, e.g. `exec: "/bin/bash": stat /bin/bash: no such file or directory` — which is also how
the shell fallback learns that bash is missing.
"""

from __future__ import annotations

import json
import re

from kubetui.errors import KubetuiError, from_transport_error

_MISSING_BINARY = re.compile(r"no such file or directory|executable file not found|not found in \$PATH"
                             r"|command not found", re.I)
# kubelet: `container not found ("c")` (500) when the container has no running instance;
# API server: `pod p does not have a host assigned` (400) while it is Pending.
_NOT_RUNNING = re.compile(r"container not found|not running|does not have a host assigned|ContainerCreating|"
                          r"PodInitializing|cannot exec into a container in a (?:completed|terminated) pod", re.I)
# API server (400): the name is not one of the pod's containers.
_NO_CONTAINER = re.compile(r"is not valid for pod|a container name must be specified", re.I)


def status_from_body(body: bytes | str | None) -> dict:
    """The Status object in a response body or a channel-3 frame; {} when it is not one."""
    if not body:
        return {}
    try:
        status = json.loads(body)
    except (ValueError, TypeError):
        return {}
    return status if isinstance(status, dict) else {}


def exit_code_of(status: dict) -> int | None:
    """0 for Success, the code of a NonZeroExitCode Failure, None for any other Failure."""
    if status.get("status") == "Success":
        return 0
    if status.get("reason") == "NonZeroExitCode":
        for cause in (status.get("details") or {}).get("causes") or []:
            if cause.get("reason") == "ExitCode":
                try:
                    return int(cause.get("message"))
                except (TypeError, ValueError):
                    return None
    return None


def is_missing_binary(status: dict) -> bool:
    """A runtime Failure saying the command's binary does not exist (bash on alpine/busybox)."""
    return exit_code_of(status) is None and bool(_MISSING_BINARY.search(status.get("message") or ""))


def runtime_failure(status: dict, command: list[str]) -> KubetuiError:
    """A channel-3 Failure without exit code, as one line."""
    message = status.get("message") or "the container runtime could not run the command"
    if is_missing_binary(status):
        return KubetuiError(f"{' '.join(command)}: not found in the container ({message})", "Command not found")
    return KubetuiError(message, "Exec failed")


def connect_error(exc: BaseException, where: str) -> KubetuiError:
    """Translate a failure to open the exec stream; `where` is `pod/container` for the message."""
    handshake = exc
    while handshake is not None and not hasattr(handshake, "status_code"):
        handshake = handshake.__cause__ or handshake.__context__
    if handshake is None:
        status = getattr(exc, "status", 0)
        if isinstance(status, int) and status:  # a plain ApiException (e.g. from a proxy)
            return _by_status(status, status_from_body(getattr(exc, "body", None)), where)
        reason = str(getattr(exc, "reason", "") or exc)
        if "Connection to remote host was lost" in reason or "closed" in reason.lower():
            return KubetuiError(f"{where}: connection lost while opening the session", "Connection lost")
        return from_transport_error(exc)
    body = getattr(handshake, "resp_body", None)
    status = status_from_body(body)
    if not status and body:  # the kubelet answers in plain text
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
        status = {"message": text.strip()[:500]}
    return _by_status(int(handshake.status_code), status, where)


def _by_status(code: int, status: dict, where: str) -> KubetuiError:
    message = status.get("message") or ""
    if code == 403:
        return KubetuiError(f"not allowed to exec into {where}: {message or 'forbidden'}", "Forbidden")
    if code == 401:
        return KubetuiError("the server rejected our credentials (401 Unauthorized)", "Unauthorized")
    if _NO_CONTAINER.search(message):
        return KubetuiError(f"{where}: {message}", "Container not found")
    if code == 404:
        return KubetuiError(f"{where}: {message or 'not found'} (was the pod deleted?)", "Not found")
    if _NOT_RUNNING.search(message):
        return KubetuiError(f"{where} is not running, so there is nothing to exec into ({message})",
                            "Container not running")
    return KubetuiError(f"{where}: {message or f'the server answered {code}'}", "Exec failed")


def connection_lost(where: str, detail: str = "") -> KubetuiError:
    suffix = f" ({detail})" if detail else ""
    return KubetuiError(f"connection to {where} lost{suffix}; press r to reconnect", "Connection lost")
