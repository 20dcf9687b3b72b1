"""Live pods: list, then watch from the list's resourceVersion, for as long as the UI looks.

`PodWatch.run()` blocks (the UI calls it from a thread worker) and reports through two
callbacks, both called from the thread that runs `run()`: `on_events(PodEvents)` with coalesced
batches of changes, and `on_state(WatchState)` when the connection's health changes.

Key decisions:
* A reader thread does the HTTP work (list, then watch with bookmarks, tracking the
  resourceVersion of every event and bookmark) and hands plain dicts over a queue; `run()`
  coalesces them for `batch_interval` (latest state per key wins) and calls back. So `stop()`
  only has to wake the queue and shut the socket down: `run()` returns at once even when the
  reader is stuck in a read, which then fails and ends the reader too.
* "live" means bytes keep coming: the server sends bookmarks, so a watch silent for longer than
  a deadline learned from their cadence (kube/silence.py) is stalled; its reads time out, the
  data is reported stale since the last byte, and the watch reconnects.
* Only a clean end of the stream (the server's timeout) resumes from the last resourceVersion.
  After any failure, and when the server cannot serve our resourceVersion (410, "Too large
  resource version") or its resourceVersion went backwards (a restart with fresh storage), the
  next connection lists afresh and emits `reset=True`, as client-go's reflector re-lists: rows
  missing from the new list vanish, so no ghost survives an outage or a restart.
* Failures reconnect with exponential backoff (0.2 s doubling to 5 s, jittered); 401/403 and
  other refusals are reported as "error" and retried slowly. A TLS failure or a 401 first
  re-reads the kubeconfig (`reconnect`), so a cluster restarted with a new certificate and token
  is followed by itself; new credentials are tried at once. `run()` never raises.
"""

from __future__ import annotations

import logging
import queue
import random
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable

from kubetui.errors import KubetuiError, from_api_exception
from kubetui.kube.contexts import Connection
from kubetui.kube.first_list import FirstList
from kubetui.kube.listing import LIST_TIMEOUT, list_pod_pages, pods_path
from kubetui.kube.pod_events import EventBatch, PodEvents, pod_key
from kubetui.kube.requesting import open_get
from kubetui.kube.silence import BOOKMARK_INTERVAL, SILENCE_FACTOR, SilenceDeadline
from kubetui.kube.watch_failures import (
    credentials_of, needs_fresh_credentials, seconds_text, stalled, version_number,
)
from kubetui.kube.watch_stream import (
    CONNECT_TIMEOUT, WATCH_SECONDS, RelistNeeded, WatchError, WatchExpired, abort, iter_events,
    open_pod_watch, set_read_timeout, watch_events,
)

__all__ = ["EventBatch", "PodEvents", "PodWatch", "RelistNeeded", "WatchError", "WatchExpired", "WatchState",
           "pod_key", "watch_events"]

log = logging.getLogger(__name__)

FIRST_BACKOFF = 0.2
MAX_BACKOFF = 5.0
REFUSED_RETRY_SECONDS = 10.0  # 401/403/4xx: the user may fix RBAC or the token meanwhile
HOLD_SECONDS = 1.0  # the longest a first watch waits for its list to be drawn
QUICK_END_SECONDS = 1.0  # a watch the server ends sooner than this, empty, counts as a failure
_REFUSALS = (400, 401, 403, 404, 405, 406, 415, 422)


@dataclass
class WatchState:
    """The health of the live data, for a banner.

    kind: "connecting" (no data yet), "live" (bytes keep arriving), "stale" (sent once when the
    connection is lost or falls silent; `since` says when data last arrived), "reconnecting"
    (retry `attempt`, `error` says why, `since` as above), "error" (the server refuses:
    401/403/..., retried slowly; `error` says why).
    """

    kind: str
    attempt: int = 0
    since: datetime | None = None
    error: KubetuiError | None = None


