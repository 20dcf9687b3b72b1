"""Cell styles and SGR (`ESC [ … m`): colours and attributes as small immutable tuples.

A style is a plain `(fg, bg, flags)` tuple, made by `CellStyle(fg, bg, flags)`. Colours are
`None` (the terminal default), an `int` 0–255 (the 16 ANSI colours then the 256-colour palette)
or an `(r, g, b)` tuple (true colour). Tuples compare by value, so lines store the style itself,
not an id into a table that would grow without bound when a program paints a 16-million-colour
gradient. Plain tuples, not a NamedTuple: the garbage collector stops tracking an exact tuple of
numbers, so a 10,000-line history of them costs it nothing (a NamedTuple stays tracked, and a
flood then triggers full collections of the whole app, hundreds of ms each).
"""

from __future__ import annotations

from typing import Union

Colour = Union[None, int, tuple]

BOLD = 1
DIM = 2
ITALIC = 4
UNDERLINE = 8
BLINK = 16
REVERSE = 32
CONCEAL = 64
STRIKE = 128


FG, BG, FLAGS = 0, 1, 2  # positions in a style tuple


def CellStyle(fg: Colour = None, bg: Colour = None, flags: int = 0) -> tuple:  # noqa: N802 (reads as a type)
    return (fg, bg, flags)


DEFAULT = CellStyle()

# SGR parameter -> (flags to set, flags to clear)
_SET = {1: BOLD, 2: DIM, 3: ITALIC, 4: UNDERLINE, 5: BLINK, 6: BLINK, 7: REVERSE, 8: CONCEAL, 9: STRIKE}
_CLEAR = {21: UNDERLINE, 22: BOLD | DIM, 23: ITALIC, 24: UNDERLINE, 25: BLINK, 27: REVERSE, 28: CONCEAL,
          29: STRIKE}


def blank_style(style: tuple) -> tuple:
    """What erased cells look like: the current background only (xterm's back-colour erase)."""
    return DEFAULT if style[BG] is None else (None, style[BG], 0)


def _extended_colour(params: list[int], i: int) -> tuple[Colour, int]:
    """Read `5;n` or `2;r;g;b` after a 38/48/58; return (colour, index of the last parameter used)."""
    if i + 1 < len(params):
        kind = params[i + 1]
        if kind == 5 and i + 2 < len(params):
            return max(0, min(255, params[i + 2])), i + 2
        if kind == 2 and i + 4 < len(params):
            r, g, b = (max(0, min(255, v)) for v in params[i + 2:i + 5])
            return (r, g, b), i + 4
    return None, len(params)  # malformed: ignore the rest, as xterm does


def parse_sgr_params(text: str) -> list[int]:
    """`1;38:2::255:0:0` -> [1, 38, 2, 255, 0, 0]: colon sub-parameters folded into the list.

    The colon form may carry a colour-space id (`38:2:<id>:r:g:b`); it is dropped.
    """
    params: list[int] = []
    for field in text.split(";"):
        if ":" in field:
            parts = [int(p) if p.isdigit() else 0 for p in field.split(":")]
            if len(parts) >= 6 and parts[1] == 2:
                parts = parts[:2] + parts[3:6]
            params.extend(parts)
        else:
            params.append(int(field) if field.isdigit() else 0)
    return params


def apply_sgr(style: tuple, params: list[int]) -> tuple:
    """The style after one SGR sequence. An empty list means reset, like `ESC [ m`."""
    if not params:
        return DEFAULT
    fg, bg, flags = style
    i = 0
    n = len(params)
    while i < n:
        p = params[i]
        if p == 0:
            fg, bg, flags = None, None, 0
        elif 30 <= p <= 37:
            fg = p - 30
        elif 40 <= p <= 47:
            bg = p - 40
        elif 90 <= p <= 97:
            fg = p - 90 + 8
        elif 100 <= p <= 107:
            bg = p - 100 + 8
        elif p == 39:
            fg = None
        elif p == 49:
            bg = None
        elif p in _SET:
            flags |= _SET[p]
        elif p in _CLEAR:
            flags &= ~_CLEAR[p]
        elif p == 38:
            fg, i = _extended_colour(params, i)
        elif p == 48:
            bg, i = _extended_colour(params, i)
        elif p == 58:  # underline colour: parsed so its numbers are not read as attributes
            _, i = _extended_colour(params, i)
        i += 1
    return (fg, bg, flags)
