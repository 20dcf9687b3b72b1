"""Asking before deleting or killing one object: kind, name, namespace and context, then y or n.

Key decisions: the question names the context too, so nobody deletes from the wrong cluster; a
kill is worded more strongly and says what kubectl warns about (no wait for the containers to
stop). `y` confirms; `n`, `Esc` and the default button cancel.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

KILL_WARNING = ("The object is removed at once (grace period 0, as kubectl delete --grace-period=0 --force): "
                "nothing waits for its containers to stop, and they may keep running on the node.")


def question(verb: str, kind: str, name: str, namespace: str | None, context: str) -> str:
    where = f" in namespace {namespace}" if namespace else ""
    if verb == "kill":
        return f"KILL {kind} {name}{where} on context {context} NOW?"
    return f"Delete {kind} {name}{where} on context {context}?"


class ConfirmAction(ModalScreen[bool]):
    """Dismissed with True only when the user confirms."""

    DEFAULT_CSS = """
    ConfirmAction { align: center middle; }
    ConfirmAction > Vertical { width: 84; height: auto; background: $panel; border: round $error; padding: 0 1; }
    ConfirmAction .confirm-title { text-style: bold; }
    ConfirmAction .confirm-warning { color: $error; padding-top: 1; }
    ConfirmAction Horizontal { height: 3; align: right middle; padding-top: 1; }
    ConfirmAction Button { margin-left: 1; }
    """

    BINDINGS = [
        Binding("escape,n", "answer(False)", "Cancel"),
        Binding("y", "answer(True)", "Confirm"),
    ]

    def __init__(self, verb: str, kind: str, name: str, namespace: str | None, context: str) -> None:
        super().__init__()
        self.verb = verb  # "delete" or "kill"
        self.text = question(verb, kind, name, namespace, context)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.text, classes="confirm-title", id="confirm-question")
            if self.verb == "kill":
                yield Static(KILL_WARNING, classes="confirm-warning")
            with Horizontal():
                yield Button("Cancel (n)", id="confirm-cancel")
                yield Button(f"{self.verb.capitalize()} (y)", id="confirm-yes", variant="error")

    def on_mount(self) -> None:
        self.query_one("#confirm-cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
