"""One object kept current by watches, with its events when asked: what a describe or YAML tab
shows, live.

`ObjectFollow.run()` blocks (the UI calls it from a thread worker) until `stop()`; it reports
through two callbacks, called from watch threads: `on_change()` after every batch that changed
the object or its events (the consumer reads `snapshot()` when it is ready for it, so a burst
costs it one read), and `on_state(part, WatchState)` for the health of each watch ("object",
"events").

Key decisions:
* Each part is an `ObjectWatch` (kube/object_watching.py), so both are exactly as live as the
  views: list then watch, bookmarks, re-list on 410, backoff, states. The object is watched by
  `metadata.name`; its events by kubectl describe's involvedObject terms without the uid
  (`model.event_search`), so a recreated object, a mirror pod or a node (searched
  twice by kubectl) need no second watch: `EventSearch.matching` keeps kubectl's events.
* Events a describer never shows (Namespace, Secret) are not watched.
* The watch threads end within a second of `stop()`; `join()` waits for them, so whoever
  closes the tab knows when nothing holds it any more.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Callable

from kubetui.kube.describing import EVENTS
from kubetui.kube.object_watching import ObjectWatch
from kubetui.kube.pod_events import PodEvents, pod_key
from kubetui.kube.watching import WatchState
from kubetui.model.event_search import event_search
from kubetui.model.resource_names import ApiResource

__all__ = ["FollowedObject", "ObjectFollow", "WatchState"]

BATCH_SECONDS = 0.02  # changes this close together reach the consumer as one (the consumer coalesces too)


@dataclass(frozen=True)
class FollowedObject:
    """What the watches have read so far; `version` grows with every change."""

    version: int
    obj: dict | None          # None: not listed yet, or not there (see `listed`)
    listed: bool              # the object's list has answered (so None means: no such object)
    deleted: bool             # it was there, and has been deleted
    events: list[dict] | None  # None: not asked for, or not listed yet
    with_events: bool

    @property
    def ready(self) -> bool:
        """Everything asked for has been read once."""
        return self.listed and (self.events is not None or not self.with_events)


class ObjectFollow:
    """``name`` of ``resource`` in ``namespace`` (None for a cluster-scoped kind), and its events
    when ``with_events``; see the module doc. ``watch_options`` go to both `ObjectWatch`es."""

    def __init__(self, api_client: Any, resource: ApiResource, namespace: str | None, name: str, *,
                 with_events: bool, on_change: Callable[[], None],
                 on_state: Callable[[str, WatchState], None], **watch_options: Any) -> None:
        self.resource = resource
        self.name = name
        self.on_change = on_change
        self._lock = threading.Lock()
        self._version = 0
        self._obj: dict | None = None
        self._listed = self._deleted = False
        self._with_events = with_events
        self._events: dict[str, dict] | None = None
        self._done = threading.Event()
        self._started = False
        watch_options.setdefault("batch_interval", BATCH_SECONDS)
        namespace = namespace if resource.namespaced else None
        self._watches = [ObjectWatch(api_client, resource, namespace, field_selector=f"metadata.name={name}",
                                     on_events=self._object_changed,
                                     on_state=lambda state: on_state("object", state), **watch_options)]
        if with_events:
            search = event_search(resource.group, resource.kind, {"metadata": {"name": name, "namespace": namespace}})
            self._watches.append(ObjectWatch(api_client, EVENTS, namespace, field_selector=search.watch_selector,
                                             on_events=self._events_changed,
                                             on_state=lambda state: self._events_state(on_state, state),
                                             **watch_options))

    # ----------------------------------------------------------------- public
    def run(self) -> None:
        """Watch until `stop()`; never raises (the watches report their troubles as states)."""
        with self._lock:
            if self._done.is_set():
                return
            self._started = True
        others = [threading.Thread(target=watch.run, name="kubetui-object-follow", daemon=True)
                  for watch in self._watches[1:]]
        try:
            for thread in others:
                thread.start()
            self._watches[0].run()
        finally:
            self.stop()
            for thread in others:
                thread.join(1.0)
            self._done.set()

    def stop(self) -> None:
        """Ask `run()` to return; safe from any thread, any number of times."""
        for watch in self._watches:
            watch.stop()
        with self._lock:
            if not self._started:
                self._done.set()  # run() never started: it will not

    def join(self, timeout: float | None = None) -> bool:
        """Wait until `run()` has returned (or never will); False on a timeout."""
        return self._done.wait(timeout)

    def snapshot(self) -> FollowedObject:
        with self._lock:
            events = None if self._events is None else list(self._events.values())
            return FollowedObject(self._version, self._obj, self._listed, self._deleted, events, self._with_events)

    # ----------------------------------------------------------------- from the watch threads
    def _object_changed(self, batch: PodEvents) -> None:
        with self._lock:
            mine = [obj for obj in batch.upserts if (obj.get("metadata") or {}).get("name") == self.name]
            if mine:
                self._obj, self._deleted = mine[-1], False
            elif batch.reset or batch.deletes:
                self._deleted = self._deleted or self._obj is not None
                self._obj = None
            self._listed = True
            self._version += 1
        self.on_change()

    def _events_changed(self, batch: PodEvents) -> None:
        with self._lock:
            if batch.reset or self._events is None:
                self._events = {}
            for event in batch.upserts:
                self._events[pod_key(event)] = event
            for key in batch.deletes:
                self._events.pop(key, None)
            self._version += 1
        self.on_change()

    def _events_state(self, on_state: Callable[[str, WatchState], None], state: WatchState) -> None:
        """kubectl describes an object without events when it cannot read them: so does a tab
        whose events watch is refused, rather than wait for them."""
        on_state("events", state)
        if state.kind == "error":
            with self._lock:
                refused_first = self._events is None
                if refused_first:
                    self._events = {}
                    self._version += 1
            if refused_first:
                self.on_change()
