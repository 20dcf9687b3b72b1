"""How many cells a character takes: 1, 2 (East Asian wide, most emoji) or 0 (combining marks).

Uses `wcwidth`, the table remote programs (bash, less, vi through libc) also go by, so the
cursor lands where they expect. Printable ASCII never reaches this module: the emulator
checks `str.isascii()` on whole runs first, which is what keeps plain output fast.
"""

from __future__ import annotations

from functools import lru_cache

from wcwidth import wcwidth


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    """Cells taken by one code point; unprintable ones count 0 (they are dropped when drawn)."""
    width = wcwidth(char)
    if width < 0:
        return 0
    return width
