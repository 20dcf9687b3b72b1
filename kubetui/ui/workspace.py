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
from textual.widgets import Footer, Input, TabPane

from kubetui.ui import apply_dock
from kubetui.ui.apply_dock import ApplyDock
from kubetui.ui.messages import ContextConnected
from kubetui.ui.object_actions import ObjectActions
from kubetui.ui.screens.context_picker import ContextPicker
from kubetui.ui.sessions import SESSION_KINDS, VIEWS_PANE, SessionsArea
from kubetui.ui.status_line import StatusLine
from kubetui.ui.view_stack import ViewStack
from kubetui.ui.views import VIEWS, ResourceView
from kubetui.ui.widgets.cluster_header import ClusterHeader
from kubetui.ui.widgets.terminal_view import TerminalView
from kubetui.ui.workers import guarded


class WorkspaceScreen(Screen):
    """The cluster, one resource view, sessions beside it, the apply dock."""

    BINDINGS = [
        *apply_dock.SCREEN_BINDINGS,
        Binding("c", "pick_context", "Context"),
        Binding("colon", "open_command", "Resource"),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(self, *, view: str = "pods", all_namespaces: bool = False) -> None:
        super().__init__()
        self._view_class = VIEWS[view]
        self._all_at_start = all_namespaces
        self._facts: dict[int, dict] = {}  # id(view) -> its last fact of each kind, by message class name

    # -- the pieces ------------------------------------------------------------------------------
    @property
    def header(self) -> ClusterHeader:
        return self.query_one(ClusterHeader)

    @property
    def sessions(self) -> SessionsArea:
        return self.query_one(SessionsArea)

    @property
    def stack(self) -> ViewStack:
        return self.query_one(ViewStack)

    @property
    def view(self) -> ResourceView:
        """The view shown (others stay live behind it, see ui/view_stack.py)."""
        return self.stack.active

    @property
    def actions(self) -> ObjectActions:
        return self.query_one(ObjectActions)

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
                root = self._view_class(namespace=namespace, now=app.now, prefetched=app.take_first_list)
                yield ViewStack(root, "pods", "pods", id="view-stack")
        yield Input(placeholder="resource (pods, deploy, rs, nodes, ns, events, svc, cm, secrets, any kind.group) · "
                                "Enter opens · Esc cancels", id="command")
        yield StatusLine(id="status-line")
        yield ObjectActions()
        yield Footer()
        # docked right, beside the views (after the footer, which keeps the full width)
        dock = ApplyDock(app.manifests_dir, readonly=app.readonly, id="apply-panel")
        dock.views_namespace = namespace
        yield dock

    def stop(self) -> None:
        """Stop the views' streams (quitting): their threads end promptly."""
        for view in self.query(ResourceView):
            view.stop()

    async def show_view(self, name: str) -> ResourceView:
        """Replace every view by a new one registered as ``name``, on the same namespace."""
        view = VIEWS[name](namespace=self.view.namespace, now=self.app.now)
        await self.stack.replace_all(view, name, name)
        return view

    # -- the view's facts: only the shown view's reach the header ------------------------------------
    def _shown(self, message) -> bool:
        """Remember a view's fact; True if it comes from the view shown (the header follows that one)."""
        view = getattr(message, "view", None)
        if view is not None:
            self._facts.setdefault(id(view), {})[type(message).__name__] = message
        return view is None or view is self.view

    def on_resource_view_counts_changed(self, message: ResourceView.CountsChanged) -> None:
        if self._shown(message):
            self._show_fact(message)

    def on_resource_view_connection_state_changed(self, message: ResourceView.ConnectionStateChanged) -> None:
        if self._shown(message):
            self._show_fact(message)

    def _show_fact(self, message) -> None:
        if isinstance(message, ResourceView.CountsChanged):
            self.header.set_counts(message.counts, message.total, message.shown, message.filter_text, message.noun)
        elif isinstance(message, ResourceView.ConnectionStateChanged):
            self.header.set_state(message.kind, message.attempt, message.since, message.error_title,
                                  message.error_message)

    def on_resource_view_namespace_changed(self, message: ResourceView.NamespaceChanged) -> None:
        if not self._shown(message):
            return
        conn = self.app.connection
        self.header.set_place(context=conn.context, server=conn.server, namespace=_label(message.namespace))
        self.dock.views_namespace = message.namespace

    def _view_switched(self) -> None:
        """Another view is shown: the header says what it last said, and where we are."""
        view = self.view
        facts = self._facts.get(id(view), {})
        conn = self.app.connection
        self.header.set_place(context=conn.context, server=conn.server, namespace=_label(view.namespace))
        self.header.set_breadcrumb(self.stack.breadcrumb())
        self.sessions.get_tab(VIEWS_PANE).label = view.TITLE
        for name in ("CountsChanged", "ConnectionStateChanged"):
            if name in facts:
                self._show_fact(facts[name])
        self.dock.views_namespace = view.namespace

    # -- `:` switches the kind, Enter goes down the ownership, Esc comes back --------------------------
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "back":
            return self.query_one("#command", Input).display or self.stack.depth > 1
        if action == "open_command" and self.focused is self.query_one("#command", Input):
            return False
        if isinstance(self.focused, TerminalView):
            return False  # in a terminal every key but ctrl+] belongs to the remote side
        return super().check_action(action, parameters)

    def action_open_command(self) -> None:
        command = self.query_one("#command", Input)
        command.value = ""
        command.display = True
        self.set_focus(command)

    def _close_command(self) -> None:
        self.query_one("#command", Input).display = False
        self.view.focus_content()

    async def action_back(self) -> None:
        if self.query_one("#command", Input).display:
            self._close_command()
            return
        self.sessions.show_views()
        await self.stack.pop()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "command":
            return
        event.stop()
        text = event.value.strip().lstrip(":")
        if text:
            self.stack.open_type(text)
        else:
            self._close_command()

    def on_view_stack_switched(self, _message: ViewStack.Switched) -> None:
        self.query_one("#command", Input).display = False
        self.sessions.show_views()
        self._view_switched()

    def on_resource_view_descend_requested(self, message: ResourceView.DescendRequested) -> None:
        message.stop()
        self.stack.descend(message.target, message.name)

    async def on_resource_view_back_requested(self, message: ResourceView.BackRequested) -> None:
        message.stop()
        await self.action_back()

    def on_resource_view_action_requested(self, message: ResourceView.ActionRequested) -> None:
        message.stop()
        self.actions.request(message.verb, message.resource, message.namespace, message.name)

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

    async def on_context_connected(self, message: ContextConnected) -> None:
        """Back to the pods (other views belong to the old cluster), swap the connection, watch again."""
        await self.stack.drop_roots_except("pods")
        view = self.view
        view.stop()
        self.app.replace_connection(message.connection)
        view.connection_changed(None if view.namespace is None else message.connection.namespace)


def _label(namespace: str | None) -> str:
    return "all" if namespace is None else namespace

