"""The sessions area: the views tab first, then one tab per session (exec, logs, describe, YAML).

Key decisions: the area is the `TabbedContent` itself. Its tab keys (`[`/`]` cycle the tabs,
`x` hangs up, `f` goes full-terminal) must work wherever the focus is, even in the instant after
ctrl+] when nothing has it yet, so the workspace binds them (`SCREEN_BINDINGS`) and passes them
on; the tab bar's `Enter` is the area's own. All stand aside while a terminal has the focus
(there every key but ctrl+] belongs to the remote side). How a session is opened is the business of its
kind (`kubetui.ui.sessions.SESSION_KINDS`); the area only hosts, titles, cycles and closes the
session widgets. A session widget has a `view` to focus and `close_session()` to hang up; one
with `HAS_FULL_TERMINAL` can give its terminal the whole screen (`f`).
"""

from __future__ import annotations

import importlib
import itertools
import weakref
from typing import Protocol

from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import TabbedContent, TabPane, Tabs

from kubetui.ui.sessions.reclaim import reclaim_after
from kubetui.ui.widgets.remote_keys import takes_every_key

VIEWS_PANE = "dashboard"


class SessionWidget(Protocol):
    view: Widget  # what gets the focus when the tab is entered

    def close_session(self) -> None: ...


SCREEN_BINDINGS = [
    Binding("right_square_bracket", "piece('sessions', 'next_tab')", "Next tab"),
    Binding("left_square_bracket", "piece('sessions', 'previous_tab')", "Prev tab", show=False),
    Binding("x", "piece('sessions', 'close_session')", "Hang up", show=False),
    Binding("f", "piece('sessions', 'full_terminal')", "Full terminal", show=False),
]


class SessionsArea(TabbedContent):
    """Tabs: the resource view, then the sessions."""

    BINDINGS = [Binding("enter", "enter_tab", "Into the tab", show=False)]

    def __init__(self, kinds: dict[str, str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._kind_paths = kinds  # name -> "module:Class", loaded on first use
        self._kinds: dict[str, object] = {}
        self._sessions: dict[str, SessionWidget] = {}  # pane id -> the session widget in it
        self._retiring: set[str] = set()  # ids of closed panes whose removal has not finished

    # --- where things are --- #

    def active_session(self) -> SessionWidget | None:
        return self._sessions.get(self.active or "")

    @property
    def sessions(self) -> list[SessionWidget]:
        return list(self._sessions.values())

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if takes_every_key(self.screen.focused):
            return False  # every key but ctrl+] belongs to the remote side; keep the footer honest
        if action == "enter_tab":
            return isinstance(self.screen.focused, Tabs)
        if action in ("close_session", "full_terminal"):
            return self.active_session() is not None
        return super().check_action(action, parameters)

    # --- what the session kinds call --- #

    def kind(self, name: str):
        """The session kind registered as ``name``, its module loaded the first time."""
        found = self._kinds.get(name)
        if found is None:
            module, _, class_name = self._kind_paths[name].partition(":")
            found = self._kinds[name] = getattr(importlib.import_module(module), class_name)(self)
        return found

    def request(self, kind: str, pod: tuple[str, str] | None, action: str, resource=None) -> None:
        """A view asked for a session of ``kind`` on ``pod`` (see `ResourceView.SessionRequested`);
        ``resource`` (an `ApiResource`) when the object is not necessarily a pod."""
        if resource is None:
            self.kind(kind).request(pod, action)
        else:
            self.kind(kind).request(pod, action, resource)

    def open_session(self, title: str, widget: SessionWidget) -> None:
        """Add a tab for ``widget`` (its title made unique), make it active and focus it."""
        taken = {str(tab.label) for tab in self.query("ContentTab")}
        if title in taken:
            title = next(f"{title} ({n})" for n in itertools.count(2) if f"{title} ({n})" not in taken)
        pane = TabPane(title, widget, id=self._free_pane_id())
        self._sessions[pane.id] = widget
        self.call_later(self._add_pane, pane, widget)

    def _free_pane_id(self) -> str:
        """The lowest pane id no open or closing pane has. Ids are reused on purpose: Textual
        caches parsed selectors and queries by their text (`#--content-tab-session-N`), so an id
        never seen before adds entries on every tab opened, up to a thousand of them."""
        taken = set(self._sessions) | self._retiring
        return next(pane_id for n in itertools.count(1) if (pane_id := f"session-{n}") not in taken)

    async def _add_pane(self, pane: TabPane, widget: SessionWidget) -> None:
        await self.add_pane(pane)
        self.active = pane.id
        widget.view.focus()

    def show_session(self, widget: SessionWidget) -> bool:
        """Make the tab of ``widget`` active and focus it; False when it is not open any more."""
        pane_id = next((pane_id for pane_id, each in self._sessions.items() if each is widget), None)
        if pane_id is None:
            return False
        self.active = pane_id
        widget.view.focus()
        return True

    def close_session(self, widget: SessionWidget) -> None:
        """Hang up and remove the tab; the views tab becomes active. Once the session's thread
        has let go of the tab, everything the tab held is freed (`reclaim.reclaim_after`)."""
        session, closed = getattr(widget, "session", None), weakref.ref(widget)
        widget.close_session()
        pane_id = next((pane_id for pane_id, each in self._sessions.items() if each is widget), None)
        removed = None
        if pane_id is not None:
            del self._sessions[pane_id]
            self.active = VIEWS_PANE
            removed = self.remove_pane(pane_id)
            self._retiring.add(pane_id)
            self.call_after_refresh(self.focus_active)
        del widget
        self.run_worker(reclaim_after(self, removed, session, closed,
                                      removed_callback=lambda: self._retiring.discard(pane_id)),
                        group="session-reclaim", exit_on_error=False)

    def show_views(self) -> None:
        self.active = VIEWS_PANE

    # --- keys --- #

    def action_next_tab(self) -> None:
        self._cycle(+1)

    def action_previous_tab(self) -> None:
        self._cycle(-1)

    def action_enter_tab(self) -> None:
        self.focus_active()

    def action_close_session(self) -> None:
        widget = self.active_session()
        if widget is not None:
            self.close_session(widget)

    def action_full_terminal(self) -> None:
        widget = self.active_session()
        if getattr(widget, "HAS_FULL_TERMINAL", False):
            from kubetui.ui.full_terminal import run_full_terminal

            run_full_terminal(self.app, widget)
        elif widget is not None:
            self.notify("this session has no full-terminal mode", title="Full terminal")

    def _cycle(self, step: int) -> None:
        panes = [pane.id for pane in self.query(TabPane)]
        if len(panes) > 1:
            index = panes.index(self.active) if self.active in panes else 0
            self.active = panes[(index + step) % len(panes)]
            self.call_after_refresh(self.focus_active)

    def focus_active(self) -> None:
        widget = self.active_session()
        if widget is not None:
            widget.view.focus()
            return
        focusable = [w for w in self.get_pane(VIEWS_PANE).query("*") if w.focusable]
        if focusable:
            focusable[0].focus()

    # --- what the session widgets say --- #

    def on_exec_tab_close_requested(self, message) -> None:
        message.stop()
        self.close_session(message.tab)

    def on_exec_tab_leave_requested(self, message) -> None:
        message.stop()
        self.query_one(Tabs).focus()

    def on_log_tab_back_requested(self, message) -> None:
        """Esc in a log tab: the views again; the log keeps following in its tab."""
        message.stop()
        self.show_views()
        self.call_after_refresh(self.focus_active)
