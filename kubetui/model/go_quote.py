"""Go's `strconv.Quote` (what `%q` prints), for messages that must read as Go's.

API errors (`Pod "x" is invalid`, `Invalid value: "a b"`) and kubectl's flag errors quote
user text with `%q`, so a name with a tab or a non-ASCII rune must come out escaped the same
way. Key decision: `strconv.IsPrint` is approximated by Python's `isprintable` plus Unicode
categories (letters, marks, numbers, punctuation, symbols, and the ASCII space); bytes that
were not UTF-8 (decoded with `surrogateescape`) print as `\\xNN`, as Go prints invalid bytes.
"""

from __future__ import annotations

import unicodedata

__all__ = ["go_printable", "go_quote"]

_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
            "\\": "\\\\", '"': '\\"'}


def go_printable(ch: str) -> bool:
    """`strconv.IsPrint`: what `%q` keeps as it is."""
    return ch == " " or (ch.isprintable() and unicodedata.category(ch)[0] not in "CZ")


def go_quote(text: str) -> str:
    """`strconv.Quote(text)`: printable runes kept, the rest escaped."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif 0xDC80 <= code <= 0xDCFF:  # an undecodable byte carried by surrogateescape
            out.append(f"\\x{code - 0xDC00:02x}")
        elif go_printable(ch):
            out.append(ch)
        elif code < 0x80:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)
