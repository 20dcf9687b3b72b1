"""Asking before deleting the objects of a manifest: the list of what would go, then yes or no.

Key decision: the dialog names every object with its namespace and the context it lives in, so
nobody deletes from the wrong cluster; the default button is Cancel and Esc cancels.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmDelete(ModalScreen[bool]):
    """Dismissed with True only when the user confirms."""

    DEFAULT_CSS = """
    ConfirmDelete { align: center middle; }
    ConfirmDelete > Vertical { width: 80; height: auto; max-height: 80%; background: $panel;
                               border: round $error; padding: 0 1; }
    ConfirmDelete .confirm-title { text-style: bold; padding-bottom: 1; }
    ConfirmDelete VerticalScroll { height: auto; max-height: 20; }
    ConfirmDelete Horizontal { height: 3; align: right middle; padding-top: 1; }
    ConfirmDelete Button { margin-left: 1; }
    """

    BINDINGS = [
        Binding("escape,n", "answer(False)", "Cancel"),
        Binding("y", "answer(True)", "Delete"),
    ]

    def __init__(self, objects: list[str], context: str) -> None:
        super().__init__()
        self.objects = objects
        self.context = context

    def compose(self) -> ComposeResult:
        count = len(self.objects)
        with Vertical():
            yield Static(f"Delete {count} object{'s' * (count != 1)} from context {self.context}?",
                         classes="confirm-title")
            with VerticalScroll():
                yield Static("\n".join(f"  {line}" for line in self.objects), id="confirm-objects")
            with Horizontal():
                yield Button("Cancel (n)", id="confirm-cancel")
                yield Button("Delete (y)", id="confirm-delete", variant="error")

    def on_mount(self) -> None:
        self.query_one("#confirm-cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-delete")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
