"""Emulator cell styles -> Rich styles, cached (a screen uses a handful; a gradient many).

The cache is cleared when it grows past `CACHE_LIMIT`, so a program painting millions of
true colours cannot grow it without end.
"""

from __future__ import annotations

from functools import lru_cache

from rich.color import Color
from rich.style import Style

from kubetui.terminal.styles import BLINK, BOLD, CONCEAL, DIM, ITALIC, REVERSE, STRIKE, UNDERLINE

CACHE_LIMIT = 4096


def _colour(value) -> Color | None:
    if value is None:
        return None
    if isinstance(value, int):
        return Color.from_ansi(value)
    return Color.from_rgb(*value)


@lru_cache(maxsize=CACHE_LIMIT)
def rich_style(style: tuple) -> Style:
    """`style` is the emulator's (fg, bg, flags)."""
    fg, bg, flags = style
    if fg is None and bg is None and not flags:
        return Style.null()
    return Style(
        color=_colour(fg),
        bgcolor=_colour(bg),
        bold=bool(flags & BOLD) or None,
        dim=bool(flags & DIM) or None,
        italic=bool(flags & ITALIC) or None,
        underline=bool(flags & UNDERLINE) or None,
        blink=bool(flags & BLINK) or None,
        reverse=bool(flags & REVERSE) or None,
        conceal=bool(flags & CONCEAL) or None,
        strike=bool(flags & STRIKE) or None,
    )


@lru_cache(maxsize=1)
def cursor_style() -> Style:
    return Style(reverse=True)
