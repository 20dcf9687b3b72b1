"""A live table of any kind: a `KeyedTable` of server-printed rows, sorted by any of the server's columns.

Key decisions: what is specific is `ServerColumns`, the columns of the server's Table: sorting
by a column compares numbers as numbers (integer columns) and AGE by creation time, and cells of
unlike types never meet (numbers before text); the `/` filter searches every cell but the
ticking AGE; STATUS is counted when there is such a column; a reset may bring new columns (a
sort they lack falls back to NAME). Rows are built in `ResourceBatch.from_events` (a watch thread
may call it); the UI thread only merges. Pure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from kubetui.model.durations import time_since
from kubetui.model.keyed_table import KeyedTable, TableChange, Upsert
from kubetui.model.table_rows import Column, ResourceRow, resource_row

__all__ = ["ResourceBatch", "ResourceTable", "ServerColumns", "TableChange", "sort_key_of"]

NAMESPACE = "namespace"
_UNKNOWN_AGE = float("inf")
_AGE_WIDTH, _UNKNOWN_AGE_WIDTH = 6, 9  # "99m59s" / "<unknown>": an AGE that ticks never reflows


def sort_key_of(column: Column) -> str:
    """The sort key a column answers to: its header in lower case ("name", "up-to-date")."""
    return column.name.lower()


@dataclass(frozen=True)
class ResourceBatch:
    """Rows computed from one or more watch batches, ready to merge into a `ResourceTable`."""

    reset: bool
    columns: tuple[Column, ...] = ()
    upserts: list[Upsert] = field(default_factory=list)  # (key, row, labels)
    deletes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @classmethod
    def from_events(cls, events, columns: tuple[Column, ...]) -> ResourceBatch:
        """Rows for a watch batch (``reset``, ``upserts`` slim items, ``deletes`` keys)."""
        upserts, skipped = [], []
        for item in events.upserts:
            try:
                row = resource_row(item, columns)
            except ValueError as exc:  # one bad row must not hide the others
                skipped.append(str(exc))
                continue
            upserts.append((row.key, row, row.labels))
        return cls(events.reset, columns, upserts, list(events.deletes), skipped)


class ServerColumns:
    """The columns of a server's Table: a row's sort values, search text, STATUS, cells and widths."""

    def __init__(self, columns: tuple[Column, ...] = ()) -> None:
        self.columns: tuple[Column, ...] = ()
        self.age_index: int | None = None  # the column that ticks: drawn from a time at `now`
        self._status_index: int | None = None
        self._widths: list[int] = []
        self._namespace_width = 0
        self._any_unknown_age = False
        self._set_columns(columns)

    def _set_columns(self, columns: tuple[Column, ...]) -> None:
        self.columns = tuple(columns)
        self.age_index = next((i for i, column in enumerate(self.columns) if column.is_age), None)
        self._status_index = next((i for i, column in enumerate(self.columns)
                                   if column.name.lower() == "status"), None)
        self._widths = [0] * len(self.columns)

    def has_sort_key(self, sort: str) -> bool:
        return sort in (NAMESPACE, "name") or any(sort_key_of(column) == sort for column in self.columns)

    # -- what the table asks ---------------------------------------------------------------
    def primary(self, sort: str) -> Callable[[ResourceRow], tuple]:
        if self.columns and not self.has_sort_key(sort):
            raise ValueError(f"no {sort.upper()} column to sort by")
        if sort == NAMESPACE:
            return _by_namespace
        index = next((i for i, column in enumerate(self.columns) if sort_key_of(column) == sort), None)
        if index is None:
            return _unsorted
        if index == self.age_index:
            return _youngest_first(index)
        return _by_number(index) if self.columns[index].numeric else _by_text(index)

    def text(self, row: ResourceRow) -> str:
        """What `/` searches: the namespace and every cell that does not tick."""
        age = self.age_index
        return " ".join([row.namespace, *(cell for i, cell in enumerate(row.cells) if i != age)])

    def same(self, old: ResourceRow, old_labels: Mapping[str, str], new: ResourceRow,
             new_labels: Mapping[str, str]) -> bool:
        return old == new  # the labels are part of the row

    def status(self, row: ResourceRow) -> str | None:
        index = self._status_index
        return None if index is None or index >= len(row.cells) else row.cells[index]

    def reset(self, batch: ResourceBatch) -> None:
        if batch.columns != self.columns:
            self._set_columns(batch.columns)
        self._widths = [0] * len(self.columns)
        self._namespace_width, self._any_unknown_age = 0, False

    def grow(self, row: ResourceRow) -> None:
        widths = self._widths
        for index, cell in enumerate(row.cells[:len(widths)]):
            if len(cell) > widths[index]:
                widths[index] = len(cell)
        if len(row.namespace) > self._namespace_width:
            self._namespace_width = len(row.namespace)
        self._any_unknown_age |= row.created is None

    def grow_all(self, rows: Sequence[ResourceRow]) -> None:
        for row in rows:
            self.grow(row)

    # -- what the view asks ------------------------------------------------------------------
    def cell(self, row: ResourceRow, index: int, now: datetime) -> str:
        """The text of column ``index`` of ``row`` at ``now``: AGE ticks from the creation time."""
        if index == self.age_index and row.created is not None:
            return time_since(row.created, now)
        return row.cells[index] if index < len(row.cells) else ""

    def width(self, index: int) -> int:
        """Widest cell of column ``index`` over all rows, its header included."""
        column = self.columns[index]
        if index == self.age_index:
            return max(len(column.header), _UNKNOWN_AGE_WIDTH if self._any_unknown_age else _AGE_WIDTH)
        return max(len(column.header), self._widths[index])

    def namespace_width(self) -> int:
        return max(len("NAMESPACE"), self._namespace_width)


class ResourceTable(KeyedTable[ResourceRow]):
    """All rows of one kind, the visible sorted view, counts by STATUS (when it has one), the cursor."""

    def __init__(self, columns: tuple[Column, ...] = (), sort: str = "name", reverse: bool = False, *,
                 server_columns: ServerColumns | None = None) -> None:
        self._server_columns = server_columns or ServerColumns(columns)
        super().__init__(self._server_columns, sort, reverse)
        # The columns' own method, not a wrapper: a view draws every cell on screen through it.
        self.cell: Callable[[ResourceRow, int, datetime], str] = self._server_columns.cell

    @property
    def columns(self) -> tuple[Column, ...]:
        return self._server_columns.columns

    @property
    def age_index(self) -> int | None:
        return self._server_columns.age_index

    def width(self, index: int) -> int:
        return self._server_columns.width(index)

    def namespace_width(self) -> int:
        return self._server_columns.namespace_width()

    def clear(self) -> TableChange:
        return self.apply(ResourceBatch(reset=True, columns=self.columns))


def _by_namespace(row: ResourceRow) -> tuple:
    return (1, row.namespace)


def _unsorted(row: ResourceRow) -> tuple:
    return (1, "")


def _youngest_first(index: int) -> Callable[[ResourceRow], tuple]:
    def primary(row: ResourceRow) -> tuple:  # as the pod table sorts AGE
        if index >= len(row.cells):
            return (1, "")
        return (0, -row.created.timestamp() if row.created is not None else _UNKNOWN_AGE)
    return primary


def _by_number(index: int) -> Callable[[ResourceRow], tuple]:
    def primary(row: ResourceRow) -> tuple:
        if index >= len(row.cells):
            return (1, "")
        text = row.cells[index]
        try:
            return (0, float(text))
        except ValueError:
            return (1, text)
    return primary


def _by_text(index: int) -> Callable[[ResourceRow], tuple]:
    def primary(row: ResourceRow) -> tuple:
        cells = row.cells
        return (1, cells[index]) if index < len(cells) else (1, "")
    return primary

