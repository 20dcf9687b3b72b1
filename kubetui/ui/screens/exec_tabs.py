"""Exec for a screen that shows pods: keys, container choice, and sessions as tabs beside it.

`ExecTabsMixin` is mixed into the pods screen (`class PodsScreen(ExecTabsMixin, Screen)`), whose
compose puts the dashboard in `TabbedContent(id="tabs")` as pane "dashboard". It adds:
`s` shell (one container: at once; several: the picker), `Enter` the container picker, `e` a
custom command, `[`/`]` previous/next tab, and in the tab bar `x` hang up and `f` full-terminal
mode. The pod is read fresh in a thread worker (states change), sessions get the app's current
connection, and `--readonly` refuses with the reason. Nothing here blocks the UI loop.
A closed tab gives back all it held: once its pane is gone and its session's thread has ended,
the cyclic collector frees it (`reclaim_closed_tab`); the heap is frozen once, before the
first tab, so no tab is ever frozen by this screen.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import weakref
from functools import partial

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import TabbedContent, TabPane, Tabs

from kubetui.errors import KubetuiError
from kubetui.model.exec_choices import container_choices
from kubetui.ui.screens.container_picker import ContainerPick, ContainerPicker
from kubetui.ui.screens.exec_command import CommandRequest, CommandResultScreen, ExecCommandDialog
from kubetui.ui.textual_leaks import release_removed_widgets
from kubetui.ui.widgets.exec_tab import ExecTab
from kubetui.ui.widgets.terminal_view import TerminalView

DASHBOARD = "dashboard"
READONLY_MESSAGE = ("kubetui runs with --readonly: exec is disabled, because a shell can change anything in "
                    "the container. Start kubetui without --readonly to open one.")
_pane_numbers = itertools.count(1)
HANG_UP_SECONDS = 2.0  # a closed session's thread ends within half a second; this is a bound
RECLAIM_ATTEMPTS, RECLAIM_RETRY_SECONDS = 5, 0.5


class ExecTabsMixin(Screen):
    _froze_heap = False  # see open_exec_tab
    BINDINGS = [
        Binding("s", "exec_shell", "Shell"),
        Binding("enter", "exec_enter", "Containers", show=False),
        Binding("e", "exec_command", "Exec command"),
        Binding("right_square_bracket", "next_tab", "Next tab"),
        Binding("left_square_bracket", "previous_tab", "Prev tab", show=False),
        Binding("x", "close_exec_tab", "Hang up", show=False),
        Binding("f", "full_terminal", "Full terminal", show=False),
    ]

    # --- where things are --- #

    @property
    def exec_tabs(self) -> TabbedContent:
        return self.query_one("#tabs", TabbedContent)

    def active_exec_tab(self) -> ExecTab | None:
        tabs = self.exec_tabs
        if not tabs.active or tabs.active == DASHBOARD:
            return None
        return tabs.get_pane(tabs.active).query_one(ExecTab)

    def _cursor_pod(self) -> tuple[str, str] | None:
        key = getattr(getattr(self, "table", None), "cursor_key", None)
        if not key or "/" not in key:
            self.notify("no pod is selected", title="Exec", severity="warning")
            return None
        namespace, name = key.split("/", 1)
        return namespace, name

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        focused = self.focused
        if isinstance(focused, TerminalView):
            return False  # every key but ctrl+] belongs to the remote side; keep the footer honest
        on_dashboard = self.exec_tabs.active == DASHBOARD if self.is_mounted else True
        if action in ("exec_shell", "exec_command") and not on_dashboard:
            return False
        if action in ("close_exec_tab", "full_terminal"):
            return not on_dashboard
        return super().check_action(action, parameters)

    # --- keys --- #

    def action_exec_shell(self) -> None:
        self._with_pod(self._shell_in)

    def action_exec_command(self) -> None:
        self._with_pod(self._command_in)

    def action_exec_enter(self) -> None:
        if isinstance(self.focused, Tabs):  # from the tab bar: into the active tab
            self._focus_active()
            return
        self._with_pod(lambda pod: self._pick(pod, always=True))

    def action_next_tab(self) -> None:
        self._cycle(+1)

    def action_previous_tab(self) -> None:
        self._cycle(-1)

    def action_close_exec_tab(self) -> None:
        tab = self.active_exec_tab()
        if tab is not None:
            self.close_exec_tab(tab)

    def action_full_terminal(self) -> None:
        tab = self.active_exec_tab()
        if tab is not None:
            from kubetui.ui.full_terminal import run_full_terminal

            run_full_terminal(self.app, tab)

    def _cycle(self, step: int) -> None:
        tabs = self.exec_tabs
        panes = [pane.id for pane in tabs.query(TabPane)]
        if len(panes) > 1:
            index = panes.index(tabs.active) if tabs.active in panes else 0
            tabs.active = panes[(index + step) % len(panes)]
            self.call_after_refresh(self._focus_active)

    def _focus_active(self) -> None:
        tab = self.active_exec_tab()
        if tab is not None:
            tab.view.focus()
        else:
            pane = self.exec_tabs.get_pane(DASHBOARD)
            focusable = [w for w in pane.query("*") if w.focusable]
            if focusable:
                focusable[0].focus()

    # --- choosing --- #

    def _with_pod(self, then) -> None:
        if getattr(self.app, "readonly", False):
            self.notify(READONLY_MESSAGE, title="Read-only", severity="warning", timeout=8)
            return
        where = self._cursor_pod()
        if where is None:
            return
        api_client = self.app.connection.api_client

        def read() -> None:
            from kubetui.kube.exec_stream import read_pod

            try:
                pod = read_pod(api_client, *where)
            except KubetuiError as exc:
                self.app.call_from_thread(self.notify, exc.message, title=exc.title, severity="error", timeout=8)
                return
            self.app.call_from_thread(then, pod)

        self.run_worker(read, thread=True, group="exec-read", exclusive=True, exit_on_error=False)

    def _pick(self, pod: dict, always: bool = False, action: str | None = None) -> None:
        choices = container_choices(pod)
        if not choices:
            self.notify("this pod has no containers to exec into", title="Exec", severity="warning")
            return
        if len(choices) == 1 and not always:
            self._picked(pod, ContainerPick(choices[0].name, action or "shell"))
            return
        self.app.push_screen(ContainerPicker(pod), partial(self._picked, pod))

    def _shell_in(self, pod: dict) -> None:
        self._pick(pod, action="shell")

    def _command_in(self, pod: dict) -> None:
        self._pick(pod, action="command")

    def _picked(self, pod: dict, pick: ContainerPick | None) -> None:
        if pick is None:
            return
        meta = pod.get("metadata") or {}
        namespace, name = meta.get("namespace", ""), meta.get("name", "")
        if pick.action == "command":
            self.app.push_screen(ExecCommandDialog(f"{name}/{pick.container}"),
                                 partial(self._command_chosen, namespace, name, pick.container))
        else:
            self.open_exec_tab(namespace, name, pick.container)

    def _command_chosen(self, namespace: str, name: str, container: str, request: CommandRequest | None) -> None:
        if request is None:
            return
        if request.tty:
            self.open_exec_tab(namespace, name, container, request.argv)
            return
        from kubetui.kube.exec_once import run_once
        from kubetui.kube.exec_stream import ExecTarget

        target = ExecTarget(namespace, name, container, request.argv, tty=False)
        api_client = self.app.connection.api_client
        title = f"{name}/{container}: {' '.join(request.argv)}"
        self.app.push_screen(CommandResultScreen(title, lambda cancelled: run_once(api_client, target,
                                                                                   cancelled=cancelled)))

    # --- tabs --- #

    def open_exec_tab(self, namespace: str, pod: str, container: str, command: tuple = ()) -> ExecTab:
        """A new session in a new tab, made active and focused."""
        from kubetui.kube.exec_session import ExecSession
        from kubetui.kube.exec_stream import ExecTarget

        target = ExecTarget(namespace, pod, container, tuple(command))
        tabs = self.exec_tabs
        title = target.title
        taken = {str(tab.label) for tab in tabs.query("ContentTab")}
        if title in taken:
            title = next(f"{target.title} ({n})" for n in itertools.count(2) if f"{target.title} ({n})" not in taken)
        # A flood allocates fast, and every full collection then walks everything alive: the
        # client's modules and models, Textual, the rows (300 ms a pass measured in
        # bench/bench_exec.py, freezing the keys meanwhile). What is alive before the first
        # tab is long-lived: take it out of the collector's walks, as the pods screen does
        # after a big list. Once only: a later freeze would take open tabs (and whatever
        # short-lived widgets are on screen then) with it, never to be collected once closed.
        if not self._froze_heap:
            self._froze_heap = True
            gc.freeze()
        tab = ExecTab(target, partial(ExecSession, self.app.connection.api_client))
        self.call_later(self._add_pane, TabPane(title, tab, id=f"exec-{next(_pane_numbers)}"), tab)
        return tab

    async def _add_pane(self, pane: TabPane, tab: ExecTab) -> None:
        tabs = self.exec_tabs
        await tabs.add_pane(pane)
        tabs.active = pane.id
        tab.view.focus()

    def close_exec_tab(self, tab: ExecTab) -> None:
        """Hang up and remove the tab; the dashboard becomes active. Once the session's thread
        has let go of the tab, everything the tab held is freed (`reclaim_closed_tab`)."""
        session, closed = tab.session, weakref.ref(tab)
        tab.close_session()
        pane = tab.parent
        while pane is not None and not isinstance(pane, TabPane):
            pane = pane.parent
        tabs = self.exec_tabs
        removed = None
        if pane is not None:
            tabs.active = DASHBOARD
            removed = tabs.remove_pane(pane.id)
            self.call_after_refresh(self._focus_active)
        self.run_worker(self._reclaim_after(removed, session, closed), group="exec-reclaim",
                        exit_on_error=False)

    async def _reclaim_after(self, removed, session, closed: weakref.ref) -> None:
        """Once the pane is gone, the session's thread has let go of the tab and the screen
        has been redrawn without it (the compositor's map holds what it last drew), free it."""
        if removed is not None:
            await removed
        if session is not None:
            await asyncio.to_thread(session.join, HANG_UP_SECONDS)
        del removed, session  # this frame must not be what keeps the tab alive
        for _ in range(RECLAIM_ATTEMPTS):
            redrawn = asyncio.Event()
            self.call_after_refresh(redrawn.set)
            await redrawn.wait()
            if reclaim_closed_tab(self, closed):
                return
            await asyncio.sleep(RECLAIM_RETRY_SECONDS)  # a message in flight still holds it

    def on_exec_tab_close_requested(self, message: ExecTab.CloseRequested) -> None:
        message.stop()
        self.close_exec_tab(message.tab)

    def on_exec_tab_leave_requested(self, message: ExecTab.LeaveRequested) -> None:
        message.stop()
        self.query_one("#tabs Tabs", Tabs).focus()

    def close_all_exec_tabs(self) -> None:
        for tab in self.query(ExecTab):
            tab.close_session()


def reclaim_closed_tab(screen: Screen, closed: weakref.ref) -> bool:
    """Free what a closed tab held; False while something still holds it (try again later).

    Textual widgets hold reference cycles, so only the cyclic collector frees them: collect
    now (cheap: the long-lived heap is frozen). A tab that survives it and is not among the
    objects the collector tracks was frozen while it lived (the pods screen freezes after a
    big list), and the collector never looks at frozen objects: then thaw, collect once (a
    full pass, rare) and freeze what is left again."""
    release_removed_widgets(screen)
    gc.collect()
    tab = closed()
    if tab is None:
        return True
    frozen = not any(tracked is tab for tracked in gc.get_objects())
    del tab
    if not frozen:
        return False
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    return True
