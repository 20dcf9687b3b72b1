"""Cursor addressing, erasing, inserting and deleting, scroll regions, the alternate screen."""

from __future__ import annotations

from tests.terminal.helpers import term


def test_cursor_position_is_one_based():
    assert term("\x1b[2;3HX").display()[1] == "  X"


def test_relative_moves_clamp_at_the_edges():
    buffer = term("\x1b[99B\x1b[99C")
    assert (buffer.cursor.x, buffer.cursor.y) == (9, 3)
    buffer.feed(b"\x1b[99A\x1b[99D")
    assert (buffer.cursor.x, buffer.cursor.y) == (0, 0)


def test_erase_line_variants():
    assert term("abcdef\x1b[1;3H\x1b[K").display()[0] == "ab"
    assert term("abcdef\x1b[1;3H\x1b[1K").display()[0] == "   def"
    assert term("abcdef\x1b[2K").display()[0] == ""


def test_erase_display_below_and_above():
    buffer = term("aa\r\nbb\r\ncc\x1b[2;2H\x1b[J")
    assert buffer.display()[:3] == ["aa", "b", ""]
    buffer = term("aa\r\nbb\r\ncc\x1b[2;1H\x1b[1J")
    assert buffer.display()[:3] == ["", " b", "cc"]


def test_clear_screen_and_home():
    assert term("junk\r\nmore\x1b[H\x1b[2Jnew").display() == ["new", "", "", ""]


def test_erase_scrollback():
    buffer = term("1\r\n2\r\n3\r\n4\r\n5\r\n")
    assert buffer.history()
    buffer.feed(b"\x1b[3J")
    assert buffer.history() == []


def test_insert_and_delete_characters():
    assert term("abcdef\x1b[1;3H\x1b[2@").display()[0] == "ab  cdef"
    assert term("abcdef\x1b[1;3H\x1b[2P").display()[0] == "abef"
    assert term("abcdef\x1b[1;2H\x1b[3X").display()[0] == "a   ef"


def test_insert_mode_shifts_text_right():
    assert term("abc\x1b[1;2H\x1b[4hXY\x1b[4l").display()[0] == "aXYbc"


def test_insert_and_delete_lines():
    assert term("1\r\n2\r\n3\x1b[2;1H\x1b[L").display() == ["1", "", "2", "3"]
    assert term("1\r\n2\r\n3\r\n4\x1b[2;1H\x1b[M").display() == ["1", "3", "4", ""]


def test_scroll_region_keeps_lines_outside_it():
    buffer = term("top\x1b[2;3r\x1b[3;1Ha\r\nb\r\nc\x1b[r", rows=4)
    assert buffer.display()[0] == "top"
    assert buffer.display()[1:3] == ["b", "c"]
    assert buffer.history() == []  # a region not at the top never feeds scrollback


def test_reverse_index_at_top_scrolls_down():
    assert term("a\r\nb\x1b[H\x1bM").display()[:3] == ["", "a", "b"]


def test_save_and_restore_cursor():
    buffer = term("\x1b[2;3H\x1b7\x1b[H\x1b8X")
    assert buffer.display()[1] == "  X"


def test_alternate_screen_leaves_the_main_screen_untouched():
    buffer = term("shell$ top\r\n", cols=20)
    buffer.feed(b"\x1b[?1049h\x1b[H\x1b[2Jtop - 10:00\x1b[3;1Hprocesses")
    assert buffer.display()[0] == "top - 10:00"
    assert buffer.modes.alternate
    buffer.feed(b"\x1b[?1049l")
    assert buffer.display()[:2] == ["shell$ top", ""]
    assert (buffer.cursor.x, buffer.cursor.y) == (0, 1)
    assert not buffer.modes.alternate


def test_alternate_screen_keeps_no_history():
    buffer = term("\x1b[?1049h" + "x\r\n" * 20 + "\x1b[?1049l")
    assert buffer.history() == []


def test_modes_reported_for_key_encoding():
    buffer = term("\x1b[?1h\x1b[?2004h\x1b=")
    assert buffer.modes.app_cursor and buffer.modes.bracketed_paste and buffer.modes.app_keypad
    buffer.feed(b"\x1b[?1l\x1b[?2004l\x1b>")
    assert not (buffer.modes.app_cursor or buffer.modes.bracketed_paste or buffer.modes.app_keypad)


def test_cursor_visibility():
    buffer = term("\x1b[?25l")
    assert not buffer.cursor.visible
    buffer.feed(b"\x1b[?25h")
    assert buffer.cursor.visible


def test_cursor_position_report_is_queued_for_the_remote_side():
    buffer = term("\x1b[3;5H\x1b[6n\x1b[c")
    assert buffer.take_replies() == b"\x1b[3;5R\x1b[?62;22c"
    assert buffer.take_replies() == b""


def test_title_from_osc():
    assert term("\x1b]0;root@pod: /\x07").title == "root@pod: /"


def test_dec_line_drawing():
    assert term("\x1b(0lqk\x1b(Bx").display()[0] == "┌─┐x"


def test_repeat_last_character():
    assert term("a\x1b[3b").display()[0] == "aaaa"


def test_unknown_sequences_are_swallowed():
    assert term("a\x1b[>4;2m\x1b[?1234h\x1bP1$r\x1b\\\x1b[5 qb").display()[0] == "ab"


def test_resize_smaller_moves_rows_above_the_cursor_to_history():
    buffer = term("1\r\n2\r\n3\r\n4", rows=4)
    buffer.resize(10, 2)
    assert buffer.display() == ["3", "4"]
    assert buffer.history() == ["1", "2"]
    assert (buffer.cursor.x, buffer.cursor.y) == (1, 1)


def test_resize_narrower_clips_and_wider_shows_again():
    buffer = term("0123456789", cols=10)
    buffer.resize(5, 4)
    assert buffer.display()[0] == "01234"
    buffer.resize(10, 4)
    assert buffer.display()[0] == "0123456789"


def test_dirty_rows_are_reported_once():
    buffer = term("", rows=4)
    buffer.take_dirty()
    buffer.feed(b"\x1b[3;1Hx")
    assert buffer.take_dirty() == {2}
    assert buffer.take_dirty() == set()
    buffer.feed(b"\r\n\r\n")  # scrolling moves every row
    assert buffer.take_dirty() is None
