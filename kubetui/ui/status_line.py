"""The status line: one line under the views saying what last happened.

Key decision: it shows what the app publishes on `KubetuiApp.status_changed` (today every
notification, so the last one stays readable after its toast fades); it never reads state
itself, so any component can report through the app without knowing where the line is.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

_SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "information": ""}


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; color: $text-muted; background: $surface; }
    """

    HINT = "? keys here · ctrl+p every action by name"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(self.HINT, id=id, markup=False)
        self.text = ""

    def on_mount(self) -> None:
        self.app.status_changed.subscribe(self, self.show)

    def show(self, status: tuple[str, str]) -> None:
        """``status``: (text, severity)."""
        text, severity = status
        self.text = " ".join(text.split())  # one line, whatever the message's line breaks
        self.update(Text(self.text, style=_SEVERITY_STYLES.get(severity, ""), no_wrap=True, overflow="ellipsis"))
