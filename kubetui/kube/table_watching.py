"""Live rows of any resource, as the server prints them (`meta.k8s.io/v1` Table), list then watch.

`TableWatch` is a `PodWatch` (kube/watching.py) with another collection and another answer
format: the same reader thread, coalescing, resourceVersion tracking, bookmarks, 410 re-list,
backoff and states for the banner, so every view is exactly as live as the pod view. Key
decisions:
* Lists and watches ask for a Table as kubectl does (`Accept: ...;as=Table;v=v1;g=meta.k8s.io`,
  `includeObject=Metadata`), so the cells are the server's and the row carries the object's
  metadata (uid, labels, owners, creation time) for the cursor key, filters and ownership. A
  server that answers plain objects instead (an aggregated API may) gets kubectl's fallback
  columns, NAME and AGE.
* Each item is reduced on the reader thread to its cells and a few metadata fields
  (`model.table_rows.slim_item`): annotations and managedFields never reach the UI.
* `owner_uid` keeps only objects that name that uid in their ownerReferences; an object that
  stops naming it leaves the view as a deletion.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Any, Callable

import orjson

from kubetui.kube.listing import LIST_TIMEOUT, PAGE_SIZE, list_query
from kubetui.kube.pod_events import PodEvents, pod_key
from kubetui.kube.requesting import open_get, paused_gc
from kubetui.kube.table_listing import TABLE_ACCEPT, resource_path
from kubetui.kube.watch_stream import WatchExpired
from kubetui.kube.watching import PodWatch, WatchState
from kubetui.model.ownership import pod_owned_by
from kubetui.model.resource_names import ApiResource
from kubetui.model.table_rows import Column, slim_item, table_columns

__all__ = ["FALLBACK_COLUMNS", "TableEvents", "TableWatch", "WatchState", "keep_owned"]

# kubectl's columns for an object the server did not print (printers.NewTablePrinter's default).
FALLBACK_COLUMNS = (Column("Name", format="name"), Column("Age"))


@dataclass
class TableEvents(PodEvents):
    """A coalesced batch of rows (`slim_item` dicts) and the columns they are cells of."""

    columns: tuple[Column, ...] = ()


class TableWatch(PodWatch):
    """Rows of ``resource`` in ``namespace`` (None: all; ignored for a cluster-scoped kind)."""

    def __init__(self, api_client: Any, resource: ApiResource, namespace: str | None, *,
                 on_events: Callable[[TableEvents], None], on_state: Callable[[WatchState], None],
                 label_selector: str | None = None, field_selector: str | None = None,
                 owner_uid: str = "", page_size: int = PAGE_SIZE, **options: Any) -> None:
        self.resource = resource
        self.page_size = page_size
        self.columns: tuple[Column, ...] = ()
        deliver = self._deliver
        self._consumer = keep_owned(on_events, owner_uid) if owner_uid else on_events
        super().__init__(api_client, namespace if resource.namespaced else None, label_selector=label_selector,
                         field_selector=field_selector, on_events=deliver, on_state=on_state,
                         project=self._event_item, **options)

    @property
    def path(self) -> str:
        return resource_path(self.resource, self.namespace)

    def _deliver(self, events: PodEvents) -> None:
        self._consumer(TableEvents(events.reset, events.upserts, events.deletes, self.columns))

    # -- the two requests PodWatch's reader makes --------------------------------------------
    def _list(self) -> tuple[list[dict], str]:
        timeout = (self.connect_timeout, LIST_TIMEOUT[1])
        items: list[dict] = []
        resource_version, token = "", ""
        with paused_gc():  # as list_pod_pages: one pause for the whole list
            while True:
                query = self._query() + [("limit", str(self.page_size))]
                if token:
                    query.append(("continue", token))
                response = self._opened(open_get(self.api_client, self.path, query, accept=TABLE_ACCEPT,
                                                 timeout=timeout))
                try:
                    data = response.data
                finally:
                    self._closed(response)
                body = orjson.loads(data)
                if not isinstance(body, dict):
                    raise ValueError(f"the server answered a {self.resource.plural} list that is not a JSON object")
                columns, page = _rows_of(body)
                if not resource_version:
                    self.columns = columns
                items.extend(page)
                metadata = body.get("metadata") or {}
                resource_version = resource_version or str(metadata.get("resourceVersion") or "")
                token = metadata.get("continue") or ""
                if not token:
                    return items, resource_version

    def _open_watch(self, resource_version: str, read_timeout: float) -> Any:
        query = self._query() + [
            ("watch", "true"), ("allowWatchBookmarks", "true"),
            ("timeoutSeconds", str(int(self.watch_seconds * random.uniform(1.0, 1.2)))),
        ]
        if resource_version:
            query.append(("resourceVersion", resource_version))
        try:
            return open_get(self.api_client, self.path, query, accept=TABLE_ACCEPT,
                            timeout=(self.connect_timeout, read_timeout))
        except Exception as exc:
            if getattr(exc, "status", None) == 410:
                raise expired(exc) from None
            raise

    def _query(self) -> list[tuple[str, str]]:
        return list_query(self.label_selector, self.field_selector) + [("includeObject", "Metadata")]

    def _event_item(self, obj: dict) -> dict:
        """A watch event's object (a one-row Table, or a plain object) as a slim item."""
        if obj.get("kind") != "Table":
            return _object_item(obj)
        rows = obj.get("rows") or []
        if not rows:
            return {"metadata": obj.get("metadata") or {}, "cells": []}
        return slim_item(rows[0])


def _rows_of(body: dict) -> tuple[tuple[Column, ...], list[dict]]:
    if body.get("kind") == "Table":
        return table_columns(body), [slim_item(row) for row in body.get("rows") or () if isinstance(row, dict)]
    return FALLBACK_COLUMNS, [_object_item(obj) for obj in body.get("items") or () if isinstance(obj, dict)]


def _object_item(obj: dict) -> dict:
    metadata = obj.get("metadata") or {}
    item = slim_item({"object": obj, "cells": [metadata.get("name") or "", ""]})
    return item


def expired(exc: Exception) -> WatchExpired:
    """A 410 answer to the watch request itself, as the ERROR event would have said it."""
    try:
        status = orjson.loads(getattr(exc, "body", None) or b"{}")
    except orjson.JSONDecodeError:
        status = {}
    if not isinstance(status, dict):
        status = {}
    return WatchExpired({"code": 410, "reason": "Expired", **status})


def keep_owned(on_events: Callable[[Any], None], uid: str) -> Callable[[Any], None]:
    """Wrap a watch consumer so it sees only objects owned by ``uid``; one that stops being owned
    (orphaned, or adopted by another) is passed on as a deletion."""
    shown: set[str] = set()

    def deliver(events) -> None:
        upserts, disowned = [], []
        if events.reset:
            shown.clear()
        for item in events.upserts:
            key = pod_key(item)
            if pod_owned_by(item, uid):
                upserts.append(item)
                shown.add(key)
            elif key in shown:
                shown.discard(key)
                disowned.append(key)
        deletes = [key for key in events.deletes if key in shown]
        shown.difference_update(deletes)
        if events.reset or upserts or disowned or deletes:
            on_events(replace(events, upserts=upserts, deletes=deletes + disowned))

    return deliver
