"""The in-memory object store behind the local API server: reads, watches, listeners, and the
one commit every write goes through (the write verbs are in writes.py, deletes in deletion.py,
the pod bind in binding.py, mixed into `Store`).

Threading: the store is synchronous and NOT thread-safe. Call it only on the server's asyncio
loop thread (HTTP handlers, the simulated kubelet, controllers), or from another thread through
`LocalCluster.call(fn, ...)`. Nothing in it awaits, so a method call is atomic for every watcher.

Key decisions:
* Stored objects are immutable snapshots. `get`/`list` return the stored dicts themselves (no
  copies: a list of 10,000 pods is serialized straight from them); callers deep-copy before
  changing anything, and every write stores a fresh dict.
* One global resourceVersion counter. Each committed change is recorded in a bounded per-type
  window (watch resume, 410 Expired), fanned out to watchers, then passed to listeners, in
  resourceVersion order even when a listener writes from inside its callback.
* Pods bound to a node are deleted gracefully: `deletionTimestamp` first (MODIFIED), removal
  when the kubelet calls `finalize_delete`. Everything else goes at once, unless it has
  finalizers. Owner-reference garbage collection belongs to a listener on DELETED; set
  `propagation_finalizers = True` when such a collector exists, so Orphan/Foreground deletes get
  the real `orphan`/`foregroundDeletion` finalizers (without one they behave like Background).
"""

from __future__ import annotations

import bisect
import logging
import random
from collections import deque
from typing import Any, Callable, Iterator

import orjson

from kubetui.localcluster.apimachinery import errors, objectmeta
from kubetui.localcluster.apimachinery.clock import Clock, utc_now
from kubetui.localcluster.registry.resources import ResourceRegistry, ResourceType, default_registry
from kubetui.localcluster.storage.binding import Binding
from kubetui.localcluster.storage.changes import ADDED, DELETED, Change, ChangeLog, Watcher
from kubetui.localcluster.storage.deletion import Deletion
from kubetui.localcluster.storage.listing import Page, page_of, selector_objects
from kubetui.localcluster.storage.writes import Writes

log = logging.getLogger(__name__)
Listener = Callable[[str, str, dict], None]
Key = tuple[str, str]


