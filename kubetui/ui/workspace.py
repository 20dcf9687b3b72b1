"""The main screen: it composes the pieces and routes messages between them, nothing else.

The pieces: the cluster header, the sessions area (a tab for the resource view, then one per
session), the status line, the footer and the apply dock. Each owns its keys, workers and
messages. Key decisions: the screen holds no state of its own beyond which view it shows; a
view's facts go to the header and the dock, its session requests to the sessions area, the
dock's results back to the view. The screen's own keys are the ones that must work wherever
the focus is: the apply dock's `a`, `<`, `>` and the context picker `c`.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, TabPane

from kubetui.ui import apply_dock
from kubetui.ui.apply_dock import ApplyDock
from kubetui.ui.messages import ContextConnected
from kubetui.ui.screens.context_picker import ContextPicker
from kubetui.ui.sessions import SESSION_KINDS, VIEWS_PANE, SessionsArea
from kubetui.ui.status_line import StatusLine
from kubetui.ui.views import VIEWS, ResourceView
from kubetui.ui.widgets.cluster_header import ClusterHeader
from kubetui.ui.widgets.terminal_view import TerminalView
from kubetui.ui.workers import guarded


class WorkspaceScreen(Screen):
    """The cluster, one resource view, sessions beside it, the apply dock."""

    BINDINGS = [
        *apply_dock.SCREEN_BINDINGS,
        Binding("c", "pick_context", "Context"),
    ]

    def __init__(self, *, view: str = "pods", all_namespaces: bool = False) -> None:
        super().__init__()
        self._view_class = VIEWS[view]
        self._all_at_start = all_namespaces

    # -- the pieces ------------------------------------------------------------------------------
    @property
    def header(self) -> ClusterHeader:
        return self.query_one(ClusterHeader)

    @property
    def sessions(self) -> SessionsArea:
        return self.query_one(SessionsArea)

    @property
    def view(self) -> ResourceView:
        return self.query_one(ResourceView)

    @property
    def dock(self) -> ApplyDock:
        return self.query_one(ApplyDock)

    def compose(self) -> ComposeResult:
        app = self.app
        conn = app.connection
        namespace = None if self._all_at_start else conn.namespace
        yield ClusterHeader(context=conn.context, server=conn.server, namespace=_label(namespace),
                            readonly=app.readonly)
        with SessionsArea(SESSION_KINDS, id="tabs"):
            with TabPane(self._view_class.TITLE, id=VIEWS_PANE):
                yield self._view_class(namespace=namespace, now=app.now, prefetched=app.take_first_list)
        yield StatusLine(id="status-line")
        yield Footer()
        # docked right, beside the views (after the footer, which keeps the full width)
        dock = ApplyDock(app.manifests_dir, readonly=app.readonly, id="apply-panel")
        dock.views_namespace = namespace
        yield dock

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if isinstance(self.focused, TerminalView):
            return False  # in a terminal every key but ctrl+] belongs to the remote side
        return super().check_action(action, parameters)

    def stop(self) -> None:
        """Stop the views' streams (quitting): their threads end promptly."""
        for view in self.query(ResourceView):
            view.stop()

    async def show_view(self, name: str) -> ResourceView:
        """Replace the resource view by the one registered as ``name``, on the same namespace."""
        old = self.view
        old.stop()
        view = VIEWS[name](namespace=old.namespace, now=self.app.now)
        await old.remove()
        await self.sessions.get_pane(VIEWS_PANE).mount(view)
        self.sessions.get_tab(VIEWS_PANE).label = view.TITLE
        self.sessions.show_views()
        view.focus_content()
        return view

    # -- the view's facts --------------------------------------------------------------------------
    def on_resource_view_counts_changed(self, message: ResourceView.CountsChanged) -> None:
        self.header.set_counts(message.counts, message.total, message.shown, message.filter_text)

    def on_resource_view_connection_state_changed(self, message: ResourceView.ConnectionStateChanged) -> None:
        self.header.set_state(message.kind, message.attempt, message.since, message.error_title,
                              message.error_message)

    def on_resource_view_namespace_changed(self, message: ResourceView.NamespaceChanged) -> None:
        conn = self.app.connection
        self.header.set_place(context=conn.context, server=conn.server, namespace=_label(message.namespace))
        self.dock.views_namespace = message.namespace

    def on_resource_view_session_requested(self, message: ResourceView.SessionRequested) -> None:
        self.sessions.request(message.kind, message.pod, message.action)

    # -- the apply dock ------------------------------------------------------------------------------
    def action_toggle_apply_dock(self) -> None:
        self.dock.toggle()

    def action_resize_apply_dock(self, delta: int) -> None:
        self.dock.resize_if_open(delta)

    def on_apply_dock_left(self, _message: ApplyDock.Left) -> None:
        self.view.focus_content()

    def on_apply_dock_pods_changed(self, message: ApplyDock.PodsChanged) -> None:
        self.view.highlight(message.keys)

    def on_apply_dock_jump_requested(self, message: ApplyDock.JumpRequested) -> None:
        self.sessions.show_views()
        self.view.jump_to(message.namespace, message.name)

    # -- the context ----------------------------------------------------------------------------------
    def action_pick_context(self) -> None:
        conn = self.app.connection
        self.app.push_screen(ContextPicker(conn.contexts, conn.context), self._context_chosen)

    def _context_chosen(self, name: str | None) -> None:
        if name is not None and name != self.app.connection.context:
            self._connect(name)

    @guarded(group="connect")
    def _connect(self, name: str) -> None:
        from kubetui.kube.contexts import connect

        self.post_message(ContextConnected(connect(self.app.connection.kubeconfig, name, None)))

    def on_context_connected(self, message: ContextConnected) -> None:
        """Stop the views, swap the connection, watch again on the new context."""
        view = self.view
        view.stop()
        self.app.replace_connection(message.connection)
        view.connection_changed(None if view.namespace is None else message.connection.namespace)


def _label(namespace: str | None) -> str:
    return "all" if namespace is None else namespace
