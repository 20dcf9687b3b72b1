"""Whether the focused widget hands every key to a remote side (an exec terminal does), so the
app's, the screen's and the tabs' keys stand aside while it has the focus.

Key decision: a class attribute, not an `isinstance` check, so asking never loads the terminal
emulator: the app starts without it and loads it with the first exec tab.
"""

from __future__ import annotations


def takes_every_key(widget: object) -> bool:
    return bool(getattr(widget, "TAKES_EVERY_KEY", False))
