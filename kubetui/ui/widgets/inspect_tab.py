"""`InspectTab`: one object's text in a session tab (describe, YAML), kept live by watch,
searchable.

Key decisions: the widget never reaches the cluster itself. The session kind hands in how to
follow the object (`follow`: a `kube.object_following.ObjectFollow`, built and run in a guarded
thread worker until the tab closes), what to read when it changes (`read`, in a worker: a describe's
related objects) and how to lay the page out (`page`, pure, in a worker). A change only marks
the text out of date: one render runs at a time, and the changes that arrive meanwhile are read
together by the next one, so a burst of events costs one or two renders whatever its size. With
`ages_every`, the page is laid out again that often from what was read (no request) while the
tab is shown, so the events' ages tick as kubectl's would. The pager keeps its scroll offset and
its search across renders. The status line says what is true now: `live` only while the
object's watch is, `stale since` when it is lost (the text stays), `deleted`, `not found`. A
failed read takes the app's error route, once a streak; the next change reads again. `/`
searches (Enter keeps, Esc clears), `n`/`N` move through the matches, Esc in the text goes back
to the views (the tab stays open).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
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

__all__ = ["AGES_SECONDS", "InspectTab", "Page"]

AGES_SECONDS = 1.0  # kubectl's ages count seconds for the first two minutes


@dataclass(frozen=True)
class Page:
    """What one render laid out: the text, its syntax spans per line, and the data it came from."""

    text: str
    spans: dict = field(default_factory=dict)
    data: Any = None


class InspectTab(Vertical):
    """A status line, the text, and a search line (hidden until `/`).

    ``follow(on_change=, on_state=)`` builds the `ObjectFollow`; ``read(followed)`` turns what it
    has read (a `FollowedObject` with an object) into the page's material, ``page(material,
    now)`` lays it out."""

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

    class _Changed(Message):
        """The object or its events changed (one message per wake-up, however many changes)."""

    class _StateChanged(Message):
        def __init__(self, part: str, state: Any) -> None:
            super().__init__()
            self.part, self.state = part, state

    def __init__(self, subject: str, what: str, follow: Callable[..., Any], read: Callable[[Any], Any],
                 page: Callable[[Any, datetime], Page], *, ages_every: float | None = None,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.subject = subject  # "pod/web in default"
        self.what = what  # "describe", "yaml"
        self.follow = follow
        self.read = read
        self.make_page = page
        self.ages_every = ages_every
        self.view = TextPager()
        self.page: Page | None = None
        self.pages = 0  # pages shown so far (tests wait on it)
        self.reads = 0  # ... of which read after a change (the others: ages, toggles)
        self.session: Any = None  # the ObjectFollow while open; closing the tab joins its threads
        self._material: Any = None  # what the last read gave, for laying the page out again
        self._wake_posted = False
        self._busy = False  # a render is under way
        self._unread = False  # a change not read yet
        self._relayout = False  # lay the page out again from `_material`
        self._failing = False
        self._hung_up = False
        self._states: dict[str, Any] = {}  # "object", "events" -> their watch's WatchState
        self._updated_at = ""  # local time of the last change read
        self._missing = ""  # "not found", "deleted at 12:03:04"
        self._problem = ""  # why the last read failed

    def compose(self) -> ComposeResult:
        yield Static(f"{self.subject} · {self.what} · connecting…", classes="inspect-status", markup=False)
        yield self.view
        yield Input(placeholder="search (case-insensitive) · Enter keeps · Esc clears", classes="inspect-search")

    def on_mount(self) -> None:
        run_guarded(self, self._follow, group="inspect-follow", exclusive=False)
        if self.ages_every:
            self.set_interval(self.ages_every, self._ages_tick)

    def on_unmount(self) -> None:
        self.close_session()

    @property
    def search_line(self) -> Input:
        return self.query_one(".inspect-search", Input)

    @property
    def status_text(self) -> str:
        return str(self.query_one(".inspect-status", Static).render())

    def close_session(self) -> None:
        """The tab is closing: stop watching (returns at once; the threads end within a second)."""
        self._hung_up = True
        if self.session is not None:
            self.session.stop()

    # -- following -----------------------------------------------------------------------------
    def _follow(self) -> None:
        """Worker thread: build the follower (its imports stay off the UI loop) and run it until
        the tab closes."""
        follow = self.follow(on_change=self._changed_from_thread, on_state=self._state_from_thread)
        self.session = follow  # before the check: a close from now on stops it
        if not self._hung_up:
            follow.run()

    def _changed_from_thread(self) -> None:
        if not self._wake_posted:
            self._wake_posted = True
            self.post_message(self._Changed())

    def _state_from_thread(self, part: str, state: Any) -> None:
        self.post_message(self._StateChanged(part, state))

    def on_inspect_tab__changed(self, message: _Changed) -> None:
        message.stop()
        self._wake_posted = False
        self._unread = True
        self._render_next()

    def on_inspect_tab__state_changed(self, message: _StateChanged) -> None:
        message.stop()
        self._states[message.part] = message.state
        self._update_status()

    def relayout(self) -> None:
        """Lay the page out again from what was read (a toggle changed how it is shown)."""
        self._relayout = True
        self._render_next()

    def _ages_tick(self) -> None:
        if self._shown():
            self.relayout()

    def _shown(self) -> bool:
        return all(node.display for node in self.ancestors_with_self if isinstance(node, Widget))

    # -- rendering -----------------------------------------------------------------------------
    def _render_next(self) -> None:
        """Start a render unless one is under way: a read when something changed, else a layout."""
        if self._busy or self._hung_up or self.session is None:
            return
        if self._unread:
            followed = self.session.snapshot()
            if not followed.ready:
                return  # the next change brings the rest
            self._unread = False
            if followed.obj is None:
                self._gone(followed.deleted)
                return
            self._missing = ""
            self._start_render(followed, None)
        elif self._relayout and self._material is not None:
            self._relayout = False
            self._start_render(None, self._material)

    def _start_render(self, followed: Any, material: Any) -> None:
        self._busy = True
        run_guarded(self, partial(self._read_and_lay_out, not self._failing, followed, material), group="inspect",
                    exclusive=False, failed=lambda node, error, shown: node._render_failed(error, shown))

    def _read_and_lay_out(self, report: bool, followed: Any, material: Any) -> None:
        """Worker thread: read (when ``followed`` is given) and lay out; the first failure of a
        streak raises (the error route), the next ones only say so on the status line."""
        try:
            if followed is not None:
                material = self.read(followed)
            page = self.make_page(material, self.app.now())
        except Exception as error:
            if report:
                raise
            self.app.call_from_thread(self._render_failed, error)
            return
        self.app.call_from_thread(self._show_page, followed is not None, material, page)

    def _show_page(self, read: bool, material: Any, page: Page) -> None:
        self._busy = False
        if read:
            self.reads += 1
            self._failing, self._problem = False, ""
            self._updated_at = self._local_time(self.app.now())
        self._material = material
        self.pages += 1
        previous, self.page = self.page, page
        if previous is None or page.text != previous.text or page.spans != previous.spans:
            self.view.set_text(page.text, page.spans)
        self._update_status()
        self._render_next()

    def _render_failed(self, error: BaseException, shown: str = "") -> None:
        self._busy = False
        self._failing = True
        self._problem = error.message if isinstance(error, KubetuiError) else (shown or str(error))
        self._update_status()
        self._render_next()

    def _gone(self, deleted: bool) -> None:
        if deleted:
            if not self._missing.startswith("deleted"):
                self._missing = f"deleted at {self._local_time(self.app.now())}"
        elif not self._missing:
            self._missing = "not found"
            self.app.report_error(KubetuiError(f"{self.subject} not found", "Not found"))
        self._update_status()

    @staticmethod
    def _local_time(when: datetime) -> str:
        return when.astimezone().strftime("%H:%M:%S")

    # -- the status line -------------------------------------------------------------------------
    def _update_status(self) -> None:
        state, stale = self._state_words()
        pager = self.view
        if pager.query_text:
            count = len(pager.matches)
            position = f"{pager.current + 1}/{count}" if count else "no"
            state += f" · {position} matches for “{pager.query_text}” (n/N)"
        status = self.query_one(".inspect-status", Static)
        status.update(f"{self.subject} · {self.what} · {state}{self.extra_status()}")
        status.set_class(stale, "-stale")

    def _state_words(self) -> tuple[str, bool]:
        """What the status line says of the text's freshness, and whether to mark it stale."""
        watch = self._states.get("object")
        if watch is None or watch.kind == "connecting":
            words, stale = "connecting…", False
        elif watch.kind == "live":
            words, stale = (f"live, updated {self._updated_at}" if self._updated_at else "live, reading…"), False
        else:
            since = f"stale since {self._local_time(watch.since)}" if watch.since else "not read"
            why = f": {watch.error.message}" if watch.error is not None else ""
            again = "retrying" if watch.kind == "error" else "reconnecting"
            words, stale = f"{since}{why} — {again}", True
        if self._missing:
            words, stale = f"{self._missing} · {words}", True
        if self._problem:
            words, stale = f"{words} · not read: {self._problem} (read again at the next change)", True
        events = self._states.get("events")
        if events is not None and events.kind not in ("connecting", "live"):
            why = events.error.message if events.error is not None else events.kind
            words, stale = f"{words} · events: {why}", True
        return words, stale

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
