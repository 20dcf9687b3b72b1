"""What a failed watch request means: a stall, stale credentials, a server gone back in time.

Key decision: the causes are read off the exception chain (urllib3 keeps the socket or TLS error
as `reason` or as the context), never off message text, so a reworded error cannot turn a TLS
failure into an ordinary one; resourceVersions are compared only when both are numbers (they are
opaque, but etcd's are).
"""

from __future__ import annotations

import ssl
from typing import Any

import urllib3


def version_number(version: str | None) -> int:
    """A resourceVersion as a number to compare, or -1 (they are opaque; etcd's are numbers)."""
    try:
        return int(version or "")
    except ValueError:
        return -1


def seconds_text(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}".rstrip("0").rstrip(".")


def stalled(exc: BaseException, streaming: bool) -> bool:
    """A read that waited out the silence deadline (not a connect timeout)."""
    if _in_chain(exc, (urllib3.exceptions.ReadTimeoutError,)):
        return True
    return streaming and _in_chain(exc, (TimeoutError,))


def needs_fresh_credentials(exc: BaseException) -> bool:
    """A 401 or a TLS failure: the kubeconfig may hold a new token or certificate by now."""
    return getattr(exc, "status", None) == 401 or _in_chain(exc, (urllib3.exceptions.SSLError, ssl.SSLError))


def _in_chain(exc: BaseException | None, types: tuple[type, ...]) -> bool:
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, types) or any(isinstance(arg, types) for arg in getattr(exc, "args", ())):
            return True
        reason = getattr(exc, "reason", None)  # urllib3 keeps the underlying error there
        exc = exc.__cause__ or exc.__context__ or (reason if isinstance(reason, BaseException) else None)
        seen += 1
    return False


def credentials_of(api_client: Any) -> tuple:
    """What an API client connects with, comparable: a change means a rewritten kubeconfig or a
    new exec-plugin token (the client keeps CA data in one temp file per content)."""
    config = getattr(api_client, "configuration", None)
    names = ("host", "api_key", "api_key_prefix", "ssl_ca_cert", "cert_file", "key_file", "verify_ssl",
             "username", "password")
    return tuple(repr(getattr(config, name, None)) for name in names)
