"""Server-printed Table rows as kubectl prints them: column definitions, cell texts, metadata."""

from __future__ import annotations

import pytest

from kubetui.model.table_rows import Column, cell_text, resource_row, slim_item, table_columns


@pytest.mark.parametrize("value, expected", [
    ("nginx", "nginx"),
    (None, ""),  # kubectl leaves a nil cell blank
    (3, "3"),
    (True, "true"),
    (0.5, "0.5"),
    (3.0, "3"),
    (1e6, "1e+06"),  # Go's %v of a float64
    (123456.0, "123456"),
    (1.5e-7, "1.5e-07"),
    (["a", 1], "[a 1]"),
    ({"b": 1, "a": "x"}, "map[a:x b:1]"),
    ("first line\nsecond", "first line..."),  # stops at the first line break
    ("carriage\rreturn", "carriage..."),
    ("esc\x1b[31mred", "esc^[[31mred"),  # a terminal escape is defused
])
def test_cells_read_as_kubectls_table_printer_writes_them(value, expected):
    assert cell_text(value) == expected


def test_column_definitions_keep_name_type_and_priority():
    columns = table_columns({"columnDefinitions": [
        {"name": "Name", "type": "string", "format": "name", "priority": 0},
        {"name": "Up-to-date", "type": "integer", "priority": 0},
        {"name": "Selector", "type": "string", "priority": 1},
        "not a definition",
    ]})
    assert columns == (Column("Name", "string", "name", 0), Column("Up-to-date", "integer", "", 0),
                       Column("Selector", "string", "", 1))
    assert [c.header for c in columns] == ["NAME", "UP-TO-DATE", "SELECTOR"]
    assert columns[1].numeric and not columns[0].numeric


def test_a_row_keeps_cells_and_the_metadata_a_view_needs_and_drops_the_rest():
    row = {"cells": ["web", 2, None], "object": {"kind": "PartialObjectMetadata", "metadata": {
        "name": "web", "namespace": "ns", "uid": "u1", "resourceVersion": "7",
        "labels": {"app": "web"}, "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{secret}"},
        "managedFields": [{"manager": "kubectl"}], "creationTimestamp": "2025-01-01T00:00:00Z",
        "ownerReferences": [{"kind": "Deployment", "name": "d", "uid": "owner-uid"}]}}}
    item = slim_item(row)
    assert set(item["metadata"]) == {"name", "namespace", "uid", "resourceVersion", "labels", "creationTimestamp",
                                     "ownerReferences"}
    parsed = resource_row(item, (Column("Name"), Column("Count", "integer"), Column("Note"), Column("Extra")))
    assert parsed.cells == ("web", "2", "", "")  # a missing cell is blank, never an IndexError
    assert parsed.key == "ns/web" and parsed.uid == "u1" and parsed.labels == {"app": "web"}
    assert parsed.owned_by("owner-uid") and not parsed.owned_by("someone-else")
    assert parsed.created is not None and not parsed.deleting


def test_a_cluster_scoped_row_has_an_empty_namespace_in_its_key():
    assert resource_row({"metadata": {"name": "node-1"}, "cells": ["node-1"]}, (Column("Name"),)).key == "/node-1"


def test_a_row_without_object_metadata_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="metadata.name"):
        resource_row(slim_item({"cells": ["x"]}), (Column("Name"),))
