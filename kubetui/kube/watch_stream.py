"""One watch request: open it, read its JSON lines, and turn ERROR events into exceptions.

Written by hand because the client's `Watch(deserialize=False)` raises `KeyError` on ERROR
events, never tracks resourceVersions and replays events on reconnect (notes §3). Key
decisions: lines are read from the raw chunked stream as chunks arrive (urllib3
`read_chunked`), parsed with orjson; a 410 becomes `WatchExpired` and "Too large resource
version" (a server that has not reached our resourceVersion: restarted, or another one) becomes
`ResourceVersionTooLarge`, both `RelistNeeded`, so callers re-list as client-go's reflector does;
the response can be shut down from another thread to unblock a pending read (`abort`), and its
read timeout shortened while it is open (`set_read_timeout`).
"""

from __future__ import annotations

import random
from typing import Any, Iterator

import orjson

from kubetui.kube.listing import list_query, pods_path
from kubetui.kube.requesting import open_get

__all__ = ["RelistNeeded", "ResourceVersionTooLarge", "WatchError", "WatchExpired", "abort", "iter_events",
           "open_pod_watch", "set_read_timeout", "watch_events"]

WATCH_SECONDS = 300  # server-side timeoutSeconds: at least 5 min, jittered as client-go does
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 90.0  # longer than any healthy silence (bookmarks arrive about every minute)


class WatchError(Exception):
    """An ERROR event inside a watch stream; looks like an ApiException to `kubetui.errors`."""

    def __init__(self, status: dict) -> None:
        self.status = int(status.get("code") or 500)
        self.reason = str(status.get("reason") or "")
        self.body = orjson.dumps(status).decode()
        super().__init__(f"{self.status} {self.reason}: {status.get('message') or ''}".strip())


class RelistNeeded(WatchError):
    """The server cannot continue from our resourceVersion: list afresh."""


class WatchExpired(RelistNeeded):
    """410 Gone / Expired: the resourceVersion left the server's window; re-list."""


class ResourceVersionTooLarge(RelistNeeded):
    """504 "Too large resource version": the server has not reached our resourceVersion (it
    restarted with fresh storage, or it is another server); re-list."""


def relist_error(status: dict) -> RelistNeeded | None:
    """The `RelistNeeded` a Status means, or None (client-go's isExpiredError and
    isTooLargeResourceVersionError, old servers' message-only form included)."""
    if status.get("code") == 410 or status.get("reason") in ("Expired", "Gone"):
        return WatchExpired(status)
    details = status.get("details") if isinstance(status.get("details"), dict) else {}
    causes = details.get("causes") if isinstance(details.get("causes"), list) else []
    if any(isinstance(c, dict) and (c.get("reason") == "ResourceVersionTooLarge"
                                    or c.get("message") == "Too large resource version") for c in causes):
        return ResourceVersionTooLarge(status)
    if status.get("code") == 504 and "Too large resource version" in str(status.get("message") or ""):
        return ResourceVersionTooLarge(status)
    return None


def open_pod_watch(api_client: Any, namespace: str | None, resource_version: str, *,
                   label_selector: str | None = None, field_selector: str | None = None,
                   watch_seconds: float = WATCH_SECONDS, connect_timeout: float = CONNECT_TIMEOUT,
                   read_timeout: float = READ_TIMEOUT) -> Any:
    """Start watching pods after `resource_version`; returns the open urllib3 response.

    Raises `RelistNeeded` when the server cannot serve `resource_version` (410, too large),
    `ApiException` for other error statuses and urllib3 errors for transport failures (a stall
    longer than `read_timeout` included).
    """
    query = list_query(label_selector, field_selector) + [
        ("watch", "true"),
        ("allowWatchBookmarks", "true"),
        ("timeoutSeconds", str(int(watch_seconds * random.uniform(1.0, 1.2)))),
    ]
    if resource_version:
        query.append(("resourceVersion", resource_version))
    try:
        return open_get(api_client, pods_path(namespace), query, timeout=(connect_timeout, read_timeout))
    except Exception as exc:
        status = getattr(exc, "status", None)
        relist = relist_error(_status_of(exc)) if status in (410, 504) else None
        if relist is not None:
            raise relist from None
        raise


def iter_events(response: Any) -> Iterator[tuple[str, dict]]:
    """(type, object) for every event line until the server ends the stream.

    Raises `RelistNeeded`/`WatchError` for ERROR events, `ValueError` for a line that is not
    a watch event, urllib3 errors when the connection breaks or stalls.
    """
    for line in _lines(response):
        try:
            event = orjson.loads(line)
        except orjson.JSONDecodeError:
            raise ValueError(f"the server sent a watch line that is not JSON: {line[:80]!r}") from None
        if not isinstance(event, dict) or not isinstance(event.get("object"), dict):
            raise ValueError(f"the server sent something that is not a watch event: {line[:80]!r}")
        event_type = event.get("type")
        if event_type == "ERROR":
            status = event["object"]
            raise relist_error(status) or WatchError(status)
        yield str(event_type), event["object"]


def watch_events(api_client: Any, namespace: str | None, resource_version: str,
                 **options: Any) -> Iterator[tuple[str, dict]]:
    """Open a pod watch and yield its events; the connection is closed when done."""
    response = open_pod_watch(api_client, namespace, resource_version, **options)
    try:
        yield from iter_events(response)
    finally:
        abort(response)


def abort(response: Any) -> None:
    """Unblock a read pending on `response` in another thread, and close it. Never raises."""
    try:
        response.shutdown()  # urllib3 >= 2.3: shutdown(SHUT_RD) wakes a blocked recv
    except Exception:
        try:
            sock = getattr(getattr(response, "connection", None), "sock", None)
            if sock is not None:
                import socket

                sock.shutdown(socket.SHUT_RDWR)
        except Exception:
            pass
    try:
        response.close()
    except Exception:
        pass


def set_read_timeout(response: Any, seconds: float) -> None:
    """Make reads of an open response give up after `seconds` of silence. Never raises."""
    try:
        sock = getattr(getattr(response, "connection", None), "sock", None)
        if sock is not None:
            sock.settimeout(seconds)
    except Exception:
        pass


def _chunks(response: Any) -> Iterator[bytes]:
    """Bytes as they arrive: whole HTTP chunks, or whatever one socket read returns."""
    if response.chunked:
        yield from response.stream(None)
        return
    while True:
        data = response.read1(65536)
        if not data:
            return
        yield data


def _lines(response: Any) -> Iterator[bytes]:
    pending: list[bytes] = []
    for chunk in _chunks(response):
        if b"\n" not in chunk:
            pending.append(chunk)
            continue
        if pending:
            pending.append(chunk)
            chunk = b"".join(pending)
            pending = []
        lines = chunk.split(b"\n")
        tail = lines.pop()
        if tail:
            pending.append(tail)
        for line in lines:
            if line.strip():
                yield line
    rest = b"".join(pending)
    if rest.strip():
        yield rest


def _status_of(exc: Exception) -> dict:
    try:
        status = orjson.loads(getattr(exc, "body", None) or b"{}")
    except orjson.JSONDecodeError:
        status = {}
    if not isinstance(status, dict):
        status = {}
    status.setdefault("code", getattr(exc, "status", None) or 410)
    if status["code"] == 410:
        status.setdefault("reason", "Expired")
    return status
