"""Key names -> the bytes xterm would send."""

from __future__ import annotations

import pytest

from kubetui.terminal.keys import encode_key, encode_paste, encode_wheel


@pytest.mark.parametrize(
    ("key", "character", "app_cursor", "expected"),
    [
        pytest.param("up", None, False, b"\x1b[A", id="arrow"),
        pytest.param("up", None, True, b"\x1bOA", id="arrow in application mode"),
        pytest.param("ctrl+left", None, False, b"\x1b[1;5D", id="ctrl+arrow"),
        pytest.param("shift+up", None, True, b"\x1b[1;2A", id="modified arrow ignores application mode"),
        pytest.param("home", None, False, b"\x1b[H", id="home"),
        pytest.param("end", None, True, b"\x1bOF", id="end in application mode"),
        pytest.param("pageup", None, False, b"\x1b[5~", id="page up"),
        pytest.param("delete", None, False, b"\x1b[3~", id="delete"),
        pytest.param("f1", None, False, b"\x1bOP", id="F1"),
        pytest.param("f5", None, False, b"\x1b[15~", id="F5"),
        pytest.param("shift+f5", None, False, b"\x1b[15;2~", id="shift+F5"),
        pytest.param("f12", None, False, b"\x1b[24~", id="F12"),
        pytest.param("tab", "\t", False, b"\t", id="tab"),
        pytest.param("shift+tab", None, False, b"\x1b[Z", id="back tab"),
        pytest.param("enter", "\r", False, b"\r", id="enter"),
        pytest.param("backspace", "\x7f", False, b"\x7f", id="backspace"),
        pytest.param("escape", "\x1b", False, b"\x1b", id="escape"),
        pytest.param("ctrl+c", "\x03", False, b"\x03", id="ctrl+c"),
        pytest.param("ctrl+d", "\x04", False, b"\x04", id="ctrl+d"),
        pytest.param("ctrl+z", "\x1a", False, b"\x1a", id="ctrl+z"),
        pytest.param("ctrl+backslash", "\x1c", False, b"\x1c", id="ctrl+backslash"),
        pytest.param("alt+x", "x", False, b"\x1bx", id="alt+letter"),
        pytest.param("alt+shift+x", "X", False, b"\x1bX", id="alt+capital"),
        pytest.param("alt+full_stop", None, False, b"\x1b.", id="alt+punctuation"),
        pytest.param("ctrl+alt+c", None, False, b"\x1b\x03", id="ctrl+alt+letter"),
        pytest.param("a", "a", False, b"a", id="letter"),
        pytest.param("eacute", "é", False, "é".encode(), id="non-ASCII"),
        pytest.param("space", " ", False, b" ", id="space"),
        pytest.param("ctrl+space", None, False, b"\x00", id="ctrl+space"),
    ],
)
def test_encode_key(key, character, app_cursor, expected):
    assert encode_key(key, character, app_cursor=app_cursor) == expected


def test_paste_plain_and_bracketed():
    assert encode_paste("ls\nexit\n", bracketed=False) == b"ls\rexit\r"
    assert encode_paste("ls\n", bracketed=True) == b"\x1b[200~ls\r\x1b[201~"


def test_bracketed_paste_cannot_close_the_bracket_early():
    assert encode_paste("a\x1b[201~rm -rf /\n", bracketed=True) == b"\x1b[200~arm -rf /\r\x1b[201~"


def test_wheel_reports():
    assert encode_wheel(True, 0, 0, sgr=True) == b"\x1b[<64;1;1M"
    assert encode_wheel(False, 4, 2, sgr=False) == b"\x1b[Ma%#"
