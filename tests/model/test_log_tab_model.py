"""What a log tab computes without the cluster: searches, how a line is shown, its choices."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kubetui.model.log_choices import DEFAULT_RANGE, RANGES, container_names, save_name
from kubetui.model.log_display import SOURCE_PALETTE_SIZE, SourceColours, split_line
from kubetui.model.log_lines import deleted_marker, prefix_for
from kubetui.model.log_search import compile_search

STAMP = "2026-11-26T12:00:00.123456789Z "


@pytest.mark.parametrize("text, line, spans, literal", [
    pytest.param("beta", "alpha BETA beta", [(6, 10), (11, 15)], False, id="case-insensitive, every match"),
    pytest.param("b.t", "bat but", [(0, 3), (4, 7)], False, id="a regex"),
    pytest.param("[pod", "[pod/web/app] hi", [(0, 4)], True, id="half-typed regex: literal"),
    pytest.param("(", "f(x)", [(1, 2)], True, id="lone parenthesis: literal"),
    pytest.param("^", "anything", [], False, id="zero-width: nothing to highlight"),
    pytest.param(r"\u00e9", r"x \u00e9", [(2, 8)], True, id="valid as text, not as bytes: literal both ways"),
])
def test_search_spans(text, line, spans, literal):
    search = compile_search(text)
    assert search.spans(line) == spans
    assert search.literal is literal


def test_an_empty_search_is_no_search():
    assert compile_search("") is None


def test_search_finds_the_first_or_last_matching_line():
    search = compile_search("err")
    lines = [b"ok", b"ERROR one", b"fine", b"error two", b"ok"]
    assert search.first_in(lines) == 1
    assert search.first_in(lines, backwards=True) == 3
    assert search.first_in([b"ok"]) is None and search.first_in([], backwards=True) is None


@pytest.mark.parametrize("raw, prefixed, stamped, expected", [
    pytest.param(b"plain", False, False, ("", "", "plain", False, False), id="plain"),
    pytest.param(prefix_for("web", "app") + b"hi", True, False, ("[pod/web/app] ", "", "hi", False, False),
                 id="prefix"),
    pytest.param(prefix_for("web", "app") + b"hi", False, False, ("", "", "[pod/web/app] hi", False, False),
                 id="prefix not asked for: the container printed it"),
    pytest.param(prefix_for("web", "app") + STAMP.encode() + b"hi", True, True,
                 ("[pod/web/app] ", STAMP, "hi", False, False), id="prefix and timestamp"),
    pytest.param(STAMP.encode() + b"hi", False, False, ("", "", STAMP + "hi", False, False),
                 id="timestamp not asked for"),
    pytest.param(prefix_for("web", "app") + deleted_marker(), True, True,
                 ("[pod/web/app] ", "", deleted_marker().decode(), True, False), id="a marker has no timestamp"),
    pytest.param(b"\x1b[1mbold\x1b[0m", False, False, ("", "", "\x1b[1mbold\x1b[0m", False, True), id="colours kept"),
    pytest.param(b"a\x1bcb\x07c\rd", False, False, ("", "", "a\ufffdcb\ufffdcd", False, False),
                 id="controls shown, CR dropped"),
    pytest.param(b"a\tb", False, False, ("", "", "a       b", False, False), id="tab expanded"),
    pytest.param(b"caf\xc3\xa9 \xff", False, False, ("", "", "café \ufffd", False, False), id="bad UTF-8 replaced"),
])
def test_split_line(raw, prefixed, stamped, expected):
    pieces = split_line(raw, prefixed=prefixed, stamped=stamped)
    assert (pieces.prefix, pieces.stamp, pieces.text, pieces.marker, pieces.ansi) == expected


def test_sources_keep_the_colour_they_were_first_given():
    colours = SourceColours()
    first, second = colours.index("[pod/a/x] "), colours.index("[pod/b/x] ")
    assert first != second
    assert colours.index("[pod/a/x] ") == first
    assert {colours.index(f"[pod/p{n}/x] ") for n in range(40)} == set(range(SOURCE_PALETTE_SIZE))


def test_the_default_range_is_the_last_thousand_lines():
    assert RANGES[DEFAULT_RANGE].tail_lines == 1000 and RANGES[DEFAULT_RANGE].since_seconds is None
    assert [r.since_seconds for r in RANGES if r.since_seconds] == [60, 300, 900, 3600]


def test_container_names_of_a_pod_and_of_a_workload_template():
    spec = {"initContainers": [{"name": "init"}], "containers": [{"name": "app"}, {"name": "side"}],
            "ephemeralContainers": [{"name": "debug"}]}
    assert container_names({"spec": spec}) == ("init", "app", "side", "debug")
    assert container_names({"spec": {"template": {"spec": spec}}}) == ("init", "app", "side", "debug")
    assert container_names({}) == ()


def test_save_names_are_safe_and_never_taken():
    now = datetime(2026, 11, 26, 12, 3, 4, tzinfo=timezone.utc)
    assert save_name("web/nginx", now) == "web-nginx-20261126-120304.log"
    assert save_name("deploy/web", now, {"deploy-web-20261126-120304.log"}) == "deploy-web-20261126-120304-2.log"
    assert save_name("../..", now) == "log-20261126-120304.log"
