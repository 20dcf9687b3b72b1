"""Any cut of the byte stream gives the same screen: sequences held back, then completed."""

from __future__ import annotations

from kubetui.terminal.parser import MAX_HELD
from tests.terminal.helpers import term

SAMPLE = (
    "\x1b]0;title\x07\x1b[1;31mred\x1b[0m \x1b[38;5;208morange\x1b[m\r\n"
    "\x1b[?1049h\x1b[H\x1b[2J┌─日本─┐\x1b[2;1H€uro\x1b[K\x1b[?1049l"
    "\x1b]2;other\x1b\\plain \x1b(0qqq\x1b(B end\r\n"
).encode()


def test_every_two_way_cut_gives_the_same_screen():
    whole = term(SAMPLE, cols=20, rows=5)
    expected = (whole.display(), whole.title, whole.cursor, [whole.line_runs(r) for r in range(5)])
    for cut in range(1, len(SAMPLE)):
        buffer = term(cols=20, rows=5)
        buffer.feed(SAMPLE[:cut])
        buffer.feed(SAMPLE[cut:])
        got = (buffer.display(), buffer.title, buffer.cursor, [buffer.line_runs(r) for r in range(5)])
        assert got == expected, f"cut at byte {cut}"


def test_byte_at_a_time():
    whole = term(SAMPLE, cols=20, rows=5)
    buffer = term(cols=20, rows=5)
    for i in range(len(SAMPLE)):
        buffer.feed(SAMPLE[i:i + 1])
    assert buffer.display() == whole.display()


def test_unterminated_osc_is_bounded():
    buffer = term(cols=20)
    for _ in range(20):  # 4 MB of title that never ends: swallowed, not buffered
        buffer.feed(b"\x1b]0;" + b"x" * 200_000 if _ == 0 else b"x" * 200_000)
        assert len(buffer._parser.held) <= MAX_HELD
    buffer.feed(b"\x07after")
    assert buffer.display()[0] == "after"
