"""The change log: a bounded window of committed changes per resource, and the watchers fed from it.

Key decisions: stored objects are immutable snapshots (every write stores a new dict), so a
change holds references, never copies, and a change's JSON is serialized at most once however
many watchers receive it. Windows are per resource type, like kube-apiserver's watch cache, so
churn on events cannot expire a pod watch. Fan-out is synchronous on the loop thread; a watcher
only gets an event appended to its deque and a wake-up. Selector-filtered watchers see an object
leave their selection as DELETED and enter it as ADDED, as the real cacher does.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Any, Callable, Iterable, Protocol

import orjson

ADDED, MODIFIED, DELETED, BOOKMARK, ERROR = "ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"
MAX_PENDING = 100_000  # a watcher this far behind is closed; the client re-watches from its RV


class Matcher(Protocol):
    def matches(self, value: Any) -> bool: ...


class Change:
    """One committed change. `obj` is the stored snapshot (DELETED: the last state, new RV)."""

    __slots__ = ("rv", "type", "plural", "obj", "old", "_json")

    def __init__(self, rv: int, type_: str, plural: str, obj: dict, old: dict | None) -> None:
        self.rv, self.type, self.plural, self.obj, self.old = rv, type_, plural, obj, old
        self._json: bytes | None = None

    def json_line(self, encode: Callable[[str, dict], bytes] | None = None) -> bytes:
        """`{"type":…,"object":…}\n`, serialized once and shared by all watchers; `encode`
        (Store.encoded) reuses the object's cached JSON."""
        if self._json is None:
            body = encode(self.plural, self.obj) if encode else orjson.dumps(self.obj)
            self._json = b'{"type":"' + self.type.encode() + b'","object":' + body + b"}\n"
        return self._json


class TooOldResourceVersion(Exception):
    def __init__(self, requested: int, oldest: int) -> None:
        super().__init__(f"too old resource version: {requested} ({oldest})")
        self.requested, self.oldest = requested, oldest


class Watcher:
    """A subscription. Events wait in `pending` until the HTTP stream (or a test) drains them."""

    def __init__(self, plural: str, namespace: str | None = None,
                 label_selector: Matcher | None = None,
                 field_selector: Matcher | None = None) -> None:
        self.plural, self.namespace = plural, namespace or None
        self.label_selector, self.field_selector = label_selector, field_selector
        self.pending: deque[Change] = deque()
        self.wakeup = asyncio.Event()
        self.closed = False
        self.close_reason = ""

    def selects(self, obj: dict | None) -> bool:
        if obj is None:
            return False
        metadata = obj.get("metadata") or {}
        if self.namespace is not None and metadata.get("namespace") != self.namespace:
            return False
        if self.label_selector is not None and not self.label_selector.matches(
                metadata.get("labels") or {}):
            return False
        return self.field_selector is None or self.field_selector.matches(obj)

    def visible(self, change: Change) -> Change | None:
        """This change as this watcher must see it (selection transitions), or None."""
        now_in = self.selects(change.obj)
        if change.type != MODIFIED or (self.label_selector is None and self.field_selector is None):
            return change if now_in else None
        was_in = self.selects(change.old)
        if now_in:
            return change if was_in else Change(change.rv, ADDED, change.plural, change.obj, None)
        if was_in:
            return Change(change.rv, DELETED, change.plural, with_resource_version(
                change.old, change.rv), None)
        return None

    def offer(self, change: Change) -> None:
        if self.closed:
            return
        seen = self.visible(change)
        if seen is None:
            return
        if len(self.pending) >= MAX_PENDING:
            self.close("watcher fell too far behind")
            return
        self.pending.append(seen)
        self.wakeup.set()

    def drain(self) -> list[Change]:
        events = list(self.pending)
        self.pending.clear()
        self.wakeup.clear()
        return events

    def close(self, reason: str = "") -> None:
        self.closed, self.close_reason = True, reason
        self.wakeup.set()


def with_resource_version(obj: dict, rv: int) -> dict:
    copy = dict(obj)
    copy["metadata"] = dict(obj.get("metadata") or {}, resourceVersion=str(rv))
    return copy


class ChangeLog:
    """`window` changes per resource type at most, none older than `retention` seconds: like
    etcd, whose history kube-apiserver compacts every five minutes, a change past that is gone,
    and a watch that needs it gets 410 Expired instead of a replay."""

    def __init__(self, window: int, retention: float = 300.0,
                 now: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self.retention = retention
        self._now = now
        self._windows: dict[str, deque[Change]] = {}
        self._times: dict[str, deque[float]] = {}  # when each change of the window was recorded
        self._floors: dict[str, int] = {}     # newest RV evicted (or the RV at start)
        self._watchers: dict[str, set[Watcher]] = {}

    def record(self, change: Change) -> None:
        window = self._windows.get(change.plural)
        if window is None:
            window = self._windows[change.plural] = deque()
            self._times[change.plural] = deque()
        times = self._times[change.plural]
        now = self._now()
        self._compact(change.plural, now)
        if len(window) >= self.window:
            self._floors[change.plural] = window.popleft().rv
            times.popleft()
        window.append(change)
        times.append(now)
        for watcher in tuple(self._watchers.get(change.plural, ())):
            watcher.offer(change)

    def _compact(self, plural: str, now: float) -> None:
        window, times = self._windows.get(plural), self._times.get(plural)
        while window and times and now - times[0] > self.retention:
            self._floors[plural] = window.popleft().rv
            times.popleft()

    def since(self, plural: str, rv: int) -> list[Change]:
        """Changes of `plural` after `rv`; raises TooOldResourceVersion if some were evicted."""
        self._compact(plural, self._now())
        floor = self._floors.get(plural, 0)
        if rv < floor:  # the real cacher's "rv < oldest-1", printing oldest-1
            raise TooOldResourceVersion(rv, floor)
        window = self._windows.get(plural, ())
        if not window or window[-1].rv <= rv:
            return []
        found: list[Change] = []
        for change in reversed(window):
            if change.rv <= rv:
                break
            found.append(change)
        found.reverse()
        return found

    def subscribe(self, watcher: Watcher) -> None:
        self._watchers.setdefault(watcher.plural, set()).add(watcher)

    def unsubscribe(self, watcher: Watcher) -> None:
        self._watchers.get(watcher.plural, set()).discard(watcher)

    def watchers(self) -> Iterable[Watcher]:
        return [w for group in self._watchers.values() for w in group]

    def close_all(self, reason: str) -> None:
        for watcher in self.watchers():
            watcher.close(reason)
