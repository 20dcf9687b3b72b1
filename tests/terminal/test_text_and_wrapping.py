"""Printing, CR/LF, tabs, and xterm's deferred wrap at the right margin."""

from __future__ import annotations

import pytest

from tests.terminal.helpers import term


def test_lines_appear_in_order():
    assert term("one\r\ntwo\r\nthree").display() == ["one", "two", "three", ""]


def test_cursor_follows_text():
    buffer = term("ab\r\ncde")
    assert (buffer.cursor.x, buffer.cursor.y) == (3, 1)


def test_long_line_wraps_onto_the_next_row():
    assert term("0123456789abc").display()[:2] == ["0123456789", "abc"]


def test_exactly_full_line_then_crlf_leaves_no_empty_row():
    # deferred wrap: writing the last column does not move to the next line yet
    assert term("0123456789\r\nnext").display()[:2] == ["0123456789", "next"]


def test_full_line_cursor_stays_on_last_column():
    buffer = term("0123456789")
    assert (buffer.cursor.x, buffer.cursor.y) == (9, 0)


def test_autowrap_off_overwrites_the_last_column():
    assert term("\x1b[?7l0123456789XYZ").display()[0] == "012345678Z"


def test_scrolling_pushes_the_top_line_into_history():
    buffer = term("1\r\n2\r\n3\r\n4\r\n5\r\n6", rows=4)
    assert buffer.display() == ["3", "4", "5", "6"]
    assert buffer.history() == ["1", "2"]


def test_bare_linefeed_keeps_the_column():
    assert term("ab\ncd").display()[:2] == ["ab", "  cd"]


def test_carriage_return_overwrites():
    assert term("hello\rJ").display()[0] == "Jello"


def test_backspace_then_overwrite():
    assert term("abc\x08\x08X").display()[0] == "aXc"


def test_tab_stops_every_eight_columns():
    assert term("a\tb", cols=20).display()[0] == "a       b"


def test_tab_at_end_stops_at_last_column():
    buffer = term("0123456789ab\x1b[1;9H\t\tX", cols=12)
    assert buffer.display()[0] == "0123456789aX"


@pytest.mark.parametrize("count", [1, 9, 10, 11, 50])
def test_many_lines_fast_path_matches_slow_path(count):
    text = "".join(f"line{i}\r\n" for i in range(count))
    fast = term(text, rows=4)
    slow = term("".join(f"line{i}\r\x1b[0m\n" for i in range(count)), rows=4)  # the escape defeats the batch
    assert fast.display() == slow.display()
    assert fast.history() == slow.history()
    assert (fast.cursor.x, fast.cursor.y) == (slow.cursor.x, slow.cursor.y)


def test_batch_after_text_on_the_bottom_row():
    buffer = term("\x1b[4;1Hzz\r\na\r\nb\r\n", rows=4)
    assert buffer.display() == ["zz", "a", "b", ""]
