"""The status line: one line under the views saying what last happened, and the kubectl command
of the last action done with keys.

Key decisions: it shows what the app publishes (`status_changed`: every notification, so the last
one stays readable after its toast fades; `kubectl_changed`: the last action's kubectl line); it
never reads state itself, so any component can report through the app without knowing where
the line is. The message sits on the left and the kubectl line on the right, after a dim `≈`;
when both do not fit, the newer one is shown whole and the older one gets what is left, or
nothing when that is too little to read. A message that already quotes the line (`copied: …`)
is not followed by it again.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual.widgets import Static

_SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "information": ""}
PREFIX = "≈ "
GAP = 3
MIN_OLDER = 12  # narrower than this, the older of the two is left out


def widths(message: int, kubectl: int, kubectl_newer: bool, width: int) -> tuple[int, int]:
    """How many cells the message and the kubectl part get (0: not shown) out of ``width``."""
    if not kubectl:
        return min(message, width), 0
    if not message:
        return 0, min(kubectl, width)
    newer, older = (kubectl, message) if kubectl_newer else (message, kubectl)
    newer = min(newer, width)
    room = width - newer - GAP
    older = min(older, room) if room >= MIN_OLDER else 0
    return (older, newer) if kubectl_newer else (newer, older)


class _Line:
    """The line laid out for the width it is drawn in (so a resize lays it out again)."""

    def __init__(self, message: Text, kubectl: str, kubectl_newer: bool) -> None:
        self.message, self.kubectl, self.kubectl_newer = message, kubectl, kubectl_newer

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        kubectl = Text.assemble((PREFIX, "dim"), self.kubectl) if self.kubectl else Text()
        left, right = widths(self.message.cell_len, kubectl.cell_len, self.kubectl_newer, width)
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        if left:
            message = self.message.copy()
            message.truncate(left, overflow="ellipsis")
            line.append_text(message)
        if right:
            kubectl.truncate(right, overflow="ellipsis")
            line.append(" " * (width - left - right))
            line.append_text(kubectl)
        yield line


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; color: $text-muted; background: $surface; }
    """

    HINT = "? keys here · ctrl+p every action by name"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(self.HINT, id=id, markup=False)
        self.text = ""  # the last message
        self.kubectl = ""  # the last action's kubectl line
        self._severity = "information"
        self._kubectl_newer = False

    def on_mount(self) -> None:
        self.app.status_changed.subscribe(self, self.show)
        self.app.kubectl_changed.subscribe(self, self.show_kubectl)

    def show(self, status: tuple[str, str]) -> None:
        """``status``: (text, severity)."""
        text, self._severity = status
        self.text = " ".join(text.split())  # one line, whatever the message's line breaks
        self._kubectl_newer = False
        self._draw()

    def show_kubectl(self, line: str) -> None:
        self.kubectl = line
        self._kubectl_newer = True
        self._draw()

    def _draw(self) -> None:
        quoted = bool(self.kubectl) and self.kubectl in self.text
        message = Text(self.text, style=_SEVERITY_STYLES.get(self._severity, ""))
        self.update(_Line(message, "" if quoted else self.kubectl, self._kubectl_newer))
