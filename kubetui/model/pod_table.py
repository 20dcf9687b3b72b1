"""The live pod table's state: a `KeyedTable` of kubectl's pod rows, with the pod table's sorts.

Key decisions: what is specific to pods is `PodColumns`: what `/` searches, the sort keys (AGE
youngest first, RESTARTS fewest first), which changes are worth a redraw (not the AGE/RESTARTS
texts, which views render from the instants) and the widths. Rows are computed from pod dicts in
`RowBatch.from_events`, which a watch thread can call, so the UI thread only merges. Pure: no
clock, no Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from typing import Any

from kubetui.model.keyed_table import KeyedTable, TableChange, Upsert
from kubetui.model.pod_status import PodRow, pod_row

__all__ = ["COLUMN_KEYS", "PodColumns", "PodTable", "PreparedRows", "RowBatch", "TableChange", "row_key", "row_text", "status_tone"]

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


# Rows built ahead of their batch (while the first list still arrives): uid -> (resourceVersion, row).
PreparedRows = Mapping[str, "tuple[str, PodRow]"]


@dataclass(frozen=True)
class RowBatch:
    """Rows computed from one or more watch batches, ready to merge into a `PodTable`."""

    reset: bool
    upserts: list[Upsert] = field(default_factory=list)  # (key, row, labels)
    deletes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # malformed pods: their error messages

    @classmethod
    def from_events(cls, events, now: datetime, prepared: PreparedRows | None = None) -> RowBatch:
        """Rows for a watch batch (anything with ``reset``, ``upserts`` pod dicts, ``deletes`` keys);
        a row in `prepared` for the same uid and resourceVersion is taken as it is."""
        upserts, skipped = [], []
        for pod in events.upserts:
            metadata = pod.get("metadata") or {}
            ready = prepared.get(metadata.get("uid") or "") if prepared else None
            if ready is not None and ready[0] == metadata.get("resourceVersion"):
                row = ready[1]
            else:
                try:
                    row = pod_row(pod, now)
                except ValueError as exc:  # one bad object must not hide the others
                    skipped.append(str(exc))
                    continue
            upserts.append((row_key(row), row, metadata.get("labels") or _NO_LABELS))
        return cls(reset=events.reset, upserts=upserts, deletes=list(events.deletes), skipped=skipped)


def _youngest_first(row: PodRow) -> float:
    return -row.created.timestamp() if row.created is not None else _UNKNOWN_AGE


_PRIMARY: dict[str, Callable[[PodRow], Any]] = {
    sort: _youngest_first if sort == "age" else attrgetter("restart_count" if sort == "restarts" else sort)
    for sort in COLUMN_KEYS.values()
}


class PodColumns:
    """What the pod table's columns make of a row: its search text, sort values, status and widths."""

    text = staticmethod(row_text)
    status = attrgetter("status")

    def __init__(self) -> None:
        self._widths: dict[str, int] = {}
        self._max_restarts = 0
        self._any_restart_time = False
        self._any_unknown_age = False

    def primary(self, sort: str) -> Callable[[PodRow], Any]:
        try:
            return _PRIMARY[sort]
        except KeyError:
            raise ValueError(f"unknown sort key {sort!r}") from None

    def same(self, old: PodRow, old_labels: Mapping[str, str], new: PodRow, new_labels: Mapping[str, str]) -> bool:
        return _same_content(old, new) and old_labels == new_labels

    def width(self, column: str) -> int:
        """Widest cell of a column over all rows (header included), for a stable layout."""
        if column == "RESTARTS":
            digits = len(str(self._max_restarts))
            return max(len(column), digits + (len(" (99m59s ago)") if self._any_restart_time else 0))
        if column == "AGE":
            return 9 if self._any_unknown_age else 6
        return max(len(column), self._widths.get(COLUMN_KEYS[column], 0))

    def reset(self, batch: RowBatch) -> None:
        self._widths, self._max_restarts = {}, 0
        self._any_restart_time = self._any_unknown_age = False

    def grow(self, row: PodRow) -> None:
        widths = self._widths
        for column, value in (("namespace", row.namespace), ("name", row.name), ("ready", row.ready),
                              ("status", row.status), ("ip", row.ip), ("node", row.node)):
            if len(value) > widths.get(column, 0):
                widths[column] = len(value)
        self._max_restarts = max(self._max_restarts, row.restart_count)
        self._any_restart_time |= row.last_restart is not None and row.restart_count > 0
        self._any_unknown_age |= row.created is None

    def grow_all(self, rows: Sequence[PodRow]) -> None:
        """`grow` for each row, in one C-level pass per column: on the UI thread, right after the
        first list, 10,000 calls of `grow` were ~30 ms of the wait for the first frame."""
        if not rows:
            return
        widths = self._widths
        for column in ("namespace", "name", "ready", "status", "ip", "node"):
            longest = max(map(len, map(attrgetter(column), rows)))
            if longest > widths.get(column, 0):
                widths[column] = longest
        self._max_restarts = max(self._max_restarts, max(map(attrgetter("restart_count"), rows)))
        self._any_restart_time |= any(row.last_restart is not None and row.restart_count > 0 for row in rows)
        self._any_unknown_age |= None in map(attrgetter("created"), rows)


class PodTable(KeyedTable[PodRow]):
    """All pods, the visible sorted view, counts by STATUS and the cursor."""

    def __init__(self, sort: str = "name", reverse: bool = False) -> None:
        self._pod_columns = PodColumns()
        super().__init__(self._pod_columns, sort, reverse)

    def width(self, column: str) -> int:
        """Widest cell of a column over all rows (header included), for a stable layout."""
        return self._pod_columns.width(column)

    def clear(self) -> TableChange:
        """Forget every row (switching namespace or context)."""
        return self.apply(RowBatch(reset=True))


def _same_content(old: PodRow, new: PodRow) -> bool:
    """Equal apart from the AGE/RESTARTS texts, which views re-render from the instants anyway."""
    return (old.status == new.status and old.ready == new.ready and old.restart_count == new.restart_count
            and old.last_restart == new.last_restart and old.ip == new.ip and old.node == new.node
            and old.created == new.created and old.nominated_node == new.nominated_node
            and old.readiness_gates == new.readiness_gates and old.uid == new.uid)