class PodWatch:
    """The pods of one namespace (None: all), kept live for a consumer; see the module doc.

    `bookmark_interval` is how often the server is expected to send a bookmark until its cadence
    is learned, and a watch silent for `silence_factor` times the interval counts as stalled
    (kube/silence.py); `watch_seconds` is the server-side watch length (jittered).
    `reconnect()`, if given, builds a fresh API client from the kubeconfig (read again) after a
    TLS failure or a 401; whoever passes it closes the clients it builds. `api_client` may be a
    `Connection`: its client is then asked for in the watch's thread when first needed, so a
    prefetched list reaches the screen without waiting for the official client to load.
    `watch_after`, if given, is set by the consumer once the first list is on screen: the watch
    (and the client it may build) waits for it, at most HOLD_SECONDS, so it does not compete
    with drawing that list; events meanwhile are not lost (the watch starts at the list's version).
    """

    def __init__(self, api_client: Any, namespace: str | None, *, label_selector: str | None = None,
                 on_events: Callable[[PodEvents], None], on_state: Callable[[WatchState], None],
                 batch_interval: float = 0.05, bookmark_interval: float = BOOKMARK_INTERVAL,
                 silence_factor: float = SILENCE_FACTOR,
                 connect_timeout: float = CONNECT_TIMEOUT, watch_seconds: float = WATCH_SECONDS,
                 project: Callable[[dict], dict] | None = None, first_list: FirstList | None = None,
                 reconnect: Callable[[], Any] | None = None, field_selector: str | None = None,
                 watch_after: threading.Event | None = None) -> None:
        self._connection = api_client if isinstance(api_client, Connection) else None
        self._api_client = None if self._connection is not None else api_client
        self.reconnect = reconnect
        self.watch_after = watch_after
        self.first_list = first_list  # a list already on its way (kube/first_list.py), used once
        self.project = project  # e.g. model.display_fields: keep only what the consumer reads
        self.namespace = namespace
        self.label_selector = label_selector
        self.field_selector = field_selector  # e.g. metadata.name=NAME: one pod (kube/log_follow.py)
        self.on_events = on_events
        self.on_state = on_state
        self.batch_interval = batch_interval
        self.silence = SilenceDeadline(bookmark_interval, silence_factor)
        self.connect_timeout = connect_timeout
        self.watch_seconds = watch_seconds
        self._items: queue.SimpleQueue = queue.SimpleQueue()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._response: Any = None
        self._server = (self._connection.server if self._connection is not None
                        else str(getattr(getattr(api_client, "configuration", None), "host", "") or ""))
        self._last_heard: datetime | None = None  # when the server last sent anything
        self._heard_at: float | None = None  # the same, monotonic

    @property
    def api_client(self) -> Any:
        if self._api_client is None and self._connection is not None:
            self._api_client = self._connection.api_client
        return self._api_client

    @api_client.setter
    def api_client(self, client: Any) -> None:
        self._api_client = client

    # ----------------------------------------------------------------- public
    def stop(self) -> None:
        """Ask `run()` to return; safe from any thread, any number of times."""
        self._stopping.set()
        if self.watch_after is not None:
            self.watch_after.set()
        with self._lock:
            response, self._response = self._response, None
        if response is not None:
            abort(response)
        self._items.put(None)

    def run(self) -> None:
        """List, watch and report until `stop()`; never raises."""
        if self._stopping.is_set():
            return
        reader = threading.Thread(target=self._read_guarded, name="kubetui-pod-watch", daemon=True)
        reader.start()
        try:
            _Pump(self).run()
        except Exception:  # never reached in practice; run() must not raise all the same
            log.exception("pod watch stopped on an unexpected error")
        finally:
            self.stop()
            reader.join(1.0)

    # ----------------------------------------------------------------- reader
    def _read_guarded(self) -> None:
        try:
            self._read_forever()
        except Exception:
            log.exception("pod watch reader failed")
            self._items.put(("state", WatchState("error", error=KubetuiError(
                "the live view stopped on an internal error", "Internal error"))))

    def _read_forever(self) -> None:
        resource_version: str | None = None  # None: (re)list first
        newest = -1  # the highest resourceVersion seen from this server, as a number
        have_data = False
        live = False
        failures = 0
        quick_ends = 0
        lost_at: datetime | None = None
        self._items.put(("state", WatchState("connecting")))
        while not self._stopping.is_set():
            streaming = False
            try:
                if resource_version is None:
                    items, resource_version = self._list()
                    self._items.put(("reset", items))
                    del items  # the consumer owns the list now; holding it here kept ~200 MB alive at 10k pods
                    have_data = True
                    self._heard()
                    newest = version_number(resource_version)  # a fresh list is the truth, even an older one
                if self.watch_after is not None:
                    self.watch_after.wait(HOLD_SECONDS)
                    self.watch_after = None
                opened = time.monotonic()
                self.silence.stream_started(opened)
                response = self._opened(self._open_watch(resource_version, self.silence.seconds))
                streaming = True
                self._heard()
                if not live:
                    live, failures, lost_at = True, 0, None
                    self._items.put(("state", WatchState("live")))
                seen = 0
                try:
                    for event_type, obj in iter_events(response):
                        self._heard()
                        version = (obj.get("metadata") or {}).get("resourceVersion")
                        if version:
                            number = version_number(version)
                            if 0 <= number < newest:
                                raise _WentBack(f"resourceVersion {version} after {newest}")
                            newest = max(newest, number)
                            resource_version = str(version)
                        seen += 1
                        if event_type in ("ADDED", "MODIFIED", "DELETED"):
                            self._items.put(("event", event_type, self.project(obj) if self.project else obj))
                        elif event_type == "BOOKMARK" and self.silence.bookmark(time.monotonic()):
                            set_read_timeout(response, self.silence.seconds)
                finally:
                    self._closed(response)
                if seen or time.monotonic() - opened >= QUICK_END_SECONDS:
                    quick_ends = 0
                else:  # ended at once and empty: a proxy or server in trouble; don't spin
                    quick_ends += 1
                    self._stopping.wait(_backoff(quick_ends))
            except (RelistNeeded, _WentBack) as exc:
                log.info("pod watch lists again: %s", exc)
                resource_version = None  # re-list: the reset removes what vanished meanwhile
                quick_ends += 1
                if quick_ends > 1:  # again right after a fresh list: slow down
                    self._stopping.wait(_backoff(quick_ends - 1))
            except Exception as exc:
                if self._stopping.is_set():
                    return
                # Whatever happened while we could not hear the server (a restart, a restore)
                # only a fresh list tells: the next connection lists first.
                resource_version = None
                failures += 1
                error = self._translate(exc, stalled=stalled(exc, streaming))
                refused = getattr(exc, "status", None) in _REFUSALS
                if lost_at is None:
                    lost_at = self._last_heard or datetime.now(timezone.utc)
                    if have_data:
                        self._items.put(("state", WatchState("stale", since=lost_at, error=error)))
                live = False
                kind = "error" if refused else "reconnecting"
                self._items.put(("state", WatchState(kind, attempt=failures, since=lost_at if have_data else None,
                                                     error=error)))
                renewed = needs_fresh_credentials(exc) and self._renew_client()
                if renewed:
                    delay = _backoff(1)  # new credentials or certificate: try them now
                elif refused:
                    delay = REFUSED_RETRY_SECONDS * random.uniform(0.8, 1.2)
                else:
                    delay = _backoff(failures)
                self._stopping.wait(max(delay, _retry_after(exc)))

    def _heard(self) -> None:
        self._last_heard, self._heard_at = datetime.now(timezone.utc), time.monotonic()

    def _renew_client(self) -> bool:
        """Build the API client again from the kubeconfig; True when that changed the server or
        the credentials (a rewritten kubeconfig, a new exec-plugin token)."""
        if self.reconnect is None:
            return False
        try:
            client = self.reconnect()
        except Exception as exc:  # a kubeconfig being rewritten, or broken: keep the old client
            log.warning("could not read the kubeconfig again: %s", exc)
            return False
        before = credentials_of(self.api_client)
        self.api_client = client
        self._server = str(getattr(getattr(client, "configuration", None), "host", "") or self._server)
        return credentials_of(client) != before

    def _open_watch(self, resource_version: str, read_timeout: float) -> Any:
        """The open watch response; a subclass watching something else overrides this and `_list`."""
        return open_pod_watch(
            self.api_client, self.namespace, resource_version, label_selector=self.label_selector,
            field_selector=self.field_selector, watch_seconds=self.watch_seconds,
            connect_timeout=self.connect_timeout, read_timeout=read_timeout)

    def _list(self) -> tuple[list[dict], str]:
        first, self.first_list = self.first_list, None
        if first is not None and not self.field_selector:
            prefetched = first.take(self.namespace, self.label_selector, self._stopping)
            if self._stopping.is_set():
                raise _Stopped()
            if prefetched is not None:
                return prefetched
        timeout = (self.connect_timeout, LIST_TIMEOUT[1])

        def open_page(query):
            response = self._opened(open_get(self.api_client, pods_path(self.namespace), query, timeout=timeout))
            return _ClosingResponse(self, response)

        return list_pod_pages(open_page, label_selector=self.label_selector, project=self.project,
                              field_selector=self.field_selector)

    def _opened(self, response: Any) -> Any:
        with self._lock:
            self._response = response
        if self._stopping.is_set():
            abort(response)
            raise _Stopped()
        return response

    def _closed(self, response: Any) -> None:
        with self._lock:
            if self._response is response:
                self._response = None
        abort(response)

    def _translate(self, exc: Exception, stalled: bool = False) -> KubetuiError:
        if isinstance(exc, KubetuiError):
            return exc
        if stalled and self._heard_at is not None:
            silent = time.monotonic() - self._heard_at
            return KubetuiError(f"{self._server or 'the server'} has sent nothing for {seconds_text(silent)} s "
                                f"(a bookmark is due every {seconds_text(self.silence.expected_interval)} s)", "Timeout")
        if isinstance(exc, ValueError):
            return KubetuiError(f"{self._server or 'the server'} sent a malformed answer: {exc}", "Bad answer")
        return from_api_exception(exc, self._server)


