"""A live table's state: rows keyed `namespace/name`, a sorted filtered view, a stable cursor.

Key decisions: the view is a list of sort tuples ``(primary, name, namespace)`` kept sorted with
``bisect``, so one watch change costs a binary search and a memmove, never a re-sort of 10,000
rows; a reverse sort is an index mapping over the same list, not a second order. The cursor is
a key, not an index, so it stays on the same row through updates and re-sorts (when its row
vanishes it stays at the same height). What differs between the pod table and the resource
tables (what `/` searches, the sort orders, which changes show, the STATUS counted, the column
widths) is a `TableColumns` the table is given, not a subclass hook. Batches arrive with each
row's key and labels computed on the watch thread, so the UI thread only merges. Pure.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from kubetui.model.row_filter import RowFilter

__all__ = ["KeyedTable", "TableChange", "TableColumns", "Upsert"]


class _NamedRow(Protocol):
    @property
    def namespace(self) -> str: ...

    @property
    def name(self) -> str: ...


Row = TypeVar("Row", bound=_NamedRow)
RowIn = TypeVar("RowIn", bound=_NamedRow, contravariant=True)
Upsert = tuple[str, Any, Mapping[str, str]]  # (key, row, labels), as a batch carries them


class TableColumns(Protocol[RowIn]):
    """What a `KeyedTable` asks of the rows it holds; the columns keep their widths themselves."""

    def primary(self, sort: str) -> Callable[[RowIn], Any]:
        """The first element of a row's sort tuple under ``sort``; ValueError if there is no such sort."""

    def text(self, row: RowIn) -> str:
        """What the `/` filter searches."""

    def same(self, old: RowIn, old_labels: Mapping[str, str], new: RowIn, new_labels: Mapping[str, str]) -> bool:
        """Whether ``new`` would look as ``old`` does (then nothing is redrawn)."""

    def status(self, row: RowIn) -> str | None:
        """What `counts` counts the row under; None: not counted."""

    def grow(self, row: RowIn) -> None:
        """Widen the columns to fit ``row``: widths only grow, so the layout does not jump."""

    def grow_all(self, rows: Sequence[RowIn]) -> None:
        """`grow` for every row of a reset (a first list of 10,000 rows: it may do it in bulk)."""

    def reset(self, batch) -> None:
        """Every row is about to be replaced by ``batch``'s: forget the widths (and take its columns)."""


@dataclass
class TableChange:
    """What one `apply` changed, so a view redraws only that."""

    changed: set[str] = field(default_factory=set)  # keys added or whose cells changed
    removed: set[str] = field(default_factory=set)
    order_changed: bool = False  # rows moved, appeared or vanished in the view
    counts_changed: bool = False

    def __bool__(self) -> bool:
        return bool(self.changed or self.removed or self.order_changed)

    def merge(self, later: TableChange) -> None:
        """Add what a later `apply` changed, so one redraw covers both."""
        self.changed -= later.removed
        self.changed |= later.changed
        self.removed -= later.changed
        self.removed |= later.removed
        self.order_changed |= later.order_changed
        self.counts_changed |= later.counts_changed


@dataclass(slots=True)
class _Entry:
    row: Any
    labels: Mapping[str, str]
    text: str
    position: tuple | None = None  # its sort tuple while it is in the view, else None


