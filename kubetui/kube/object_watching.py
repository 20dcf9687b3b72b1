"""Live plain objects of any resource (events of one object, say), list then watch.

`ObjectWatch` is a `PodWatch` (kube/watching.py) with another collection, as `TableWatch` is,
so it keeps the same reader thread, coalescing, resourceVersion tracking, bookmarks, re-list on
410 and states; its items are the objects themselves (through `project`, on the reader thread),
for views that compute their rows client-side as kubectl does (`kubectl events`).
"""

from __future__ import annotations

import random
from typing import Any

import orjson

from kubetui.kube.listing import LIST_TIMEOUT, PAGE_SIZE, list_query
from kubetui.kube.requesting import open_get, paused_gc
from kubetui.kube.table_listing import resource_path
from kubetui.kube.watch_stream import relist_error
from kubetui.kube.watching import PodWatch, WatchState
from kubetui.model.resource_names import ApiResource

__all__ = ["ObjectWatch", "WatchState"]


class ObjectWatch(PodWatch):
    """Objects of ``resource`` in ``namespace`` (None: all; ignored for a cluster-scoped kind)."""

    def __init__(self, api_client: Any, resource: ApiResource, namespace: str | None, *,
                 page_size: int = PAGE_SIZE, **options: Any) -> None:
        self.resource = resource
        self.page_size = page_size
        super().__init__(api_client, namespace if resource.namespaced else None, **options)

    @property
    def path(self) -> str:
        return resource_path(self.resource, self.namespace)

    def _list(self) -> tuple[list[dict], str]:
        timeout = (self.connect_timeout, LIST_TIMEOUT[1])
        items: list[dict] = []
        resource_version, token = "", ""
        with paused_gc():
            while True:
                query = list_query(self.label_selector, self.field_selector) + [("limit", str(self.page_size))]
                if token:
                    query.append(("continue", token))
                response = self._opened(open_get(self.api_client, self.path, query, timeout=timeout))
                try:
                    data = response.data
                finally:
                    self._closed(response)
                body = orjson.loads(data)
                if not isinstance(body, dict):
                    raise ValueError(f"the server answered a {self.resource.plural} list that is not a JSON object")
                page = [item for item in body.get("items") or () if isinstance(item, dict)]
                items.extend(map(self.project, page) if self.project else page)
                metadata = body.get("metadata") or {}
                resource_version = resource_version or str(metadata.get("resourceVersion") or "")
                token = metadata.get("continue") or ""
                if not token:
                    return items, resource_version

    def _open_watch(self, resource_version: str, read_timeout: float) -> Any:
        query = list_query(self.label_selector, self.field_selector) + [
            ("watch", "true"), ("allowWatchBookmarks", "true"),
            ("timeoutSeconds", str(int(self.watch_seconds * random.uniform(1.0, 1.2)))),
        ]
        if resource_version:
            query.append(("resourceVersion", resource_version))
        try:
            return open_get(self.api_client, self.path, query, timeout=(self.connect_timeout, read_timeout))
        except Exception as exc:
            if getattr(exc, "status", None) in (410, 504):
                relist = relist_error(_status(exc))
                if relist is not None:
                    raise relist from None
            raise


def _status(exc: Exception) -> dict:
    try:
        status = orjson.loads(getattr(exc, "body", None) or b"{}")
    except orjson.JSONDecodeError:
        status = {}
    if not isinstance(status, dict):
        status = {}
    return {"code": getattr(exc, "status", None), **status} if "code" not in status else status

