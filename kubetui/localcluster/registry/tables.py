"""meta.k8s.io/v1 Table responses (server-side printing) and the Accept header that asks for them.

Key decisions: row objects are `PartialObjectMetadata` carrying the stored metadata dict itself
(no copy), so `kubectl get -A` has its NAMESPACE column and `--show-labels` works; a request's
`includeObject=None` drops them (and `Object` sends the whole object), as kube-apiserver does. Every row of
one response is rendered with the same `now`. A row whose printer fails shows `<unknown>`
cells instead of failing the whole list (or corrupting a watch stream). In a watch, only the
first event carries column definitions; kubectl reuses them for the following events.
"""

from __future__ import annotations

import gc
import logging
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Iterable, Iterator

from kubetui.localcluster.registry.resources import ResourceType

log = logging.getLogger(__name__)
TABLE_API_VERSION = "meta.k8s.io/v1"


def wants_table(accept: str) -> bool:
    """True when the Accept header lists `application/json;as=Table;g=meta.k8s.io;v=v1`."""
    for media_range in accept.split(","):
        parts = [part.strip() for part in media_range.split(";")]
        params = dict(part.split("=", 1) for part in parts[1:] if "=" in part)
        if (params.get("as") == "Table" and params.get("g") == "meta.k8s.io"
                and params.get("v") in ("v1", "v1beta1")):
            return True
    return False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Building many small dicts triggers the cyclic GC over and over; pause it meanwhile."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def column_definitions(resource: ResourceType) -> list[dict[str, Any]]:
    return [column.definition() for column in resource.printer.columns]


def row(resource: ResourceType, obj: dict, now: datetime, include_object: str = "Metadata") -> dict[str, Any]:
    try:
        cells = resource.printer.cells(obj, now)
    except Exception:  # a malformed object must not break the list or the watch
        log.exception("printing %s %s failed", resource.kind, obj.get("metadata", {}).get("name"))
        cells = [obj.get("metadata", {}).get("name", "")] + ["<unknown>"] * (
            len(resource.printer.columns) - 1)
    if include_object == "None":  # includeObject=None: the cells alone (the real server sends null)
        return {"cells": cells, "object": None}
    if include_object == "Object":
        return {"cells": cells, "object": obj}
    return {"cells": cells, "object": {
        "kind": "PartialObjectMetadata", "apiVersion": TABLE_API_VERSION,
        "metadata": obj.get("metadata") or {}}}


def table(resource: ResourceType, objects: Iterable[dict], now: datetime,
          list_metadata: dict[str, Any], *, with_columns: bool = True,
          include_object: str = "Metadata") -> dict[str, Any]:
    """`include_object` is the request's includeObject: Metadata (the default), None or Object."""
    with gc_paused():
        rows = [row(resource, obj, now, include_object) for obj in objects]
    return {"kind": "Table", "apiVersion": TABLE_API_VERSION, "metadata": list_metadata,
            "columnDefinitions": column_definitions(resource) if with_columns else [],
            "rows": rows}


def event_table(resource: ResourceType, obj: dict | None, now: datetime, resource_version: str,
                *, with_columns: bool) -> dict[str, Any]:
    """A watch event's object as a Table: one row, or none for a BOOKMARK."""
    return {"kind": "Table", "apiVersion": TABLE_API_VERSION,
            "metadata": {"resourceVersion": resource_version},
            "columnDefinitions": column_definitions(resource) if with_columns else [],
            "rows": [row(resource, obj, now)] if obj is not None else []}
