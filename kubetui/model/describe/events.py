"""`DescribeEvents`: the Events table at the end of most descriptions.

Key decisions: events are ordered as kubectl orders them (Go's unstable sort on the last
timestamp alone, so events that only have an event time come first and equal times keep Go's
order); a message is prefixed with the field path of the involved object (`spec.containers{web}:`)
when there is one, as kubectl 1.37 prints it; the Age column is the first time seen, or `LAST (xN over FIRST)` for repeated
events, counted from `now`; the table is flushed before it is written, so its columns are
aligned apart from everything above, as kubectl's are. Pure: no I/O.
"""

from __future__ import annotations

from datetime import datetime, timezone

from kubetui.model.describe.writer import PrefixWriter, since
from kubetui.model.durations import parse_timestamp
from kubetui.model.go_sort import go_sort

__all__ = ["describe_events"]

_ZERO = datetime(1, 1, 1, tzinfo=timezone.utc)


def describe_events(events: list[dict], w: PrefixWriter, now: datetime) -> None:
    if not events:
        w.write(0, "Events:\t<none>\n")
        return
    w.flush()
    keyed = [(_sort_time(event), event) for event in events]
    go_sort(keyed, lambda a, b: a[0] < b[0])
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(1, "----\t------\t----\t----\t-------\n")
    for _, event in keyed:
        first = _first_seen(event, now)
        series = event.get("series")
        count = event.get("count")
        if isinstance(series, dict):
            interval = f"{since(series.get('lastObservedTime'), now)} (x{_int(series.get('count'))} over {first})"
        elif isinstance(count, int) and count > 1:
            interval = f"{since(event.get('lastTimestamp'), now)} (x{count} over {first})"
        else:
            interval = first
        source = _text((event.get("source") or {}).get("component")) or _text(event.get("reportingComponent"))
        message = _text(event.get("message")).strip(_GO_SPACE)
        field_path = _text((event.get("involvedObject") or {}).get("fieldPath"))
        if field_path:
            message = f"{field_path}: {message}"
        w.write(1, f"{_text(event.get('type'))}\t{_text(event.get('reason'))}\t{interval}\t{source}\t{message}\n")


# strings.TrimSpace trims Unicode white space.
_GO_SPACE = " \t\n\r\v\f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
            "\u2028\u2029\u202f\u205f\u3000"


def _first_seen(event: dict, now: datetime) -> str:
    if parse_timestamp(event.get("eventTime")) is not None:
        return since(event.get("eventTime"), now)
    return since(event.get("firstTimestamp"), now)


def _sort_time(event: dict) -> datetime:
    """kubectl's `SortableEvents`: the last timestamp, Go's zero time when unset."""
    return parse_timestamp(event.get("lastTimestamp")) or _ZERO


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)
