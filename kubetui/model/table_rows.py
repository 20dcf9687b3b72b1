"""Rows of a server-printed `meta.k8s.io/v1` Table, as kubectl prints them.

Key decisions: the server chooses the columns and fills the cells (`kubectl get` asks for the
same Table), so any kind, CRDs included, reads exactly as kubectl prints it; the cell texts are
`table_text.cell_text`'s, kubectl's table printer. What the row's metadata says (uid, labels,
owners, creation time) is kept beside the cells, so AGE ticks without a request and ownership
needs no second read. Pure: no clock, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from kubetui.model.durations import parse_timestamp
from kubetui.model.table_text import cell_text as _kubectl_cell

__all__ = ["Column", "ResourceRow", "cell_text", "resource_row", "slim_item", "table_columns"]

_NO_LABELS: Mapping[str, str] = {}
# What a row keeps of its object's metadata: a Table row of a Secret or a ConfigMap may carry a
# `last-applied-configuration` annotation with every value in it; nothing of it is kept.
_METADATA_KEEP = ("name", "namespace", "uid", "resourceVersion", "labels", "ownerReferences",
                  "creationTimestamp", "deletionTimestamp", "generation")


@dataclass(frozen=True)
class Column:
    """One column definition of a Table; `priority` > 0 columns are kubectl's `-o wide` ones."""

    name: str
    type: str = "string"
    format: str = ""
    priority: int = 0

    @property
    def header(self) -> str:
        return self.name.upper()

    @property
    def numeric(self) -> bool:
        return self.type in ("integer", "number")

    @property
    def is_age(self) -> bool:
        """The AGE column of the built-in printers and of CRDs: rendered from creationTimestamp."""
        return self.name.lower() == "age"


@dataclass(frozen=True, slots=True)
class ResourceRow:
    """One object as a table row: its cells (all columns, wide ones included) and its identity."""

    namespace: str
    name: str
    uid: str
    cells: tuple[str, ...]
    labels: Mapping[str, str]
    owners: tuple[tuple[str, str, str], ...]  # (kind, name, uid) of each ownerReference
    created: datetime | None
    deleting: bool = False

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"

    def owned_by(self, uid: str) -> bool:
        return any(owner[2] == uid for owner in self.owners)


def table_columns(table: Mapping) -> tuple[Column, ...]:
    """The column definitions of a Table response."""
    columns = []
    for definition in table.get("columnDefinitions") or ():
        if not isinstance(definition, Mapping):
            continue
        try:
            priority = int(definition.get("priority") or 0)
        except (TypeError, ValueError):
            priority = 0
        columns.append(Column(str(definition.get("name") or ""), str(definition.get("type") or "string"),
                              str(definition.get("format") or ""), priority))
    return tuple(columns)


def slim_item(row: Mapping) -> dict:
    """A Table row reduced to its cells and the metadata a view reads (a watch thread calls this)."""
    obj = row.get("object")
    metadata = (obj.get("metadata") if isinstance(obj, Mapping) else None) or {}
    return {"metadata": {key: metadata[key] for key in _METADATA_KEEP if key in metadata},
            "cells": row.get("cells") or []}


def resource_row(item: Mapping, columns: tuple[Column, ...]) -> ResourceRow:
    """The row of a slim item (`slim_item`). Raises ``ValueError`` for one without a name."""
    metadata = item.get("metadata") or {}
    name = metadata.get("name")
    if not name or not isinstance(name, str):
        raise ValueError("a table row without metadata.name (the server sent no object metadata)")
    raw_cells = item.get("cells") or []
    cells = tuple(cell_text(raw_cells[index]) if index < len(raw_cells) else ""
                  for index in range(len(columns)))
    labels = metadata.get("labels")
    owners = tuple((str(ref.get("kind") or ""), str(ref.get("name") or ""), str(ref.get("uid") or ""))
                   for ref in metadata.get("ownerReferences") or () if isinstance(ref, Mapping))
    return ResourceRow(
        namespace=str(metadata.get("namespace") or ""), name=name, uid=str(metadata.get("uid") or ""),
        cells=cells, labels=labels if isinstance(labels, Mapping) else _NO_LABELS, owners=owners,
        created=parse_timestamp(metadata.get("creationTimestamp")),
        deleting=bool(metadata.get("deletionTimestamp")))


def cell_text(value: object) -> str:
    """A cell as kubectl's table printer writes it (the one implementation, in `table_text`)."""
    return _kubectl_cell(value)
