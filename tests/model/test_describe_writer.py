"""kubectl describe's writer: Go's tabwriter layout, flush blocks, escapes, Go's spellings."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest

from kubetui.model.describe.writer import PrefixWriter, go_value, rfc1123z


def _text(*writes) -> str:
    w = PrefixWriter()
    for write in writes:
        if write == "flush":
            w.flush()
        else:
            w.write(*write)
    return w.text()


def test_a_column_is_as_wide_as_its_widest_cell_plus_two_and_the_last_cell_is_not_padded():
    assert _text((0, "Name:\tweb\n"), (0, "Service Account:\tdefault\n")) == (
        "Name:             web\n"
        "Service Account:  default\n")


def test_a_line_without_a_tab_ends_the_column_and_levels_indent_by_two_spaces():
    # "IPs:" has no cell: "Name:" is aligned alone; "  IP:" shares its column with the next line.
    assert _text((0, "Name:\tweb\n"), (0, "IPs:\n"), (1, "IP:\t10.0.0.1\n"), (0, "Tolerations:\t<none>\n")) == (
        "Name:  web\n"
        "IPs:\n"
        "  IP:         10.0.0.1\n"
        "Tolerations:  <none>\n")


def test_a_flush_aligns_what_follows_on_its_own():
    joined = _text((0, "Volumes:\t<none>\n"), (0, "Events:\n  Type\tReason\n"), (1, "Normal\tStarted\n"))
    flushed = _text((0, "Volumes:\t<none>\n"), "flush", (0, "Events:\n  Type\tReason\n"), (1, "Normal\tStarted\n"))
    assert joined.splitlines()[0] == "Volumes:  <none>"
    assert flushed == "Volumes:  <none>\nEvents:\n  Type    Reason\n  Normal  Started\n"


def test_an_empty_last_cell_still_pads_the_cell_before_it():
    assert _text((0, "Medium:\t\n"), (0, "SizeLimit:\t<unset>\n")) == "Medium:     \nSizeLimit:  <unset>\n"


def test_escape_and_carriage_return_are_defused():
    assert _text((0, "Message:\t\x1b[31mred\r\n")) == "Message:  ^[[31mred\\r\n"


def test_write_line_ends_a_line_started_by_write():
    w = PrefixWriter()
    w.write(0, "Labels:\t")
    w.write_line("<none>")
    assert w.text() == "Labels:  <none>\n"


@pytest.mark.parametrize("stamp, tz, expected", [
    ("2026-12-02T06:21:13Z", timezone.utc, "Wed, 02 Dec 2026 06:21:13 +0000"),
    ("2026-12-02T06:21:13Z", timezone(timedelta(hours=5, minutes=30)), "Wed, 02 Dec 2026 11:51:13 +0530"),
    ("2026-01-01T02:00:00Z", timezone(timedelta(hours=-5)), "Wed, 31 Dec 2025 21:00:00 -0500"),
    ("2026-03-09T10:00:00.123456Z", timezone.utc, "Mon, 09 Mar 2026 10:00:00 +0000"),
    (None, timezone.utc, "Mon, 01 Jan 0001 00:00:00 +0000"),
])
def test_timestamps_are_go_rfc1123z_in_the_given_zone(stamp, tz, expected):
    assert rfc1123z(stamp, tz) == expected


@pytest.mark.parametrize("value, expected", [
    (None, "<nil>"), (True, "true"), (False, "false"), (7, "7"), (1.5, "1.5"), (3.0, "3"),
    (1e6, "1e+06"), (123456.0, "123456"), (1e-05, "1e-05"), (0.0001, "0.0001"),
    (["a", 1], "[a 1]"), ({"b": 1, "a": "x"}, "map[a:x b:1]"),
])
def test_values_print_as_go_percent_v(value, expected):
    assert go_value(value) == expected