class Store(Writes, Deletion, Binding):
    def __init__(self, registry: ResourceRegistry | None = None, *, window: int = 10_000,
                 retention: float = 300.0, clock: Clock = utc_now,
                 rng: random.Random | None = None) -> None:
        self.registry = registry or default_registry()
        self.clock = clock
        self.changes = ChangeLog(window, retention)
        self.propagation_finalizers = False
        self._rng = rng or random.Random()
        self._rv = 0
        self._objects: dict[str, dict[Key, dict]] = {}
        self._keys: dict[str, list[Key]] = {}
        self._listeners: list[Listener] = []
        self._notices: deque[Change] = deque()
        self._notifying = False
        self._addresses = objectmeta.ServiceAddresses()
        self._encoded: dict[int, bytes] = {}  # id(stored object) -> its JSON, while stored

    # ----------------------------------------------------------------- reads
    @property
    def resource_version(self) -> int:
        return self._rv

    def resource(self, plural: str) -> ResourceType:
        resource = self.registry.get(plural)
        if resource is None:
            raise errors.path_not_found()
        return resource

    def get(self, plural: str, namespace: str | None, name: str) -> dict | None:
        """The stored object (do not mutate it), or None."""
        return self._table(plural).get((namespace or "", name))

    def encoded(self, plural: str, obj: dict) -> bytes:
        """The object's JSON. Cached while `obj` is the stored version (stored objects never
        change), so a list of 10,000 pods joins bytes instead of serializing them again."""
        data = self._encoded.get(id(obj))
        if data is not None:
            return data
        data = orjson.dumps(obj)
        meta = obj.get("metadata") or {}
        if self._table(plural).get((meta.get("namespace", ""), meta.get("name"))) is obj:
            self._encoded[id(obj)] = data
        return data

    def count(self, plural: str) -> int:
        return len(self._table(plural))

    def list(self, plural: str, namespace: str | None = None, label_selector: Any = None,
             field_selector: Any = None) -> tuple[list[dict], int]:
        """Stored objects sorted by namespace/name, and the current resourceVersion."""
        labels, fields = selector_objects(label_selector, field_selector)
        return [obj for obj in self.scan(plural, namespace)
                if _selected(obj, labels, fields)], self._rv

    def list_page(self, plural: str, namespace: str | None = None, label_selector: Any = None,
                  field_selector: Any = None, limit: int = 0, continue_token: str = "") -> Page:
        """One page of a list, as the HTTP list verb answers it (limit / continue)."""
        return page_of(self, plural, namespace, label_selector, field_selector, limit, continue_token)

    def scan(self, plural: str, namespace: str | None = None,
             after: Key | None = None) -> Iterator[dict]:
        """Stored objects in key order, optionally of one namespace, after a key. Do not write
        to the store while iterating (take a list first)."""
        keys, table = self._keys.get(plural, []), self._table(plural)
        if namespace:
            start = bisect.bisect_left(keys, (namespace, ""))
            stop = bisect.bisect_left(keys, (namespace + "\0", ""))
        else:
            start, stop = 0, len(keys)
        if after is not None:
            start = max(start, bisect.bisect_right(keys, after))
        for index in range(start, stop):
            yield table[keys[index]]

    def remaining_after(self, plural: str, namespace: str | None, after: Key) -> int:
        keys = self._keys.get(plural, [])
        stop = bisect.bisect_left(keys, (namespace + "\0", "")) if namespace else len(keys)
        return max(0, stop - bisect.bisect_right(keys, after))

    def watch(self, plural: str, namespace: str | None = None, label_selector: Any = None,
              field_selector: Any = None,
              resource_version: str | int | None = None) -> tuple[Watcher, list[Change]]:
        """Subscribe, and return the events owed first: synthetic ADDED for the current state
        when `resource_version` is None/""/"0", else the recorded changes after it. Raises
        changes.TooOldResourceVersion when those changes have left the window."""
        self.resource(plural)
        labels, fields = selector_objects(label_selector, field_selector)
        watcher = Watcher(plural, namespace, labels, fields)
        if resource_version in (None, "", "0", 0):
            initial = [Change(int(obj["metadata"]["resourceVersion"]), ADDED, plural, obj, None)
                       for obj in self.scan(plural, namespace) if watcher.selects(obj)]
        else:
            initial = []
            for change in self.changes.since(plural, int(resource_version)):
                seen = watcher.visible(change)
                if seen is not None:
                    initial.append(seen)
        self.changes.subscribe(watcher)
        return watcher, initial

    def unwatch(self, watcher: Watcher) -> None:
        self.changes.unsubscribe(watcher)

    def add_listener(self, listener: Listener) -> None:
        """`listener(event_type, plural, obj)` after every committed change, on the loop thread."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    # ------------------------------------------------------------- internals
    def _table(self, plural: str) -> dict[Key, dict]:
        table = self._objects.get(plural)
        if table is None:
            table = self._objects[plural] = {}
            self._keys[plural] = []
        return table

    def _require(self, resource: ResourceType, namespace: str | None, name: str) -> dict:
        live = self.get(resource.plural, namespace if resource.namespaced else "", name)
        if live is None:
            raise errors.not_found(resource.plural, name, resource.group)
        return live

    def _commit(self, resource: ResourceType, event_type: str, obj: dict,
                old: dict | None) -> None:
        """Store `obj` (a fresh dict nobody else holds yet) under a new resourceVersion."""
        self._rv += 1
        obj["metadata"]["resourceVersion"] = str(self._rv)
        plural = resource.plural
        key = (obj["metadata"].get("namespace", "") if resource.namespaced else "",
               obj["metadata"]["name"])
        table, keys = self._table(plural), self._keys[plural]
        replaced = table.get(key)
        if replaced is not None:
            self._encoded.pop(id(replaced), None)
        if event_type == DELETED:
            del table[key]
            del keys[bisect.bisect_left(keys, key)]
        else:
            if key not in table:
                bisect.insort(keys, key)
            table[key] = obj
        change = Change(self._rv, event_type, plural, obj, old)
        self.changes.record(change)
        self._notify(change)

    def _notify(self, change: Change) -> None:
        if not self._listeners:
            return
        self._notices.append(change)
        if self._notifying:
            return  # the outer call delivers it, after the changes before it
        self._notifying = True
        try:
            while self._notices:
                pending = self._notices.popleft()
                for listener in tuple(self._listeners):
                    try:
                        listener(pending.type, pending.plural, pending.obj)
                    except Exception:  # a listener's bug must not undo a committed write
                        log.exception("store listener %r failed on %s %s", listener,
                                      pending.type, pending.plural)
        finally:
            self._notifying = False


def _selected(obj: dict, labels: Any, fields: Any) -> bool:
    if labels is not None and not labels.matches(obj["metadata"].get("labels") or {}):
        return False
    return fields is None or fields.matches(obj)
