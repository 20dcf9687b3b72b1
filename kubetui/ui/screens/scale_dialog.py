"""Asking for a replica count: the object, its context, the current count, and a number to type.

Key decisions: the field starts with the current count selected, so typing replaces it; a count
that is not a whole number of at least 0 is refused on one line inside the dialog (nothing is
sent, nothing typed is lost); Esc cancels.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


def parse_count(text: str) -> int:
    """The count typed, or ValueError with the reason."""
    stripped = text.strip()
    if not stripped.isdigit():
        raise ValueError(f"{stripped or 'nothing'} is not a count: type a whole number, 0 or more")
    return int(stripped)


class ScaleDialog(ModalScreen[int | None]):
    """Dismissed with the new count, or None when cancelled."""

    DEFAULT_CSS = """
    ScaleDialog { align: center middle; }
    ScaleDialog > Vertical { width: 72; height: auto; background: $panel; border: round $accent; padding: 0 1; }
    ScaleDialog .scale-title { text-style: bold; padding-bottom: 1; }
    ScaleDialog #scale-error { color: $error; height: auto; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, kind: str, name: str, namespace: str | None, context: str, current: int) -> None:
        super().__init__()
        where = f" in namespace {namespace}" if namespace else ""
        self.title_text = f"Scale {kind}/{name}{where} on context {context}"
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="scale-title")
            yield Static(f"Current count: {self.current} replicas. New count (Enter scales, Esc cancels):",
                         id="scale-current")
            yield Input(str(self.current), id="scale-count", restrict=r"[0-9]*")
            yield Static("", id="scale-error")

    def on_mount(self) -> None:
        field = self.query_one("#scale-count", Input)
        field.focus()
        field.select_all()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            count = parse_count(event.value)
        except ValueError as exc:
            self.query_one("#scale-error", Static).update(str(exc))
            return
        self.dismiss(count)

    def action_cancel(self) -> None:
        self.dismiss(None)
