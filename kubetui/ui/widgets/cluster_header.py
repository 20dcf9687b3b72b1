"""Where we are and how fresh the data is: context, server, namespace, counts, connection state.

The server is followed by "TLS not verified" when the kubeconfig's insecure-skip-tls-verify is
in force, so a user never mistakes that connection for a verified one.

Key decisions: the header only shows what the screen tells it (it never reads the clock or the
API); "stale since" is the instant the watch reported, in local wall-clock time; an error the
user must act on (401, 403, an unreachable server) gets its own full-width red banner line, and
the table below keeps the last data.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from rich.text import Text
from textual.widget import Widget

from kubetui.model import status_tone

_TONE_STYLES = {"ok": "green", "pending": "yellow", "error": "bold red", "done": "dim",
                "terminating": "magenta", "": ""}
_MAX_STATUSES_SHOWN = 6


def state_text(kind: str, attempt: int = 0, since: datetime | None = None) -> tuple[str, str]:
    """The connection state as the header words it, and its style."""
    stale = f"stale since {since.astimezone().strftime('%H:%M:%S')}" if since else ""
    if kind == "live":
        return "● live", "bold green"
    if kind == "stale":
        return stale or "stale", "bold red"
    if kind == "reconnecting":
        return f"reconnecting ({attempt})" + (f" · {stale}" if stale else ""), "bold yellow"
    if kind == "error":
        return "error" + (f" · {stale}" if stale else ""), "bold red"
    return "connecting…", "yellow"


class ClusterHeader(Widget):
    """Context, server, namespace; counts by status and the watch's state; an error banner."""

    DEFAULT_CSS = """
    ClusterHeader { height: auto; background: $panel; padding: 0 1; }
    """

    def __init__(self, *, context: str, server: str, namespace: str, readonly: bool = False,
                 tls_verified: bool = True) -> None:
        super().__init__()
        self.context = context
        self.server = server
        self.namespace = namespace
        self.tls_verified = tls_verified
        self.readonly = readonly
        self.counts: Mapping[str, int] = {}
        self.total = 0
        self.shown: int | None = None  # rows left by the filter, when one is active
        self.filter_text = ""
        self.state_kind, self.attempt, self.since = "connecting", 0, None
        self.error_title = self.error_message = ""
        self.noun = "pods"  # what the counts count
        self.breadcrumb = ""  # where the views are: "deploy › web › rs › web-7f9c › pods"

    def set_place(self, *, context: str, server: str, namespace: str, tls_verified: bool = True) -> None:
        self.context, self.server, self.namespace = context, server, namespace
        self.tls_verified = tls_verified
        self.refresh(layout=True)

    def set_counts(self, counts: Mapping[str, int], total: int, shown: int | None, filter_text: str,
                   noun: str = "pods") -> None:
        self.counts, self.total, self.shown, self.filter_text = dict(counts), total, shown, filter_text
        self.noun = noun
        self.refresh()

    def set_breadcrumb(self, breadcrumb: str) -> None:
        self.breadcrumb = breadcrumb
        self.refresh()

    def set_state(self, kind: str, attempt: int = 0, since: datetime | None = None,
                  error_title: str = "", error_message: str = "") -> None:
        had_banner = bool(self.error_message)
        self.state_kind, self.attempt, self.since = kind, attempt, since
        self.error_title, self.error_message = error_title, error_message
        self.refresh(layout=had_banner != bool(error_message))

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("context ", style="dim")
        text.append(self.context, style="bold")
        text.append("  server ", style="dim")
        text.append(self.server)
        if not self.tls_verified:  # the kubeconfig's own insecure-skip-tls-verify: say so, always
            text.append("  TLS not verified", style="bold yellow")
        text.append("  namespace ", style="dim")
        text.append(self.namespace, style="bold cyan")
        if self.readonly:
            text.append("  read-only", style="bold yellow")
        if self.filter_text:  # on this line, which has room: the counts line can fill up
            text.append("  filter ", style="dim")
            text.append(f"/{self.filter_text}", style="bold magenta")
            if self.shown is not None:
                text.append(f" ({self.shown} shown)", style="dim")
        text.append("\n")
        label, style = state_text(self.state_kind, self.attempt, self.since)
        text.append(label, style=style)
        if self.breadcrumb:
            text.append("  ")
            text.append(self.breadcrumb, style="bold cyan")
        text.append(f"  {self.noun} ", style="dim")
        text.append(str(self.total), style="bold")
        ordered = sorted(self.counts.items(), key=lambda item: (-item[1], item[0]))
        for status, count in ordered[:_MAX_STATUSES_SHOWN]:
            text.append(f"  {status} ", style=_TONE_STYLES[status_tone(status)])
            text.append(str(count), style="bold")
        if len(ordered) > _MAX_STATUSES_SHOWN:
            text.append(f"  +{len(ordered) - _MAX_STATUSES_SHOWN} more", style="dim")
        if self.error_message:
            banner = f" {self.error_title}: {self.error_message}" if self.error_title else f" {self.error_message}"
            text.append("\n")
            text.append(banner.ljust(max(len(banner), self.size.width)), style="bold white on dark_red")
        return text
