"""Keys as people name them: `]` not `right_square_bracket`, `F2`, `shift+n`, `Esc`."""

from __future__ import annotations

import re

from textual.keys import format_key

__all__ = ["one_key_label"]

_KEY_NAMES = {"escape": "Esc", "pageup": "PgUp", "pagedown": "PgDn", "down": "↓", "up": "↑", "left": "←",
              "right": "→", "home": "Home", "end": "End", "enter": "Enter", "tab": "Tab", "space": "Space",
              "backspace": "Backspace", "delete": "Del", "insert": "Ins"}

def one_key_label(key: str) -> str:
    """`right_square_bracket` -> `]`, `ctrl+right_square_bracket` -> `ctrl+]`, `N` -> `shift+n`."""
    *modifiers, name = key.split("+")
    if len(name) == 1 and name.isupper():
        modifiers, name = [*modifiers, "shift"], name.lower()
    elif re.fullmatch(r"f\d{1,2}", name):
        name = name.upper()
    else:
        name = _KEY_NAMES.get(name) or format_key(name)
    return "+".join([*modifiers, name])
