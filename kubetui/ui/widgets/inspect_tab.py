"""`InspectTab`: one object's text in a session tab (describe, YAML), kept live, searchable.

Key decisions: the text comes from a `fetch` callable the session kind hands in (the widget
never reaches the cluster itself); it runs in a guarded thread worker every `interval` seconds
while the tab is shown, one at a time, and the pager keeps its scroll offset across refreshes.
The status line says how fresh the text is: `live` only while fetches succeed; after a failure
the text stays, marked stale since the last success. The first failure of a streak takes the
app's error route; the retries that follow only update the status line, so a deleted object
does not raise a notice every two seconds. `/` searches (Enter keeps, Esc clears), `n`/`N` move
through the matches, Esc in the text goes back to the views (the tab stays open).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any, Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from kubetui.errors import KubetuiError
from kubetui.ui.widgets.text_pager import TextPager
from kubetui.ui.workers import run_guarded

__all__ = ["InspectTab", "Page"]

REFRESH_SECONDS = 2.0


@dataclass(frozen=True)
class Page:
    """What one fetch read: the text, its syntax spans per line, and the data it came from."""

    text: str
    spans: dict = field(default_factory=dict)
    data: Any = None


class InspectTab(Vertical):
    """A status line, the text, and a search line (hidden until `/`)."""

    DEFAULT_CSS = """
    InspectTab { height: 1fr; }
    InspectTab > .inspect-status { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    InspectTab > .inspect-status.-stale { color: $warning; }
    InspectTab > .inspect-search { dock: bottom; display: none; border: tall $accent; }
    """

    BINDINGS = [
        Binding("slash", "open_search", "Search", priority=True),
        Binding("n", "find(1)", "Next match"),
        Binding("N,shift+n", "find(-1)", "Previous match"),
        Binding("escape", "leave", "Back to the views"),
    ]

    class LeaveRequested(Message):
        """Esc in the text: show the views again; the tab stays open."""

    def __init__(self, subject: str, what: str, fetch: Callable[[], Page], *,
                 interval: float = REFRESH_SECONDS, id: str | None = None) -> None:
        super().__init__(id=id)
        self.subject = subject  # "pod/web in default"
        self.what = what  # "describe", "yaml"
        self.fetch = fetch
        self.interval = interval
        self.view = TextPager()
        self.page: Page | None = None
        self.fetches = 0  # successful fetches so far (tests wait on it)
        self._busy = False
        self._failing = False
        self._closed = False
        self._fresh_at = ""  # local time of the last success
        self._problem = ""

    def compose(self) -> ComposeResult:
        yield Static(f"{self.subject} · {self.what} · reading…", classes="inspect-status", markup=False)
        yield self.view
        yield Input(placeholder="search (case-insensitive) · Enter keeps · Esc clears", classes="inspect-search")

    def on_mount(self) -> None:
        self.refresh_now()
        self.set_interval(self.interval, self._poll)

    @property
    def search_line(self) -> Input:
        return self.query_one(".inspect-search", Input)

    @property
    def status_text(self) -> str:
        return str(self.query_one(".inspect-status", Static).render())

    def close_session(self) -> None:
        """The tab is closing: no more fetches."""
        self._closed = True

    # -- fetching ------------------------------------------------------------------------------
    def refresh_now(self) -> None:
        """Fetch now (unless a fetch is under way)."""
        if self._busy or self._closed:
            return
        self._busy = True
        report = not self._failing
        run_guarded(self, partial(self._fetch, report), group="inspect", exclusive=False,
                    failed=lambda node, error, shown: node._fetch_failed(error, shown))

    def _poll(self) -> None:
        if self._shown():
            self.refresh_now()

    def _shown(self) -> bool:
        return all(node.display for node in self.ancestors_with_self if isinstance(node, Widget))

    def _fetch(self, report: bool) -> None:
        """Worker thread: one fetch; the first failure of a streak raises (the error route)."""
        try:
            page = self.fetch()
        except Exception as error:
            if report:
                raise
            self.app.call_from_thread(self._still_failing, error)
            return
        self.app.call_from_thread(self._show_page, page)

    def _show_page(self, page: Page) -> None:
        self._busy = self._failing = False
        self._problem = ""
        self.fetches += 1
        self._fresh_at = self.app.now().astimezone().strftime("%H:%M:%S")
        previous, self.page = self.page, page
        if previous is None or page.text != previous.text or page.spans != previous.spans:
            self.view.set_text(page.text, page.spans)
        self._update_status()

    def _fetch_failed(self, error: BaseException, shown: str) -> None:
        self._still_failing(error, shown)

    def _still_failing(self, error: BaseException, shown: str = "") -> None:
        self._busy = False
        self._failing = True
        self._problem = error.message if isinstance(error, KubetuiError) else (shown or str(error))
        self._update_status()

    # -- the status line -------------------------------------------------------------------------
    def _update_status(self) -> None:
        if self._problem:
            since = f"stale since {self._fresh_at}" if self.page is not None else "not read"
            state = f"{since}: {self._problem} — retrying every {self.interval:g} s"
        else:
            state = f"live, read {self._fresh_at}"
        pager = self.view
        if pager.query_text:
            count = len(pager.matches)
            position = f"{pager.current + 1}/{count}" if count else "no"
            state += f" · {position} matches for “{pager.query_text}” (n/N)"
        status = self.query_one(".inspect-status", Static)
        status.update(f"{self.subject} · {self.what} · {state}{self.extra_status()}")
        status.set_class(bool(self._problem), "-stale")

    def extra_status(self) -> str:
        """More words for the status line (a subclass's toggles)."""
        return ""

    # -- keys ------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "open_search" and self.screen.focused is self.search_line:
            return False  # a "/" typed into the search is text
        if action == "find" and self.screen.focused is self.search_line:
            return False
        return super().check_action(action, parameters)

    def action_open_search(self) -> None:
        field = self.search_line
        field.value = self.view.query_text
        field.cursor_position = len(field.value)
        field.display = True
        self.screen.set_focus(field)  # now: keys typed right after `/` land in the search line

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.view.search(event.value)
        self._update_status()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.view.search(event.value)
        self._close_search()

    def _close_search(self) -> None:
        self.search_line.display = False
        self.screen.set_focus(self.view)
        self._update_status()

    def action_find(self, step: int) -> None:
        if not self.view.find(step):
            self.notify("no matches" if self.view.query_text else "nothing searched: / searches", severity="warning")
        self._update_status()

    def action_leave(self) -> None:
        if self.screen.focused is self.search_line:  # Esc in the search line: no search
            self.view.search("")
            self._close_search()
            return
        self.post_message(self.LeaveRequested())
