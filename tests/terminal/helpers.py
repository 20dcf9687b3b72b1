"""Small helpers for emulator tests: feed text, read the screen back."""

from __future__ import annotations

from kubetui.terminal import ScreenBuffer


def term(text: str | bytes = "", cols: int = 10, rows: int = 4, scrollback: int = 100) -> ScreenBuffer:
    buffer = ScreenBuffer(cols, rows, scrollback)
    if text:
        buffer.feed(text.encode() if isinstance(text, str) else text)
    return buffer


def styles_of(buffer: ScreenBuffer, row: int) -> list:
    """[(text, style)] of a row, trailing default blanks dropped."""
    return [(text, style) for text, style in buffer.line_runs(row) if text.strip() or style[1] is not None]  # style = (fg, bg, flags)