class _Stopped(Exception):
    pass


class _WentBack(Exception):
    """The server's resourceVersion went backwards: it is not the storage we listed from."""


class _ClosingResponse:
    """A list page whose connection is released (and forgotten by `stop()`) once read."""

    def __init__(self, watch: PodWatch, response: Any) -> None:
        self._watch = watch
        self._response = response

    @property
    def data(self) -> bytes:
        try:
            return self._response.data
        finally:
            self._watch._closed(self._response)

    def release_conn(self) -> None:
        self._response.release_conn()


def _backoff(attempt: int) -> float:
    return min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** max(attempt - 1, 0)) * random.uniform(0.8, 1.2)


def _retry_after(exc: Exception) -> float:
    headers = getattr(exc, "headers", None)
    try:
        return min(float(headers.get("Retry-After")), MAX_BACKOFF) if headers else 0.0
    except (TypeError, ValueError):
        return 0.0


class _Pump:
    """Runs in the caller's thread: coalesces the reader's items and calls back."""

    def __init__(self, watch: PodWatch) -> None:
        self.watch = watch
        self.batch = EventBatch()
        self.deadline: float | None = None
        self.known: dict[str, str] = {}  # key -> resourceVersion the consumer has
        self.last_state: WatchState | None = None

    def run(self) -> None:
        watch = self.watch
        while not watch._stopping.is_set():
            timeout = 0.5 if self.deadline is None else max(0.0, self.deadline - time.monotonic())
            try:
                item = watch._items.get(timeout=timeout)
            except queue.Empty:
                item = None
            if item is not None:
                self.take(item)
            if self.deadline is not None and time.monotonic() >= self.deadline:
                self.flush()

    def take(self, item: tuple) -> None:
        kind = item[0]
        if kind == "state":
            self.flush()  # the data first, then what it means
            state = item[1]
            if state != self.last_state:
                self.last_state = state
                _call(self.watch.on_state, state)
            return
        if kind == "reset":
            self.batch.replace_all(item[1])
            self.flush()  # the whole state: nothing to coalesce it with, and the screen is waiting
            return
        self.batch.add(item[1], item[2])
        if self.deadline is None:
            self.deadline = time.monotonic() + self.watch.batch_interval

    def flush(self) -> None:
        self.deadline = None
        events = self.batch.take(self.known)
        if events is not None:
            _call(self.watch.on_events, events)


def _call(callback: Callable[[Any], None], value: Any) -> None:
    try:
        callback(value)
    except Exception:  # a failing consumer must not end the watch; its bug goes to the log
        log.exception("a pod watch callback failed")
