"""The live pod table's state: rows keyed `namespace/name`, a sorted filtered view, a stable cursor.

Key decisions: the view is a list of sort tuples ``(primary, name, namespace)`` kept sorted with
``bisect``, so one watch change costs a binary search and a memmove, never a re-sort of 10,000
rows; a reverse sort is an index mapping over the same list, not a second order. The cursor is
a key, not an index, so it stays on the same pod through updates and re-sorts (when its pod
vanishes it stays at the same height). Rows are computed from pod dicts in `RowBatch.from_events`,
which a watch thread can call, so the UI thread only merges. Pure: no clock, no Textual.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from kubetui.model.pod_status import PodRow, pod_row
from kubetui.model.row_filter import RowFilter

__all__ = ["COLUMN_KEYS", "PodTable", "RowBatch", "TableChange", "row_key", "row_text", "status_tone"]

# Column header -> sort key name. AGE sorts youngest first, RESTARTS fewest first.
COLUMN_KEYS = {
    "NAMESPACE": "namespace", "NAME": "name", "READY": "ready", "STATUS": "status",
    "RESTARTS": "restarts", "AGE": "age", "IP": "ip", "NODE": "node",
}
_NO_LABELS: Mapping[str, str] = {}
_UNKNOWN_AGE = float("inf")

_ERROR_STATUSES = frozenset({
    "Error", "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "ErrImageNeverPull",
    "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "RunContainerError",
    "OOMKilled", "ContainerStatusUnknown", "Evicted", "Failed", "StartError",
})
_PENDING_STATUSES = frozenset({"Pending", "ContainerCreating", "PodInitializing", "SchedulingGated"})


def status_tone(status: str) -> str:
    """How a STATUS cell is coloured: "ok", "pending", "error", "done", "terminating" or ""."""
    if status == "Running":
        return "ok"
    if status == "Completed":
        return "done"
    if status == "Terminating":
        return "terminating"
    reason = status[5:] if status.startswith("Init:") else status
    if reason in _ERROR_STATUSES or reason.startswith(("Signal:", "ExitCode:")):
        return "error"
    if status in _PENDING_STATUSES or status.startswith("Init:"):
        return "pending"
    return ""


def row_key(row: PodRow) -> str:
    return f"{row.namespace}/{row.name}"


def row_text(row: PodRow) -> str:
    """What the `/` regex searches: the row's cells that do not tick with the clock."""
    return " ".join((row.namespace, row.name, row.ready, row.status, str(row.restart_count),
                     row.ip, row.node))


@dataclass(frozen=True)
class RowBatch:
    """Rows computed from one or more watch batches, ready to merge into a `PodTable`."""

    reset: bool
    upserts: list[tuple[PodRow, Mapping[str, str]]] = field(default_factory=list)
    deletes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # malformed pods: their error messages

    @classmethod
    def from_events(cls, events, now: datetime) -> RowBatch:
        """Rows for a watch batch (anything with ``reset``, ``upserts`` pod dicts, ``deletes`` keys)."""
        upserts, skipped = [], []
        for pod in events.upserts:
            try:
                row = pod_row(pod, now)
            except ValueError as exc:  # one bad object must not hide the others
                skipped.append(str(exc))
                continue
            labels = (pod.get("metadata") or {}).get("labels") or _NO_LABELS
            upserts.append((row, labels))
        return cls(reset=events.reset, upserts=upserts, deletes=list(events.deletes), skipped=skipped)


@dataclass
class TableChange:
    """What one `apply` changed, so a view redraws only that."""

    changed: set[str] = field(default_factory=set)  # keys added or whose cells changed
    removed: set[str] = field(default_factory=set)
    order_changed: bool = False  # rows moved, appeared or vanished in the view
    counts_changed: bool = False

    def __bool__(self) -> bool:
        return bool(self.changed or self.removed or self.order_changed)


@dataclass(slots=True)
class _Entry:
    row: PodRow
    labels: Mapping[str, str]
    text: str
    position: tuple | None = None  # its sort tuple while it is in the view, else None


