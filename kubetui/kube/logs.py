"""One `GET pods/{name}/log` request: kubectl's flags as the query, the body as raw bytes.

Key decisions: the request goes through the client's urllib3 pool like every other read
(`requesting.open_get`: no model classes, no decoding), and the body is handed on as the
server sent it, one read at a time, so a follower can split lines in C and a command can copy
bytes to stdout untouched. A follow stream has no read timeout (a quiet container sends nothing
for hours, and log streams carry no bookmarks); it is ended by `abort` from another thread.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Iterator

from kubetui.kube.requesting import open_get
from kubetui.kube.watch_stream import abort

__all__ = ["LogOptions", "abort", "iter_chunks", "log_path", "open_log"]

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0  # without follow the server answers at once; this only catches a hung one
READ_SIZE = 256 * 1024


@dataclass(frozen=True)
class LogOptions:
    """PodLogOptions, as `kubectl logs` fills them from its flags."""

    container: str | None = None
    follow: bool = False
    previous: bool = False
    timestamps: bool = False
    tail_lines: int | None = None
    since_seconds: int | None = None
    since_time: str | None = None  # RFC 3339, as typed
    limit_bytes: int | None = None

    def query(self) -> list[tuple[str, str]]:
        query: list[tuple[str, str]] = []
        if self.container:
            query.append(("container", self.container))
        if self.follow:
            query.append(("follow", "true"))
        if self.limit_bytes is not None:
            query.append(("limitBytes", str(self.limit_bytes)))
        if self.previous:
            query.append(("previous", "true"))
        if self.since_seconds is not None:
            query.append(("sinceSeconds", str(self.since_seconds)))
        if self.since_time:
            query.append(("sinceTime", self.since_time))
        if self.tail_lines is not None:
            query.append(("tailLines", str(self.tail_lines)))
        if self.timestamps:
            query.append(("timestamps", "true"))
        return query

    def for_container(self, container: str) -> "LogOptions":
        return replace(self, container=container)


def log_path(namespace: str, pod: str) -> str:
    return f"/api/v1/namespaces/{namespace}/pods/{pod}/log"


def open_log(api_client: Any, namespace: str, pod: str, options: LogOptions, *,
             connect_timeout: float = CONNECT_TIMEOUT) -> Any:
    """Send the request; the unread urllib3 response once the server answered 2xx.

    Raises `ApiException` (with the server's Status) for an error answer and urllib3 errors for
    transport failures, as `open_get` does.
    """
    read_timeout = None if options.follow else READ_TIMEOUT
    return open_get(api_client, log_path(namespace, pod), options.query(),
                    timeout=(connect_timeout, read_timeout))


def iter_chunks(response: Any) -> Iterator[bytes]:
    """The body as it arrives: one HTTP chunk or one socket read at a time, until the end.
    A body read to its end frees the connection for reuse; one left early is closed."""
    complete = False
    try:
        if response.chunked:
            for chunk in response.stream(None):
                if chunk:
                    yield chunk
        else:
            while True:
                data = response.read1(READ_SIZE)
                if not data:
                    break
                yield data
        complete = True
    finally:
        if complete:
            response.release_conn()
        else:
            abort(response)
