"""UTF-8: wide characters take two cells, marks combine, sequences split across frames render once."""

from __future__ import annotations

import pytest

from tests.terminal.helpers import term


def test_wide_characters_take_two_cells():
    buffer = term("日本x", cols=10)
    assert buffer.display()[0] == "日本x"
    assert buffer.cursor.x == 5


def test_wide_character_that_does_not_fit_wraps_whole():
    buffer = term("012345678日", cols=10)
    assert buffer.display()[:2] == ["012345678", "日"]


def test_wide_characters_wrap_at_the_margin():
    assert term("日本語テキスト", cols=6).display()[:3] == ["日本語", "テキス", "ト"]


def test_overwriting_half_a_wide_character_blanks_the_other_half():
    assert term("日本\x1b[1;2HX", cols=10).display()[0] == " X本"
    assert term("日本\x1b[1;3HX", cols=10).display()[0] == "日X"


def test_combining_mark_joins_the_previous_character():
    buffer = term("e\u0301x", cols=10)
    assert buffer.display()[0] == "e\u0301x"
    assert buffer.cursor.x == 2


def test_combining_marks_are_bounded_per_cell():
    buffer = term("a" + "\u0301" * 10_000, cols=10)
    assert len(buffer.display()[0]) < 40


@pytest.mark.parametrize("text", ["€", "日", "😀", "ü"])
def test_character_split_across_frames_renders_once(text):
    data = f"[{text}]".encode()
    for cut in range(1, len(data)):
        buffer = term(cols=10)
        buffer.feed(data[:cut])
        buffer.feed(data[cut:])
        assert buffer.display()[0] == f"[{text}]", cut


def test_invalid_utf8_becomes_a_replacement_character():
    assert term(b"a\xffb").display()[0] == "a\ufffdb"


def test_wide_and_narrow_mixed_on_a_redraw():
    buffer = term("abc日本def\x1b[1;4H\x1b[2P", cols=12)
    assert buffer.display()[0] == "abc本def"
