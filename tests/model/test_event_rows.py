"""The events of one object as `kubectl events` prints them: LAST SEEN ticking from the event's
times (`LAST (xN over FIRST)` when repeated), Kind/name, trimmed messages, kubectl's event-time
order (newest last), and the field selector that narrows events to one object."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from kubetui.model.event_rows import EventTable, event_batch, event_row, events_selector, last_seen_text, slim_event

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


def ago(seconds: float) -> str:
    return (NOW - timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def event(name, *, first=60, last=None, count=None, reason="Pulled", type_="Normal", message="done", series=None,
          event_time=None, kind="Pod", obj="web"):
    body = {"metadata": {"name": name, "namespace": "default", "uid": f"uid-{name}", "resourceVersion": "1",
                         "managedFields": [{"manager": "kubelet"}]},
            "involvedObject": {"kind": kind, "name": obj, "namespace": "default"},
            "type": type_, "reason": reason, "message": message, "firstTimestamp": ago(first)}
    if last is not None:
        body["lastTimestamp"] = ago(last)
    if count is not None:
        body["count"] = count
    if series is not None:
        body["series"] = series
    if event_time is not None:
        body["eventTime"] = event_time
    return body


@dataclass
class Events:
    reset: bool
    upserts: list = field(default_factory=list)
    deletes: list = field(default_factory=list)


def test_a_single_event_reads_as_kubectl_events_prints_it():
    row = event_row(slim_event(event("web.1", first=75, last=75, message="  Started container web \n")))
    assert row.cells[1:] == ("Normal", "Pulled", "Pod/web", "Started container web")
    assert last_seen_text(row, NOW) == "75s"
    assert last_seen_text(row, NOW + timedelta(seconds=60)) == "2m15s"  # it ticks


def test_a_repeated_event_shows_its_last_time_count_and_first_time():
    row = event_row(event("web.2", first=480, last=4, count=5, reason="BackOff", type_="Warning"))
    assert last_seen_text(row, NOW) == "4s (x5 over 8m)"
    series = event_row(event("web.3", first=600, series={"count": 3, "lastObservedTime": ago(30)},
                             event_time=ago(600)))
    assert last_seen_text(series, NOW) == "30s (x3 over 10m)"


def test_rows_are_in_event_time_order_the_newest_last_whatever_their_names():
    table = EventTable()
    table.apply(event_batch(Events(True, [
        event("a", first=100, last=10, count=2),      # repeated: sorted by its last time
        event("b", first=50, last=50),
        event("c", first=200, last=200),
        event("d", first=5, last=5),
    ])))
    assert [key.split("/")[1] for key in table.visible_keys()] == ["c", "b", "a", "d"]
    table.apply(event_batch(Events(False, [event("c", first=200, last=1, count=2)])))  # c happens again
    assert [key.split("/")[1] for key in table.visible_keys()] == ["b", "a", "d", "c"]
    assert table.width(0) >= len(last_seen_text(table.row("default/c"), NOW + timedelta(days=300)))


def test_the_selector_narrows_to_one_object():
    assert events_selector(kind="Pod", name="web", namespace="prod", uid="u-1") == (
        "involvedObject.name=web,involvedObject.namespace=prod,involvedObject.uid=u-1")
    assert events_selector(kind="Deployment", name="api", namespace="prod") == (
        "involvedObject.name=api,involvedObject.namespace=prod,involvedObject.kind=Deployment")
    assert events_selector(kind="Node", name="n1", namespace=None, uid="u-2") == (
        "involvedObject.kind=Node,involvedObject.name=n1")


def test_slim_events_keep_what_a_row_needs_only():
    slim = slim_event(event("web.1"))
    assert "managedFields" not in slim["metadata"] and slim["involvedObject"]["name"] == "web"