class PodTable:
    """All rows, the visible sorted view, counts by status and the cursor."""

    def __init__(self, sort: str = "name", reverse: bool = False) -> None:
        self._entries: dict[str, _Entry] = {}
        self._view: list[tuple] = []
        self._sort = sort
        self._reverse = reverse
        self._filter = RowFilter(text="")
        self._cursor_key: str | None = None
        self.counts: Counter[str] = Counter()
        self._widths: dict[str, int] = {}
        self._max_restarts = 0
        self._any_restart_time = False
        self._any_unknown_age = False

    # -- reading -------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def keys(self) -> list[str]:
        """Every row's `namespace/name`, filtered or not."""
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

    def row(self, key: str) -> PodRow | None:
        entry = self._entries.get(key)
        return entry.row if entry else None

    def key_at(self, index: int) -> str | None:
        if not 0 <= index < len(self._view):
            return None
        position = self._view[len(self._view) - 1 - index if self._reverse else index]
        return f"{position[2]}/{position[1]}"

    def row_at(self, index: int) -> PodRow | None:
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

    def width(self, column: str) -> int:
        """Widest cell of a column over all rows (header included), for a stable layout."""
        if column == "RESTARTS":
            digits = len(str(self._max_restarts))
            return max(len(column), digits + (len(" (99m59s ago)") if self._any_restart_time else 0))
        if column == "AGE":
            return 9 if self._any_unknown_age else 6
        return max(len(column), self._widths.get(COLUMN_KEYS[column], 0))

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
    def apply(self, batch: RowBatch) -> TableChange:
        """Merge a batch of rows; a reset batch replaces every row. Returns what changed."""
        previous_cursor = self.cursor_index
        change = self._apply_reset(batch) if batch.reset else self._apply_changes(batch)
        self._settle_cursor(previous_cursor)
        return change

    def clear(self) -> TableChange:
        """Forget every row (switching namespace or context)."""
        return self.apply(RowBatch(reset=True))

    def set_sort(self, sort: str, reverse: bool = False) -> None:
        if sort not in COLUMN_KEYS.values():
            raise ValueError(f"unknown sort key {sort!r}")
        if sort != self._sort:
            self._sort = sort
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

    def _apply_reset(self, batch: RowBatch) -> TableChange:
        old = self._entries
        self._entries = {}
        change = TableChange(order_changed=True, counts_changed=True)
        for row, labels in batch.upserts:
            key = row_key(row)
            previous = old.get(key)
            if previous is None or not _same_content(previous.row, row) or previous.labels != labels:
                change.changed.add(key)
            self._entries[key] = _Entry(row, labels, row_text(row))
        change.removed = set(old) - set(self._entries)
        self.counts = Counter(entry.row.status for entry in self._entries.values())
        self._widths, self._max_restarts = {}, 0
        self._any_restart_time = self._any_unknown_age = False
        for entry in self._entries.values():
            self._grow_widths(entry.row)
        self._rebuild_view()
        return change

    def _apply_changes(self, batch: RowBatch) -> TableChange:
        change = TableChange()
        for row, labels in batch.upserts:
            self._upsert(row_key(row), row, labels, change)
        for key in batch.deletes:
            entry = self._entries.pop(key, None)
            if entry is None:
                continue
            change.removed.add(key)
            change.changed.discard(key)
            self._decount(entry.row.status, change)
            if entry.position is not None:
                del self._view[bisect_left(self._view, entry.position)]
                change.order_changed = True
        return change

    def _upsert(self, key: str, row: PodRow, labels: Mapping[str, str], change: TableChange) -> None:
        entry = self._entries.get(key)
        if entry is not None and _same_content(entry.row, row) and entry.labels == labels:
            entry.row = row  # newer instants for the ticking cells, same appearance otherwise
            return
        change.changed.add(key)
        change.removed.discard(key)
        if entry is None:
            entry = self._entries[key] = _Entry(row, labels, row_text(row))
            self.counts[row.status] += 1
            change.counts_changed = True
        else:
            if entry.row.status != row.status:
                self._decount(entry.row.status, change)
                self.counts[row.status] += 1
            entry.row, entry.labels, entry.text = row, labels, row_text(row)
        self._grow_widths(row)
        position = self._position(entry) if self._filter.matches(entry.text, labels) else None
        if position == entry.position:
            return
        if entry.position is not None:
            del self._view[bisect_left(self._view, entry.position)]
        if position is not None:
            insort(self._view, position)
        entry.position = position
        change.order_changed = True

    def _decount(self, status: str, change: TableChange) -> None:
        self.counts[status] -= 1
        if self.counts[status] <= 0:
            del self.counts[status]
        change.counts_changed = True

    def _rebuild_view(self) -> None:
        matches = self._filter.matches
        view = []
        for entry in self._entries.values():
            entry.position = self._position(entry) if matches(entry.text, entry.labels) else None
            if entry.position is not None:
                view.append(entry.position)
        view.sort()
        self._view = view

    def _position(self, entry: _Entry) -> tuple:
        row = entry.row
        return (_primary(self._sort, row), row.name, row.namespace)

    def _grow_widths(self, row: PodRow) -> None:
        widths = self._widths
        for column, value in (("namespace", row.namespace), ("name", row.name), ("ready", row.ready),
                              ("status", row.status), ("ip", row.ip), ("node", row.node)):
            if len(value) > widths.get(column, 0):
                widths[column] = len(value)
        self._max_restarts = max(self._max_restarts, row.restart_count)
        self._any_restart_time |= row.last_restart is not None and row.restart_count > 0
        self._any_unknown_age |= row.created is None


def _primary(sort: str, row: PodRow):
    if sort == "age":  # youngest first: the latest creation time first
        return -row.created.timestamp() if row.created is not None else _UNKNOWN_AGE
    if sort == "restarts":
        return row.restart_count
    return getattr(row, sort)


def _same_content(old: PodRow, new: PodRow) -> bool:
    """Equal apart from the AGE/RESTARTS texts, which views re-render from the instants anyway."""
    return (old.status == new.status and old.ready == new.ready and old.restart_count == new.restart_count
            and old.last_restart == new.last_restart and old.ip == new.ip and old.node == new.node
            and old.created == new.created and old.nominated_node == new.nominated_node
            and old.readiness_gates == new.readiness_gates and old.uid == new.uid)

