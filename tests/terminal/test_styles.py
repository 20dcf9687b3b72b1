"""SGR: 16, 256 and true colour, attributes, resets; erased cells keep the background (BCE)."""

from __future__ import annotations

import pytest

from kubetui.terminal.styles import BOLD, REVERSE, UNDERLINE, CellStyle, apply_sgr, parse_sgr_params
from tests.terminal.helpers import styles_of, term


@pytest.mark.parametrize(
    ("sgr", "expected"),
    [
        pytest.param("31", CellStyle(fg=1), id="16-colour foreground"),
        pytest.param("44", CellStyle(bg=4), id="16-colour background"),
        pytest.param("91", CellStyle(fg=9), id="bright foreground"),
        pytest.param("103", CellStyle(bg=11), id="bright background"),
        pytest.param("38;5;208", CellStyle(fg=208), id="256-colour foreground"),
        pytest.param("48;5;17", CellStyle(bg=17), id="256-colour background"),
        pytest.param("38;2;255;128;0", CellStyle(fg=(255, 128, 0)), id="true colour"),
        pytest.param("38:2::10:20:30", CellStyle(fg=(10, 20, 30)), id="true colour, colon form"),
        pytest.param("1;4;7", CellStyle(flags=BOLD | UNDERLINE | REVERSE), id="bold underline reverse"),
        pytest.param("1;31;0", CellStyle(), id="reset at the end"),
        pytest.param("", CellStyle(), id="empty means reset"),
        pytest.param("38;5", CellStyle(), id="truncated 256-colour is ignored"),
    ],
)
def test_sgr(sgr, expected):
    assert apply_sgr(CellStyle(), parse_sgr_params(sgr) if sgr else []) == expected


def test_attributes_switch_off_one_by_one():
    style = apply_sgr(CellStyle(), [1, 4, 7, 31, 42])
    assert apply_sgr(style, [22, 24, 27, 39, 49]) == CellStyle()


def test_text_keeps_the_style_it_was_written_with():
    buffer = term("a\x1b[1;31mbc\x1b[0md", cols=10)
    assert styles_of(buffer, 0) == [("a", CellStyle()), ("bc", CellStyle(fg=1, flags=BOLD)), ("d", CellStyle())]


def test_erase_uses_the_current_background():
    buffer = term("\x1b[44m\x1b[2K", cols=4)
    assert styles_of(buffer, 0) == [("    ", CellStyle(bg=4))]


def test_overwrite_in_the_middle_changes_only_those_cells():
    buffer = term("abcdef\x1b[1;3H\x1b[32mXY", cols=8)
    assert styles_of(buffer, 0) == [("ab", CellStyle()), ("XY", CellStyle(fg=2)), ("ef", CellStyle())]
