"""The events of one object as `kubectl events` prints them: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE.

Key decisions: rows are `ResourceRow`s (so the resource views' table, filter and cursor serve
them) that also carry the times LAST SEEN is made of; `EventTable` draws LAST SEEN from them at
`now`, so it ticks like AGE (`4s (x5 over 8s)` for a repeated event, as kubectl's `getInterval`),
and sorts by kubectl's event time (the series' last observation, else the last timestamp, else
the event time): oldest first, the newest last, where the eye ends. The field selector that
narrows events to one object is here too: by uid for namespaced objects (a pod recreated under
the same name is another object), by kind and name for cluster-scoped ones (kubelets report a
node under its name). Pure: dicts in, rows and text out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from kubetui.model.durations import parse_timestamp, time_since
from kubetui.model.keyed_table import Upsert
from kubetui.model.resource_table import ResourceBatch, ResourceTable, ServerColumns
from kubetui.model.table_rows import Column, ResourceRow, cell_text

__all__ = ["EVENT_COLUMNS", "EventColumns", "EventRow", "EventTable", "event_batch", "event_row", "events_selector",
           "last_seen_text", "slim_event"]

EVENT_COLUMNS = (Column("Last Seen"), Column("Type"), Column("Reason"), Column("Object"), Column("Message"))
LAST_SEEN, TYPE = 0, 1
_LAST_SEEN_SORT = "last seen"
_DURATION_WIDTH = 6  # the widest HumanDuration ("2y364d", "59m59s" is 6 too)
_NO_LABELS: dict = {}
_KEEP = ("type", "reason", "message", "count", "firstTimestamp", "lastTimestamp", "eventTime", "series",
         "involvedObject")
_METADATA_KEEP = ("name", "namespace", "uid", "resourceVersion")


@dataclass(frozen=True, slots=True)
class EventRow(ResourceRow):
    """An event's row; ``created`` is its sort time (kubectl's `eventTime`)."""

    first_seen: datetime | None = None
    last_seen: datetime | None = None
    repeated: int = 0  # the count when kubectl prints `(xN over FIRST)`, else 0


def slim_event(event: dict) -> dict:
    """What a row needs of an event (a watch thread calls this on every event)."""
    metadata = event.get("metadata") or {}
    slim = {key: event[key] for key in _KEEP if key in event}
    slim["metadata"] = {key: metadata[key] for key in _METADATA_KEEP if key in metadata}
    return slim


def event_row(event: dict) -> EventRow:
    """The row of one Event (a plain dict). Raises ``ValueError`` for one without a name."""
    metadata = event.get("metadata") or {}
    name = metadata.get("name")
    if not name or not isinstance(name, str):
        raise ValueError("an event without metadata.name")
    involved = event.get("involvedObject") or {}
    event_time = parse_timestamp(event.get("eventTime"))
    first = event_time or parse_timestamp(event.get("firstTimestamp"))
    series = event.get("series")
    count = event.get("count")
    if isinstance(series, dict):
        last, repeated = parse_timestamp(series.get("lastObservedTime")), _int(series.get("count"))
        repeated = repeated or 1  # kubectl prints the series' count whatever it is
    elif isinstance(count, int) and count > 1:
        last, repeated = parse_timestamp(event.get("lastTimestamp")), count
    else:
        last, repeated = None, 0
    sort_time = (parse_timestamp((series or {}).get("lastObservedTime")) if isinstance(series, dict)
                 else parse_timestamp(event.get("lastTimestamp")) or event_time)
    cells = ("", cell_text(_text(event.get("type"))), cell_text(_text(event.get("reason"))),
             cell_text(f"{_text(involved.get('kind'))}/{_text(involved.get('name'))}"),
             cell_text(_text(event.get("message")).strip()))
    return EventRow(namespace=_text(metadata.get("namespace")), name=name, uid=_text(metadata.get("uid")),
                    cells=cells, labels=_NO_LABELS, owners=(), created=sort_time,
                    first_seen=first, last_seen=last, repeated=repeated)


def last_seen_text(row: EventRow, now: datetime) -> str:
    """kubectl events' LAST SEEN at ``now``: `4s`, or `4s (x5 over 8s)` for a repeated event."""
    first = time_since(row.first_seen, now)
    if row.repeated:
        return f"{time_since(row.last_seen, now)} (x{row.repeated} over {first})"
    return first


def event_batch(events) -> ResourceBatch:
    """Rows for a watch batch of (slim) events: ``reset``, ``upserts``, ``deletes``."""
    upserts: list[Upsert] = []
    skipped: list[str] = []
    for event in events.upserts:
        try:
            row = event_row(event)
        except ValueError as exc:
            skipped.append(str(exc))
            continue
        upserts.append((row.key, row, row.labels))
    return ResourceBatch(events.reset, EVENT_COLUMNS, upserts, list(events.deletes), skipped)


def events_selector(*, kind: str, name: str, namespace: str | None, uid: str = "") -> str:
    """The field selector of the events whose involvedObject is this object."""
    if not namespace:
        return f"involvedObject.kind={kind},involvedObject.name={name}"
    terms = [f"involvedObject.name={name}", f"involvedObject.namespace={namespace}"]
    terms.append(f"involvedObject.uid={uid}" if uid else f"involvedObject.kind={kind}")
    return ",".join(terms)


class EventColumns(ServerColumns):
    """kubectl events' columns: LAST SEEN ticks from the event's times and sorts oldest first."""

    def __init__(self) -> None:
        self._last_seen_width = 0
        super().__init__(EVENT_COLUMNS)

    def _set_columns(self, columns: tuple[Column, ...]) -> None:
        super()._set_columns(columns)
        self.age_index = LAST_SEEN if columns else None  # the ticking column (drawn and redrawn by time)

    def primary(self, sort: str) -> Callable[[ResourceRow], tuple]:
        if sort == _LAST_SEEN_SORT and self.columns:
            return _oldest_first
        return super().primary(sort)

    def cell(self, row: ResourceRow, index: int, now) -> str:
        if index == LAST_SEEN and isinstance(row, EventRow):
            return last_seen_text(row, now)
        return super().cell(row, index, now)

    def width(self, index: int) -> int:
        if index == LAST_SEEN:
            return max(len(EVENT_COLUMNS[LAST_SEEN].header), self._last_seen_width)
        return super().width(index)

    def reset(self, batch: ResourceBatch) -> None:
        self._last_seen_width = 0
        super().reset(batch)

    def grow(self, row: ResourceRow) -> None:
        super().grow(row)
        repeated = row.repeated if isinstance(row, EventRow) else 0
        # As wide as the text can grow while it ticks, so the columns never reflow.
        width = _DURATION_WIDTH + (len(f" (x{repeated} over )") + _DURATION_WIDTH if repeated else 0)
        self._last_seen_width = max(self._last_seen_width, width)


class EventTable(ResourceTable):
    """A `ResourceTable` of `EventRow`s: LAST SEEN ticks, rows sorted by event time, newest last."""

    def __init__(self) -> None:
        super().__init__(sort=_LAST_SEEN_SORT, server_columns=EventColumns())


def _oldest_first(row: ResourceRow) -> tuple:  # the newest event is the last line
    return (0, row.created.timestamp()) if row.created is not None else (-1, 0.0)


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)