class KeyedTable(Generic[Row]):
    """All rows, the visible sorted view, counts by status and the cursor."""

    def __init__(self, columns: TableColumns[Row], sort: str, reverse: bool) -> None:
        self._table_columns = columns
        self._entries: dict[str, _Entry] = {}
        self._view: list[tuple] = []
        self._sort, self._reverse = sort, reverse
        self._primary: Callable[[Row], Any]
        self._take_sort()
        self._filter = RowFilter(text="")
        self._cursor_key: str | None = None
        self.counts: Counter[str] = Counter()

    # -- reading -------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def keys(self) -> list[str]:
        """Every row's key (`namespace/name`), filtered or not."""
        return list(self._entries)

    @property
    def visible_count(self) -> int:
        return len(self._view)

    @property
    def sort(self) -> tuple[str, bool]:
        return self._sort, self._reverse

    @property
    def filter(self) -> RowFilter:
        return self._filter

    def row(self, key: str) -> Row | None:
        entry = self._entries.get(key)
        return entry.row if entry else None

    def key_at(self, index: int) -> str | None:
        if not 0 <= index < len(self._view):
            return None
        position = self._view[len(self._view) - 1 - index if self._reverse else index]
        return f"{position[2]}/{position[1]}"

    def row_at(self, index: int) -> Row | None:
        key = self.key_at(index)
        return self._entries[key].row if key else None

    def index_of(self, key: str | None) -> int | None:
        entry = self._entries.get(key) if key else None
        if entry is None or entry.position is None:
            return None
        found = bisect_left(self._view, entry.position)
        return len(self._view) - 1 - found if self._reverse else found

    def visible_keys(self) -> list[str]:
        return [key for index in range(len(self._view)) if (key := self.key_at(index)) is not None]

    # -- cursor --------------------------------------------------------------------------
    @property
    def cursor_key(self) -> str | None:
        return self._cursor_key

    @property
    def cursor_index(self) -> int:
        """The cursor's row in the view; 0 when the view is empty."""
        index = self.index_of(self._cursor_key)
        return 0 if index is None else index

    def set_cursor(self, index: int) -> None:
        if self._view:
            self._cursor_key = self.key_at(max(0, min(index, len(self._view) - 1)))

    def move_cursor(self, delta: int) -> None:
        self.set_cursor(self.cursor_index + delta)

    def select(self, key: str) -> bool:
        """Put the cursor on ``key`` if it is visible."""
        if self.index_of(key) is None:
            return False
        self._cursor_key = key
        return True

    def _settle_cursor(self, previous_index: int) -> None:
        if self.index_of(self._cursor_key) is None:
            self._cursor_key = None
            self.set_cursor(previous_index)

    # -- changing ------------------------------------------------------------------------
    def apply(self, batch) -> TableChange:
        """Merge a batch (``reset``, ``upserts``, ``deletes``); a reset replaces every row. What changed."""
        previous_cursor = self.cursor_index
        change = self._apply_reset(batch) if batch.reset else self._apply_changes(batch.upserts, batch.deletes)
        self._settle_cursor(previous_cursor)
        return change

    def set_sort(self, sort: str, reverse: bool = False) -> None:
        primary = self._table_columns.primary(sort)  # refuses a sort these columns lack
        if sort != self._sort:
            self._sort, self._primary = sort, primary
            self._rebuild_view()
        self._reverse = reverse

    def sort_by(self, sort: str) -> None:
        """Sort by ``sort``; asking for the current key again reverses the direction."""
        self.set_sort(sort, not self._reverse if sort == self._sort else False)

    def set_filter(self, row_filter: RowFilter) -> None:
        previous_cursor = self.cursor_index
        self._filter = row_filter
        self._rebuild_view()
        self._settle_cursor(previous_cursor)

    def _take_sort(self) -> None:
        """Sort as asked if the columns can, else by NAME (new columns may lack the old sort)."""
        try:
            self._primary = self._table_columns.primary(self._sort)
        except ValueError:
            self._sort, self._reverse = "name", False
            self._primary = self._table_columns.primary("name")

    def _apply_reset(self, batch) -> TableChange:
        columns = self._table_columns
        columns.reset(batch)  # before the rows: their search text may depend on new columns
        self._take_sort()
        same, text = columns.same, columns.text
        old = self._entries
        self._entries = entries = {}
        change = TableChange(order_changed=True, counts_changed=True)
        for key, row, labels in batch.upserts:
            previous = old.get(key)
            if previous is None or not same(previous.row, previous.labels, row, labels):
                change.changed.add(key)
            entries[key] = _Entry(row, labels, text(row))
        change.removed = set(old) - set(entries)
        rows = [entry.row for entry in entries.values()]
        self.counts = Counter(status for status in map(columns.status, rows) if status is not None)
        columns.grow_all(rows)
        self._rebuild_view()
        return change

    def _apply_changes(self, upserts: Iterable[Upsert], deletes: Iterable[str]) -> TableChange:
        change = TableChange()
        for key, row, labels in upserts:
            self._upsert(key, row, labels, change)
        for key in deletes:
            entry = self._entries.pop(key, None)
            if entry is None:
                continue
            change.removed.add(key)
            change.changed.discard(key)
            self._count(self._table_columns.status(entry.row), -1)
            change.counts_changed = True
            if entry.position is not None:
                del self._view[bisect_left(self._view, entry.position)]
                change.order_changed = True
        return change

    def _upsert(self, key: str, row: Row, labels: Mapping[str, str], change: TableChange) -> None:
        columns = self._table_columns
        entry = self._entries.get(key)
        if entry is not None and columns.same(entry.row, entry.labels, row, labels):
            entry.row = row  # newer instants behind the ticking cells, the same appearance otherwise
            return
        change.changed.add(key)
        change.removed.discard(key)
        status = columns.status(row)
        if entry is None:
            entry = self._entries[key] = _Entry(row, labels, columns.text(row))
            self._count(status, 1)
            change.counts_changed = True
        else:
            previous_status = columns.status(entry.row)
            if previous_status != status:
                self._count(previous_status, -1)
                self._count(status, 1)
                change.counts_changed = True
            entry.row, entry.labels, entry.text = row, labels, columns.text(row)
        columns.grow(row)
        position = (self._primary(row), row.name, row.namespace) if self._filter.matches(entry.text, labels) else None
        if position == entry.position:
            return
        if entry.position is not None:
            del self._view[bisect_left(self._view, entry.position)]
        if position is not None:
            insort(self._view, position)
        entry.position = position
        change.order_changed = True

    def _count(self, status: str | None, delta: int) -> None:
        if status is None:
            return
        self.counts[status] += delta
        if self.counts[status] <= 0:
            del self.counts[status]

    def _rebuild_view(self) -> None:
        matches, primary = self._filter.matches, self._primary
        view = []
        for entry in self._entries.values():
            row = entry.row
            entry.position = (primary(row), row.name, row.namespace) if matches(entry.text, entry.labels) else None
            if entry.position is not None:
                view.append(entry.position)
        view.sort()
        self._view = view
