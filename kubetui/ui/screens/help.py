"""`?`: every key binding of the screen underneath, read from its bindings so it cannot drift."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

_KEY_NAMES = {"slash": "/", "question_mark": "?", "escape": "Esc", "pageup": "PgUp", "pagedown": "PgDn",
              "down": "↓", "up": "↑", "left": "←", "right": "→", "home": "Home", "end": "End", "enter": "Enter", "ctrl+c": "ctrl+c"}


def key_label(keys: str) -> str:
    """`j,down` -> `j / ↓`; an upper-case letter is shown as shift+letter, as k9s documents it."""
    labels = []
    for key in keys.split(","):
        if len(key) == 1 and key.isupper():
            label = f"shift+{key.lower()}"
        else:
            label = _KEY_NAMES.get(key, key)
        if label not in labels:
            labels.append(label)
    return " / ".join(labels)


def binding_rows(*binding_lists: list[Binding]) -> list[tuple[str, str]]:
    """(keys, description) for every binding, in order, each action once."""
    rows, seen = [], set()
    for bindings in binding_lists:
        for binding in bindings:
            if binding.action in seen:
                continue
            seen.add(binding.action)
            rows.append((key_label(binding.key), binding.description or binding.action))
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self._rows = rows

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for keys, description in self._rows:
            table.add_row(keys, description)
        with VerticalScroll(classes="picker help"):
            yield Label("Keys  (Esc closes)", classes="picker-title")
            yield Static(table, id="help-table")

    def action_close(self) -> None:
        self.dismiss(None)
