"""The generic resource table: server-printed rows keyed `namespace/name`, sorted by any column
(numbers as numbers, AGE by creation), filtered as the pod table filters, a cursor that stays put,
widths that only grow, and change sets a view redraws from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import pytest

from kubetui.model import parse_filter
from kubetui.model.resource_table import ResourceBatch, ResourceTable
from kubetui.model.table_rows import Column

NOW = datetime(2025, 1, 1, 12, 0, tzinfo=timezone.utc)
DEPLOYMENT_COLUMNS = (Column("Name", format="name"), Column("Ready"), Column("Up-to-date", "integer"),
                      Column("Available", "integer"), Column("Age"),
                      Column("Containers", priority=1), Column("Images", priority=1), Column("Selector", priority=1))


@dataclass
class Events:  # the shape of kube.table_watching.TableEvents, which the model must not import
    reset: bool
    upserts: list = field(default_factory=list)
    deletes: list = field(default_factory=list)


def item(name, ready="1/1", updated=1, available=1, *, namespace="default", created_ago=600, labels=None,
         owner=None, image="nginx:1.27"):
    metadata = {"name": name, "namespace": namespace, "uid": f"uid-{name}", "resourceVersion": "1",
                "creationTimestamp": (NOW - timedelta(seconds=created_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")}
    if labels:
        metadata["labels"] = labels
    if owner:
        metadata["ownerReferences"] = [{"kind": "Deployment", "name": "d", "uid": owner}]
    return {"metadata": metadata, "cells": [name, ready, updated, available, "10m", "nginx", image, f"app={name}"]}


def table_with(*items, sort="name", reverse=False) -> ResourceTable:
    table = ResourceTable(sort=sort, reverse=reverse)
    table.apply(ResourceBatch.from_events(Events(True, list(items)), DEPLOYMENT_COLUMNS))
    return table


def apply(table, *, upserts=(), deletes=(), reset=False):
    return table.apply(ResourceBatch.from_events(Events(reset, list(upserts), list(deletes)), DEPLOYMENT_COLUMNS))


def names(table):
    return [key.split("/", 1)[1] for key in table.visible_keys()]


def test_a_reset_fills_the_rows_sorted_by_name_with_the_servers_cells():
    table = table_with(item("web"), item("api", "0/3", 0, 0))
    assert names(table) == ["api", "web"]
    assert table.row("default/api").cells[:4] == ("api", "0/3", "0", "0")
    assert table.cursor_key == "default/api"
    assert [c.header for c in table.columns][:5] == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]


@pytest.mark.parametrize("sort, reverse, expected", [
    ("name", False, ["a", "b", "c"]),
    ("name", True, ["c", "b", "a"]),
    ("available", False, ["b", "c", "a"]),  # 2 < 10 < 100: numbers, not strings
    ("age", False, ["c", "a", "b"]),  # youngest first
    ("ready", False, ["c", "a", "b"]),
    ("namespace", False, ["a", "b", "c"]),
])
def test_sorting_by_any_column(sort, reverse, expected):
    table = table_with(item("a", "1/1", 1, 100, created_ago=60), item("b", "2/2", 1, 2, created_ago=600),
                       item("c", "0/1", 1, 10, created_ago=5), sort=sort, reverse=reverse)
    assert names(table) == expected


def test_asking_for_the_same_sort_again_reverses_it_and_an_unknown_column_is_refused():
    table = table_with(item("a"), item("b"))
    table.sort_by("name")
    assert names(table) == ["b", "a"]
    with pytest.raises(ValueError, match="no STATUS column"):
        table.sort_by("status")


def test_a_numeric_column_with_text_cells_sorts_numbers_first():
    table = table_with(item("a", available="<none>"), item("b", available=3), sort="available")
    assert names(table) == ["b", "a"]


@pytest.mark.parametrize("text, expected", [
    ("", ["api", "web", "worker"]),
    ("w", ["web", "worker"]),
    ("!w", ["api"]),
    ("busybox", ["worker"]),  # the IMAGES column (a wide one) is searched too
    ("-l tier=back", ["api", "worker"]),
    ("10m", []),  # AGE ticks, so it is not searched
])
def test_the_filter_has_the_pod_tables_meaning(text, expected):
    table = table_with(item("web", labels={"tier": "front"}), item("api", labels={"tier": "back"}),
                       item("worker", labels={"tier": "back"}, image="busybox"))
    table.set_filter(parse_filter(text))
    assert names(table) == expected


def test_the_cursor_stays_on_its_row_through_updates_and_a_deletion_keeps_its_height():
    table = table_with(item("a"), item("b"), item("c"))
    table.set_cursor(1)
    assert table.cursor_key == "default/b"
    apply(table, upserts=[item("aa")])
    assert table.cursor_key == "default/b" and table.cursor_index == 2
    apply(table, deletes=["default/b"])
    assert table.cursor_key == "default/c"


def test_changes_say_what_to_redraw():
    table = table_with(item("a"), item("b"))
    same = apply(table, upserts=[item("a")])
    assert not same
    changed = apply(table, upserts=[item("a", "0/1", 0, 0)])
    assert changed.changed == {"default/a"} and not changed.order_changed
    resorted = ResourceTable(sort="available")
    resorted.apply(ResourceBatch.from_events(Events(True, [item("a", available=1), item("b", available=2)]),
                                             DEPLOYMENT_COLUMNS))
    moved = resorted.apply(ResourceBatch.from_events(Events(False, [item("a", available=5)]), DEPLOYMENT_COLUMNS))
    assert moved.order_changed and names(resorted) == ["b", "a"]
    gone = apply(table, deletes=["default/b", "default/never-seen"])
    assert gone.removed == {"default/b"} and gone.order_changed


def test_a_reset_says_which_rows_vanished():
    table = table_with(item("a"), item("b"))
    change = apply(table, reset=True, upserts=[item("b"), item("c")])
    assert change.removed == {"default/a"} and change.changed == {"default/c"}
    assert names(table) == ["b", "c"]


def test_widths_grow_with_the_widest_cell_and_age_never_reflows():
    table = table_with(item("a"))
    assert table.width(0) == len("NAME") and table.width(4) == 6
    apply(table, upserts=[item("a-much-longer-name")])
    assert table.width(0) == len("a-much-longer-name")
    apply(table, deletes=["default/a-much-longer-name"])
    assert table.width(0) == len("a-much-longer-name")  # only grows until the next reset


def test_age_ticks_from_the_creation_time_not_the_servers_text():
    table = table_with(item("a", created_ago=59))
    row = table.row("default/a")
    assert table.cell(row, 4, NOW) == "59s"
    assert table.cell(row, 4, NOW + timedelta(seconds=2)) == "61s"
    assert table.cell(row, 1, NOW) == "1/1"


def test_counts_follow_a_status_column_when_the_kind_has_one():
    columns = (Column("Name", format="name"), Column("Status"), Column("Age"))
    table = ResourceTable()
    row = lambda name, status: {"metadata": {"name": name}, "cells": [name, status, "1d"]}  # noqa: E731
    table.apply(ResourceBatch.from_events(Events(True, [row("n1", "Ready"), row("n2", "NotReady")]), columns))
    assert table.counts == {"Ready": 1, "NotReady": 1}
    change = table.apply(ResourceBatch.from_events(Events(False, [row("n2", "Ready")]), columns))
    assert table.counts == {"Ready": 2}
    assert change.counts_changed  # so the header's counts are redrawn
    assert table_with(item("a")).counts == {}


def test_a_row_without_a_name_is_skipped_with_a_reason():
    batch = ResourceBatch.from_events(Events(True, [{"metadata": {}, "cells": ["x"]}, item("ok")]), DEPLOYMENT_COLUMNS)
    assert [row.name for _, row, _ in batch.upserts] == ["ok"]
    assert batch.skipped and "metadata.name" in batch.skipped[0]


def test_new_columns_on_a_reset_keep_a_sort_they_still_have_and_drop_one_they_lost():
    table = table_with(item("a"), sort="available")
    table.apply(ResourceBatch.from_events(Events(True, [{"metadata": {"name": "a"}, "cells": ["a", "1d"]}]),
                                          (Column("Name", format="name"), Column("Age"))))
    assert table.sort == ("name", False)
