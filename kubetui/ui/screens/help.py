"""`?`: the keys active where the focus is, read from Textual's active bindings so it cannot drift.

Key decision: rows come from `Screen.active_bindings` (the focused widget, its ancestors, the
screen and the app, with each node's `check_action` applied), grouped by action, so help shows
exactly what pressing a key would do now. Keys get human names (`]`, `<`, `ctrl+]`, `Esc`). The
command palette reads the same list (`focused_actions`).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from kubetui.ui.key_names import one_key_label

# Textual's own keys that the help and the palette leave out: they concern Textual, not kubetui.
_TEXTUAL_ACTIONS = {"command_palette", "help_quit", "maximize", "minimize"}




@dataclass
class FocusedAction:
    """One action reachable from where the focus is: its keys, what it does, and whose it is."""

    keys: list[str]
    description: str
    node: DOMNode
    action: str

    @property
    def key_text(self) -> str:
        return " / ".join(self.keys)


def focused_actions(screen: Screen) -> list[FocusedAction]:
    """Every enabled action bound where the focus is, nearest the focus first, keys grouped."""
    actions: dict[tuple[int, str], FocusedAction] = {}
    keys: dict[tuple[int, str], list[str]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not active.enabled or binding.system or binding.action in _TEXTUAL_ACTIONS:
            continue
        group = (id(active.node), binding.action)
        if group not in actions:
            actions[group] = FocusedAction([], binding.description or binding.action, active.node, binding.action)
            keys[group] = []
        keys[group].append(key)
    for group, found in actions.items():
        # a letter first (`j / ↓`, as the bindings spell it): merged bindings lose that order
        for key in sorted(keys[group], key=lambda key: len(key) != 1):
            if (label := one_key_label(key)) not in found.keys:
                found.keys.append(label)
    return list(actions.values())


def help_rows(screen: Screen) -> list[tuple[str, str]]:
    """(keys, description) for the help screen, from `focused_actions`."""
    return [(action.key_text, action.description) for action in focused_actions(screen)]


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
            yield Label("Keys here  (Esc closes)", classes="picker-title")
            yield Static(table, id="help-table")

    def action_close(self) -> None:
        self.dismiss(None)
