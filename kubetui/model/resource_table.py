"""A live table of any kind: server-printed rows keyed `namespace/name`, sorted, filtered, a stable cursor.

Key decisions: the same shape as `PodTable` (a bisect-sorted view of sort tuples, a reverse sort
mapped over the same list, the cursor kept by key, widths that only grow), but the columns come
from the server's Table, so sorting by a column compares numbers as numbers (integer columns)
and AGE by creation time, and cells of unlike types never meet (numbers before text). The `/`
filter is `RowFilter`, searching every cell but the ticking AGE. Rows are built in
`ResourceBatch.from_events` (a watch thread may call it); the UI thread only merges. Pure.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter
from dataclasses import dataclass, field

from kubetui.model.durations import time_since
from kubetui.model.pod_table import TableChange
from kubetui.model.row_filter import RowFilter
from kubetui.model.table_rows import Column, ResourceRow, resource_row

__all__ = ["ResourceBatch", "ResourceTable", "TableChange", "sort_key_of"]

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
    upserts: list[ResourceRow] = field(default_factory=list)
    deletes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @classmethod
    def from_events(cls, events, columns: tuple[Column, ...]) -> ResourceBatch:
        """Rows for a watch batch (``reset``, ``upserts`` slim items, ``deletes`` keys)."""
        upserts, skipped = [], []
        for item in events.upserts:
            try:
                upserts.append(resource_row(item, columns))
            except ValueError as exc:  # one bad row must not hide the others
                skipped.append(str(exc))
        return cls(events.reset, columns, upserts, list(events.deletes), skipped)


@dataclass(slots=True)
class _Entry:
    row: ResourceRow
    text: str
    position: tuple | None = None


class ResourceTable:
    """All rows of one kind, the visible sorted view, counts by STATUS (when it has one), the cursor."""

    def __init__(self, columns: tuple[Column, ...] = (), sort: str = "name", reverse: bool = False) -> None:
        self._entries: dict[str, _Entry] = {}
        self._view: list[tuple] = []
        self._columns: tuple[Column, ...] = ()
        self._sort, self._reverse = sort, reverse
        self._sort_index: int | None = None
        self._filter = RowFilter(text="")
        self._cursor_key: str | None = None
        self.counts: Counter[str] = Counter()
        self._widths: list[int] = []
        self._namespace_width = 0
        self._any_unknown_age = False
        self._age_index: int | None = None
        self._status_index: int | None = None
        self._set_columns(columns)

    # -- reading -------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def keys(self) -> list[str]:
        """Every row's `namespace/name`, filtered or not."""
        return list(self._entries)

    @property
    def columns(self) -> tuple[Column, ...]:
        return self._columns

    @property
    def visible_count(self) -> int:
        return len(self._view)

    @property
    def sort(self) -> tuple[str, bool]:
        return self._sort, self._reverse

    @property
    def filter(self) -> RowFilter:
        return self._filter

    def has_sort_key(self, sort: str) -> bool:
        return sort in (NAMESPACE, "name") or any(sort_key_of(column) == sort for column in self._columns)

    def row(self, key: str) -> ResourceRow | None:
        entry = self._entries.get(key)
        return entry.row if entry else None

    def rows(self) -> list[ResourceRow]:
        return [entry.row for entry in self._entries.values()]

    def key_at(self, index: int) -> str | None:
        if not 0 <= index < len(self._view):
            return None
        position = self._view[len(self._view) - 1 - index if self._reverse else index]
        return f"{position[2]}/{position[1]}"

    def row_at(self, index: int) -> ResourceRow | None:
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

    def cell(self, row: ResourceRow, index: int, now) -> str:
        """The text of column ``index`` of ``row`` at ``now``: AGE ticks from the creation time."""
        if index == self._age_index and row.created is not None:
            return time_since(row.created, now)
        return row.cells[index] if index < len(row.cells) else ""

    @property
    def age_index(self) -> int | None:
        return self._age_index

    def width(self, index: int) -> int:
        """Widest cell of column ``index`` over all rows, its header included."""
        column = self._columns[index]
        if index == self._age_index:
            return max(len(column.header), _UNKNOWN_AGE_WIDTH if self._any_unknown_age else _AGE_WIDTH)
        return max(len(column.header), self._widths[index])

    def namespace_width(self) -> int:
        return max(len("NAMESPACE"), self._namespace_width)

    # -- cursor --------------------------------------------------------------------------
    @property
    def cursor_key(self) -> str | None:
        return self._cursor_key

    @property
    def cursor_index(self) -> int:
        index = self.index_of(self._cursor_key)
        return 0 if index is None else index

    def set_cursor(self, index: int) -> None:
        if self._view:
            self._cursor_key = self.key_at(max(0, min(index, len(self._view) - 1)))

    def move_cursor(self, delta: int) -> None:
        self.set_cursor(self.cursor_index + delta)

    def select(self, key: str) -> bool:
        if self.index_of(key) is None:
            return False
        self._cursor_key = key
        return True

    def _settle_cursor(self, previous_index: int) -> None:
        if self.index_of(self._cursor_key) is None:
            self._cursor_key = None
            self.set_cursor(previous_index)

    # -- changing ------------------------------------------------------------------------
    def apply(self, batch: ResourceBatch) -> TableChange:
        """Merge a batch; a reset batch replaces every row (and the columns). Returns what changed."""
        previous_cursor = self.cursor_index
        if batch.reset:
            change = self._apply_reset(batch)
        else:
            change = self._apply_changes(batch)
        self._settle_cursor(previous_cursor)
        return change

    def clear(self) -> TableChange:
        return self.apply(ResourceBatch(reset=True, columns=self._columns))

    def set_sort(self, sort: str, reverse: bool = False) -> None:
        if self._columns and not self.has_sort_key(sort):
            raise ValueError(f"no {sort.upper()} column to sort by")
        if sort != self._sort:
            self._sort = sort
            self._sort_index = self._index_of_sort(sort)
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

    def _set_columns(self, columns: tuple[Column, ...]) -> None:
        self._columns = tuple(columns)
        self._age_index = next((i for i, column in enumerate(self._columns) if column.is_age), None)
        self._status_index = next((i for i, column in enumerate(self._columns)
                                   if column.name.lower() == "status"), None)
        if self._columns and not self.has_sort_key(self._sort):  # the new columns lack it: back to NAME
            self._sort, self._reverse = "name", False
        self._sort_index = self._index_of_sort(self._sort)

    def _index_of_sort(self, sort: str) -> int | None:
        if sort == NAMESPACE:
            return None
        return next((i for i, column in enumerate(self._columns) if sort_key_of(column) == sort), None)

    def _apply_reset(self, batch: ResourceBatch) -> TableChange:
        old = self._entries
        if batch.columns != self._columns:
            self._set_columns(batch.columns)
        self._entries = {}
        change = TableChange(order_changed=True, counts_changed=True)
        for row in batch.upserts:
            key = row.key
            previous = old.get(key)
            if previous is None or previous.row != row:
                change.changed.add(key)
            self._entries[key] = _Entry(row, self._text(row))
        change.removed = set(old) - set(self._entries)
        self._widths = [0] * len(self._columns)
        self._namespace_width, self._any_unknown_age = 0, False
        self.counts = Counter()
        for entry in self._entries.values():
            self._grow_widths(entry.row)
            self._count(entry.row, 1)
        self._rebuild_view()
        return change

    def _apply_changes(self, batch: ResourceBatch) -> TableChange:
        change = TableChange()
        for row in batch.upserts:
            self._upsert(row, change)
        for key in batch.deletes:
            entry = self._entries.pop(key, None)
            if entry is None:
                continue
            change.removed.add(key)
            change.changed.discard(key)
            self._count(entry.row, -1)
            change.counts_changed = True
            if entry.position is not None:
                del self._view[bisect_left(self._view, entry.position)]
                change.order_changed = True
        return change

    def _upsert(self, row: ResourceRow, change: TableChange) -> None:
        key = row.key
        entry = self._entries.get(key)
        if entry is not None and entry.row == row:
            return
        change.changed.add(key)
        change.removed.discard(key)
        if entry is None:
            entry = self._entries[key] = _Entry(row, self._text(row))
            change.counts_changed = True
        else:
            self._count(entry.row, -1)
            entry.row, entry.text = row, self._text(row)
        self._count(row, 1)
        self._grow_widths(row)
        position = self._position(row) if self._filter.matches(entry.text, row.labels) else None
        if position == entry.position:
            return
        if entry.position is not None:
            del self._view[bisect_left(self._view, entry.position)]
        if position is not None:
            insort(self._view, position)
        entry.position = position
        change.order_changed = True

    def _count(self, row: ResourceRow, delta: int) -> None:
        if self._status_index is None or self._status_index >= len(row.cells):
            return
        status = row.cells[self._status_index]
        self.counts[status] += delta
        if self.counts[status] <= 0:
            del self.counts[status]

    def _rebuild_view(self) -> None:
        matches = self._filter.matches
        view = []
        for entry in self._entries.values():
            entry.position = self._position(entry.row) if matches(entry.text, entry.row.labels) else None
            if entry.position is not None:
                view.append(entry.position)
        view.sort()
        self._view = view

    def _position(self, row: ResourceRow) -> tuple:
        return (self._primary(row), row.name, row.namespace)

    def _primary(self, row: ResourceRow) -> tuple:
        index = self._sort_index
        if self._sort == NAMESPACE:
            return (1, row.namespace)
        if index is None or index >= len(row.cells):
            return (1, "")
        if index == self._age_index:  # youngest first, as the pod table sorts AGE
            return (0, -row.created.timestamp() if row.created is not None else _UNKNOWN_AGE)
        text = row.cells[index]
        if self._columns[index].numeric:
            try:
                return (0, float(text))
            except ValueError:
                pass
        return (1, text)

    def _text(self, row: ResourceRow) -> str:
        """What `/` searches: the namespace and every cell that does not tick."""
        age = self._age_index
        return " ".join([row.namespace, *(cell for i, cell in enumerate(row.cells) if i != age)])

    def _grow_widths(self, row: ResourceRow) -> None:
        widths = self._widths
        for index, cell in enumerate(row.cells[:len(widths)]):
            if len(cell) > widths[index]:
                widths[index] = len(cell)
        if len(row.namespace) > self._namespace_width:
            self._namespace_width = len(row.namespace)
        self._any_unknown_age |= row.created is None
