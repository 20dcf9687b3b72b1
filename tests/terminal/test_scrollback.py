"""History is bounded by a line count, so a flood cannot grow memory without end."""

from __future__ import annotations

import tracemalloc

from kubetui.terminal import ScreenBuffer


def test_history_keeps_only_the_newest_lines():
    buffer = ScreenBuffer(40, 10, scrollback=100)
    buffer.feed("".join(f"line {i}\r\n" for i in range(5000)).encode())
    history = buffer.history()
    assert len(history) == 100
    assert history[-1] == "line 4990"
    assert buffer.display()[0] == "line 4991"


def test_flood_memory_stays_bounded():
    buffer = ScreenBuffer(120, 40, scrollback=1000)
    chunk = ("x" * 100 + "\r\n").encode() * 1000
    buffer.feed(chunk)  # warm up: history full
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for _ in range(30):  # 3 MB more
        buffer.feed(chunk)
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert grown < 1_000_000


def test_scrolling_back_shows_history_above_the_screen():
    buffer = ScreenBuffer(20, 3, scrollback=50)
    buffer.feed(b"a\r\nb\r\nc\r\nd\r\ne")
    assert buffer.history_size == 2
    rows = ["".join(t for t, _ in buffer.line_runs(r, scroll=2)).rstrip() for r in range(3)]
    assert rows == ["a", "b", "c"]


def test_coloured_and_redrawn_lines_keep_their_style_in_history():
    buffer = ScreenBuffer(20, 2, scrollback=50)
    buffer.feed(b"\x1b[31mred\x1b[0m\x1b[1;2HX\r\n\r\n\r\n")
    assert buffer.history()[0] == "rXd"
    runs = buffer.line_runs(0, scroll=buffer.history_size)
    assert [(t, s[0]) for t, s in runs] == [("r", 1), ("X", None), ("d", 1)]  # s = (fg, bg, flags)


def test_no_history_at_all():
    buffer = ScreenBuffer(20, 2, scrollback=0)
    buffer.feed(b"1\r\n2\r\n3\r\n")
    assert buffer.history() == []
