"""The apply dock's keys that work wherever the focus is on the workspace (`a` opens the dock
from the table): the workspace binds them and passes them on to the dock's actions.

Key decision: apart from the dock itself, which the workspace builds the first time one of
these keys (or a YAML tab's `E`) needs it, so its editor, file browser and checks stay off the
app's start-up path.
"""

from __future__ import annotations

from textual.binding import Binding

SCREEN_BINDINGS = [
    Binding("a", "piece('dock', 'toggle')", "Apply panel"),
    Binding("less_than_sign", "piece('dock', 'resize_open(4)')", "Wider apply panel", show=False),
    Binding("greater_than_sign", "piece('dock', 'resize_open(-4)')", "Narrower apply panel", show=False),
]
