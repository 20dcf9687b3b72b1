"""The pod table's state: keyed merges, sorted filtered view, counts, and a cursor that stays put."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from pod_builders import NOW, RUNNING, pod, status, terminated, waiting

from kubetui.model import PodTable, RowBatch, parse_filter, parse_label_selector, status_tone


@dataclass
class Events:  # the shape of kube.watching.PodEvents, which the model must not import
    reset: bool
    upserts: list = field(default_factory=list)
    deletes: list = field(default_factory=list)


def running(name, *, namespace="default", restarts=0, created_ago=600, labels=None, node="node-1"):
    body = pod(name=name, namespace=namespace, created_ago=created_ago, node=node, pod_ip="10.0.0.1",
               statuses=[status("c0", state=RUNNING, ready=True, restarts=restarts)])
    if labels:
        body["metadata"]["labels"] = labels
    return body


def crashing(name, *, namespace="default", restarts=3, created_ago=600):
    return pod(name=name, namespace=namespace, created_ago=created_ago,
               statuses=[status("c0", state=waiting("CrashLoopBackOff"), restarts=restarts, finished_ago=30)])


def table_with(*pods, sort="name", reverse=False) -> PodTable:
    table = PodTable(sort=sort, reverse=reverse)
    table.apply(RowBatch.from_events(Events(reset=True, upserts=list(pods)), NOW))
    return table


def apply(table, *, upserts=(), deletes=(), reset=False):
    return table.apply(RowBatch.from_events(Events(reset=reset, upserts=list(upserts), deletes=list(deletes)), NOW))


def names(table):
    return [key.split("/", 1)[1] for key in table.visible_keys()]


def test_reset_fills_rows_sorted_by_name_and_counts_statuses():
    table = table_with(running("web-2"), crashing("api"), running("web-1"))
    assert names(table) == ["api", "web-1", "web-2"]
    assert table.counts == {"Running": 2, "CrashLoopBackOff": 1}
    assert table.row("default/api").status == "CrashLoopBackOff"
    assert table.cursor_key == "default/api"


def test_reset_drops_rows_missing_from_the_new_set():
    table = table_with(running("a"), running("b"))
    change = apply(table, reset=True, upserts=[running("b"), running("c")])
    assert names(table) == ["b", "c"]
    assert change.removed == {"default/a"}
    assert change.changed == {"default/c"}


def test_upsert_of_an_unchanged_row_reports_nothing():
    table = table_with(running("a"))
    change = apply(table, upserts=[running("a")])
    assert not change
    assert not change.counts_changed


def test_status_change_under_name_sort_changes_cells_not_order():
    table = table_with(running("a"), running("b"))
    change = apply(table, upserts=[crashing("b")])
    assert change.changed == {"default/b"}
    assert not change.order_changed
    assert change.counts_changed
    assert table.counts == {"Running": 1, "CrashLoopBackOff": 1}


def test_delete_removes_row_and_count():
    table = table_with(running("a"), crashing("b"))
    change = apply(table, deletes=["default/b", "default/never-seen"])
    assert names(table) == ["a"]
    assert change.removed == {"default/b"}
    assert change.order_changed
    assert table.counts == {"Running": 1}


def test_malformed_pod_is_skipped_with_its_name_not_raised():
    bad = {"metadata": {"name": "bad", "namespace": "default"}, "status": {"conditions": [1]}}
    batch = RowBatch.from_events(Events(reset=True, upserts=[bad, running("good")]), NOW)
    assert [row.name for _, row, _ in batch.upserts] == ["good"]
    assert "default/bad" in batch.skipped[0]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        pytest.param("name", ["a-old", "b-crash", "c-young"], id="name"),
        pytest.param("age", ["c-young", "b-crash", "a-old"], id="age-youngest-first"),
        pytest.param("status", ["b-crash", "a-old", "c-young"], id="status"),
        pytest.param("restarts", ["a-old", "c-young", "b-crash"], id="restarts"),
    ],
)
def test_sort_keys(sort, expected):
    table = table_with(running("a-old", created_ago=9000), crashing("b-crash", restarts=5, created_ago=600),
                       running("c-young", created_ago=60), sort=sort)
    assert names(table) == expected


def test_sorting_by_the_same_key_again_reverses():
    table = table_with(running("a"), running("b"), running("c"))
    table.sort_by("name")
    assert names(table) == ["c", "b", "a"]
    table.sort_by("name")
    assert names(table) == ["a", "b", "c"]
    table.sort_by("age")
    assert table.sort == ("age", False)


def test_unknown_sort_key_is_refused():
    with pytest.raises(ValueError, match="unknown sort key"):
        PodTable().set_sort("colour")


def test_status_sort_moves_a_row_whose_status_changes():
    table = table_with(running("a"), running("b"), running("c"), sort="status")
    change = apply(table, upserts=[crashing("c")])
    assert change.order_changed
    assert names(table) == ["c", "a", "b"]


def test_cursor_stays_on_its_pod_through_updates_and_resorts():
    table = table_with(running("a", created_ago=50), running("b", created_ago=500), running("c", created_ago=5))
    table.select("default/b")
    assert table.cursor_index == 1
    apply(table, upserts=[running("0-new"), crashing("b")])  # a row appears above it
    assert table.cursor_key == "default/b"
    assert table.cursor_index == 2
    table.sort_by("age")
    assert table.cursor_key == "default/b"
    assert table.cursor_index == 3
    table.sort_by("age")
    assert table.cursor_key == "default/b"
    assert table.cursor_index == 0


def test_cursor_keeps_its_height_when_its_pod_vanishes():
    table = table_with(running("a"), running("b"), running("c"))
    table.select("default/b")
    apply(table, deletes=["default/b"])
    assert table.cursor_key == "default/c"
    apply(table, deletes=["default/c"])
    assert table.cursor_key == "default/a"
    apply(table, deletes=["default/a"])
    assert table.cursor_key is None and table.cursor_index == 0


def test_cursor_moves_are_clamped():
    table = table_with(running("a"), running("b"), running("c"))
    table.move_cursor(10)
    assert table.cursor_key == "default/c"
    table.move_cursor(-1)
    assert table.cursor_key == "default/b"
    table.set_cursor(-5)
    assert table.cursor_key == "default/a"


def test_regex_filter_is_case_insensitive_over_the_row():
    table = table_with(running("web-1"), running("WEB-2"), crashing("api"))
    table.set_filter(parse_filter("^default web"))
    assert names(table) == ["WEB-2", "web-1"]
    table.set_filter(parse_filter("crashloop"))
    assert names(table) == ["api"]


def test_inverted_filter_hides_matching_rows():
    table = table_with(running("web-1"), running("web-2"), crashing("api"))
    table.set_filter(parse_filter("!web"))
    assert names(table) == ["api"]


def test_filter_applies_to_rows_that_arrive_later():
    table = table_with(running("web-1"))
    table.set_filter(parse_filter("web"))
    apply(table, upserts=[running("api"), running("web-3")])
    assert names(table) == ["web-1", "web-3"]
    assert len(table) == 3


def test_half_typed_regex_is_matched_literally():
    table = table_with(running("web(1"), running("web-2"))
    row_filter = parse_filter("web(")
    assert row_filter.literal
    table.set_filter(row_filter)
    assert names(table) == ["web(1"]


def test_clearing_the_filter_keeps_the_cursor_pod():
    table = table_with(running("a"), running("b"), running("c"))
    table.set_filter(parse_filter("b"))
    table.set_cursor(0)
    table.set_filter(parse_filter(""))
    assert table.cursor_key == "default/b"


def test_label_filter_matches_labels_not_text():
    table = table_with(running("one", labels={"app": "web"}), running("two", labels={"app": "api"}),
                       running("web-three"))
    table.set_filter(parse_filter("-l app=web"))
    assert names(table) == ["one"]
    assert table.filter.label_selector == "app=web"


@pytest.mark.parametrize(
    ("selector", "labels", "matches"),
    [
        pytest.param("app=web", {"app": "web"}, True, id="equals"),
        pytest.param("app==web", {"app": "api"}, False, id="double-equals"),
        pytest.param("app!=web", {}, True, id="not-equals-missing-label"),
        pytest.param("app in (web, api),tier", {"app": "api", "tier": "x"}, True, id="in-and-exists"),
        pytest.param("app notin (web)", {"app": "web"}, False, id="notin"),
        pytest.param("!canary", {"canary": "1"}, False, id="does-not-exist"),
        pytest.param("example.com/team=a", {"example.com/team": "a"}, True, id="prefixed-key"),
        pytest.param("replicas>2", {"replicas": "3"}, True, id="greater-than"),
    ],
)
def test_label_filters(selector, labels, matches):
    assert parse_filter(f"-l {selector}").matches("", labels) is matches


@pytest.mark.parametrize("selector", ["", "=web", "app in web", "a b", "app=(x)", "app=b@d"])
def test_bad_label_selector_is_refused_with_a_message(selector):
    with pytest.raises(ValueError, match="label selector"):
        parse_filter(f"-l {selector}")


def test_a_refused_label_selector_says_what_the_server_would():
    with pytest.raises(ValueError) as caught:
        parse_filter("-l a b")
    assert str(caught.value) == ("invalid label selector: unable to parse requirement: "
                                 "found 'b', expected: in, notin, =, ==, !=, gt, lt")


def test_empty_label_value_is_legal_as_in_kubernetes():
    assert parse_label_selector("app=").matches({"app": ""})


@pytest.mark.parametrize(
    ("status_text", "tone"),
    [
        ("Running", "ok"), ("Pending", "pending"), ("ContainerCreating", "pending"), ("Init:0/2", "pending"),
        ("Error", "error"), ("CrashLoopBackOff", "error"), ("ImagePullBackOff", "error"),
        ("ErrImagePull", "error"), ("Init:CrashLoopBackOff", "error"), ("ExitCode:2", "error"),
        ("Completed", "done"), ("Terminating", "terminating"), ("NotReady", ""), ("Unknown", ""),
    ],
)
def test_status_tones(status_text, tone):
    assert status_tone(status_text) == tone


def test_widths_cover_every_row_and_restart_times():
    table = table_with(running("a-very-long-pod-name"), crashing("b", restarts=12))
    assert table.width("NAME") == len("a-very-long-pod-name")
    assert table.width("RESTARTS") == len("12 (99m59s ago)")
    assert table.width("NODE") == len("node-1")
    assert table.width("AGE") == 6


def test_completed_pod_status_is_counted_and_dim():
    done = pod(name="job", created_ago=60, phase="Succeeded",
               statuses=[status("c0", state=terminated("Completed"))])
    table = table_with(done)
    assert table.counts == {"Completed": 1}
    assert status_tone(table.row("default/job").status) == "done"


def test_prepared_rows_serve_the_same_version_and_are_rebuilt_for_another():
    """Rows built ahead while the first list arrived are used for that exact resourceVersion only."""
    from kubetui.model import pod_row

    early, later = running("early"), running("later")
    for body, uid in ((early, "u1"), (later, "u2")):
        body["metadata"].update(uid=uid, resourceVersion="5")
    ahead = pod_row(crashing("early"), NOW)  # what was built ahead: another status than the pod now has
    prepared = {"u1": ("5", ahead), "u2": ("4", ahead)}
    batch = RowBatch.from_events(Events(reset=True, upserts=[early, later]), NOW, prepared)
    rows = {key: row for key, row, _labels in batch.upserts}
    assert rows["default/early"] is ahead, "same uid and resourceVersion: the prepared row"
    assert rows["default/later"].status == "Running", "another resourceVersion: built from the pod"
