"""Serving a watch: chunked JSON lines from a store subscription.

Key decisions:
* Every failure after the response is prepared is caught inside the stream and reported as an
  ERROR event, then the stream ends cleanly: an aiohttp error page written into a chunked body
  is what makes kubectl say "invalid byte in chunk length".
* Events are drained in batches and written as one chunk per batch (large initial lists in
  ~1 MB chunks), so 10,000 synthetic ADDED events cost a handful of writes.
* BOOKMARK events (when asked) go out every `bookmark_interval` seconds, busy or not, as
  kube-apiserver's timer sends them: clients learn the cadence and take silence beyond it for a
  stall. A watch with `sendInitialEvents=true` gets the `k8s.io/initial-events-end` bookmark
  after its ADDED events, as client-go's WatchList expects.
* The loop wakes at least every LIVENESS_SECONDS to notice clients that went away.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Iterable

import orjson
from aiohttp import web

from kubetui.localcluster.registry import tables
from kubetui.localcluster.storage.changes import BOOKMARK, ERROR, Change, TooOldResourceVersion, Watcher
from kubetui.localcluster.apimachinery.errors import ApiError
from kubetui.localcluster.registry.resources import ResourceType
from kubetui.localcluster.storage.store import Store

log = logging.getLogger(__name__)
LIVENESS_SECONDS = 2.0
CHUNK_BYTES = 1 << 20


@dataclass
class WatchRequest:
    resource: ResourceType
    namespace: str | None
    label_selector: str = ""
    field_selector: str = ""
    resource_version: str = ""
    timeout_seconds: float = 1800.0
    bookmarks: bool = False
    send_initial_events: bool = False
    as_table: bool = False


class _Encoder:
    def __init__(self, store: Store, request: WatchRequest) -> None:
        self.store, self.request = store, request
        self.columns_sent = False

    def change(self, change: Change) -> bytes:
        if not self.request.as_table:
            return change.json_line(self.store.encoded)
        return self._line(change.type, change.obj, change.obj["metadata"]["resourceVersion"])

    def bookmark(self, annotations: dict[str, str] | None = None, resource_version: int | None = None) -> bytes:
        rv = str(self.store.resource_version if resource_version is None else resource_version)
        if self.request.as_table:
            return self._line(BOOKMARK, None, rv)
        metadata: dict[str, Any] = {"resourceVersion": rv}
        if annotations:
            metadata["annotations"] = annotations
        obj = {"kind": self.request.resource.kind, "apiVersion": self.request.resource.api_version,
               "metadata": metadata}
        return orjson.dumps({"type": BOOKMARK, "object": obj}) + b"\n"

    def _line(self, event_type: str, obj: dict | None, rv: str) -> bytes:
        table = tables.event_table(self.request.resource, obj, self.store.clock(), rv,
                                   with_columns=not self.columns_sent)
        self.columns_sent = True
        return orjson.dumps({"type": event_type, "object": table}) + b"\n"


def error_line(status: dict) -> bytes:
    return orjson.dumps({"type": ERROR, "object": status}) + b"\n"


async def serve_watch(request: web.Request, store: Store, watch: WatchRequest,
                      bookmark_interval: float) -> web.StreamResponse:
    expired: TooOldResourceVersion | None = None
    watcher: Watcher | None = None
    initial: list[Change] = []
    try:
        watcher, initial = store.watch(
            watch.resource.plural, watch.namespace, watch.label_selector, watch.field_selector,
            None if watch.send_initial_events else (watch.resource_version or None))
    except TooOldResourceVersion as exc:
        expired = exc
    response = web.StreamResponse(status=200, headers={
        "Content-Type": "application/json", "Cache-Control": "no-cache, private"})
    response.enable_chunked_encoding()
    await response.prepare(request)
    try:
        if expired is not None:
            await response.write(error_line(ApiError(410, "Expired", str(expired)).status()))
        elif watcher is not None:
            await _stream(request, response, store, watch, watcher, initial, bookmark_interval)
    except ConnectionError:
        pass  # the client went away
    except Exception as exc:  # never let aiohttp write an error page into the chunked body
        log.exception("watch of %s failed", watch.resource.plural)
        await _try_write(response, error_line(ApiError(
            500, "InternalError", f"Internal error occurred: {exc}").status()))
    finally:
        if watcher is not None:
            store.unwatch(watcher)
    try:
        await response.write_eof()
    except ConnectionError:
        pass
    return response


async def _try_write(response: web.StreamResponse, data: bytes) -> None:
    try:
        await response.write(data)
    except ConnectionError:
        pass


async def _write_lines(response: web.StreamResponse, lines: Iterable[bytes]) -> None:
    batch: list[bytes] = []
    size = 0
    for line in lines:
        batch.append(line)
        size += len(line)
        if size >= CHUNK_BYTES:
            await response.write(b"".join(batch))
            batch, size = [], 0
    if batch:
        await response.write(b"".join(batch))


def _client_gone(request: web.Request) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing()


def _written_up_to(store: Store, watcher: Watcher) -> int:
    """The resourceVersion this stream has told everything up to: a bookmark must never run
    ahead of a change still waiting to be written (clients take that for a restart)."""
    return watcher.pending[0].rv - 1 if watcher.pending else store.resource_version


async def _stream(request: web.Request, response: web.StreamResponse, store: Store,
                  watch: WatchRequest, watcher: Watcher, initial: list[Change],
                  bookmark_interval: float) -> None:
    loop = asyncio.get_running_loop()
    encoder = _Encoder(store, watch)
    deadline = loop.time() + max(watch.timeout_seconds, 0)
    if initial:
        with tables.gc_paused():
            await _write_lines(response, (encoder.change(change) for change in initial))
    if watch.send_initial_events and watch.bookmarks:
        await response.write(encoder.bookmark({"k8s.io/initial-events-end": "true"}))
    last_bookmark = loop.time()
    while not watcher.closed:
        now = loop.time()
        if now >= deadline:
            break
        wait = min(deadline - now, LIVENESS_SECONDS)
        if watch.bookmarks:
            wait = min(wait, max(last_bookmark + bookmark_interval - now, 0))
        if not watcher.pending:
            try:
                await asyncio.wait_for(watcher.wakeup.wait(), timeout=wait)
            except asyncio.TimeoutError:
                pass
        events = watcher.drain()
        if events:
            await _write_lines(response, (encoder.change(change) for change in events))
        if watch.bookmarks and loop.time() - last_bookmark >= bookmark_interval:
            await response.write(encoder.bookmark(resource_version=_written_up_to(store, watcher)))
            last_bookmark = loop.time()
        elif not events and _client_gone(request):
            break
