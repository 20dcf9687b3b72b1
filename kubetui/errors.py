"""Errors a person can read, and the one place that translates client exceptions into them.

Everything below `kubetui.kube` raises `KubetuiError`; the CLI prints `message` on one line and the
TUI shows `title` + `message`. The translator reads the Status `message` the server sent, so the
words are the API server's own, as kubectl shows them.
"""

from __future__ import annotations

import json
import re


class KubetuiError(Exception):
    """An error with a short title and a one-line message meant for the user."""

    def __init__(self, message: str, title: str = "Error") -> None:
        super().__init__(message)
        self.message = message
        self.title = title

    def __str__(self) -> str:
        return self.message


_REASON_TITLES = {
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    409: "Conflict",
    410: "Expired",
    422: "Invalid",
    429: "Too many requests",
}


def status_message(body: bytes | str | None) -> tuple[str, str]:
    """(reason, message) from a Status body, or ("", "") when the body is not a Status."""
    if not body:
        return "", ""
    try:
        status = json.loads(body)
    except (ValueError, TypeError):
        return "", ""
    if not isinstance(status, dict):
        return "", ""
    return str(status.get("reason") or ""), str(status.get("message") or "")


def from_api_exception(exc: Exception, server: str = "") -> KubetuiError:
    """Translate an ApiException or a transport error into a KubetuiError, kubectl's words first."""
    if isinstance(exc, KubetuiError):  # e.g. an exec credential plugin that failed on refresh
        return exc
    status = getattr(exc, "status", None)
    if isinstance(status, int) and status:
        reason, message = status_message(getattr(exc, "body", None))
        if status == 401:
            return KubetuiError(
                f"the server {server or ''} rejected our credentials (401 Unauthorized): "
                "check the token or certificate of this context".replace("  ", " "),
                "Unauthorized",
            )
        if message:
            # kubectl prints "Error from server (Forbidden): <message>".
            label = reason or getattr(exc, "reason", "") or str(status)
            return KubetuiError(f"Error from server ({label}): {message}", _REASON_TITLES.get(status, "Error"))
        return KubetuiError(f"the server answered {status} {getattr(exc, 'reason', '')}".strip(), "Error")
    return from_transport_error(exc, server)


def from_transport_error(exc: BaseException, server: str = "") -> KubetuiError:
    """Unreachable server, TLS failure, timeout: one clear line each."""
    if isinstance(exc, KubetuiError):
        return exc
    text = f"{type(exc).__name__}: {exc}"
    where = server or "the server"
    mismatch = re.search(r"(?:Hostname|IP address) mismatch, certificate is not valid for '([^']*)'", text)
    if mismatch:
        return KubetuiError(
            f"the TLS certificate of {where} is not valid for {mismatch.group(1)}: "
            "check the server address (or tls-server-name) in your kubeconfig",
            "Bad certificate",
        )
    if "CERTIFICATE_VERIFY_FAILED" in text or "SSLError" in text or "certificate" in text.lower():
        return KubetuiError(
            f"cannot verify the TLS certificate of {where}: check certificate-authority in your kubeconfig",
            "Bad certificate",
        )
    if "timed out" in text.lower() or "Timeout" in text:
        return KubetuiError(f"{where} did not answer in time", "Timeout")
    if any(word in text for word in ("Connection refused", "NewConnectionError", "Max retries", "ConnectionError",
                                     "Name or service not known", "RemoteDisconnected")):
        return KubetuiError(f"cannot reach {where}: is the cluster running?", "Unreachable")
    return KubetuiError(f"{where}: {exc}", "Error")
