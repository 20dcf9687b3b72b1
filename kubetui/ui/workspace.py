"""The main screen: it composes the pieces and routes messages between them, nothing else.

The pieces: the cluster header, the sessions area (a tab for the resource view, then one per
session), the status line, the key bar and the apply dock. Each owns its keys, workers and
messages. Key decisions: the screen holds no state of its own beyond which view it shows; a
view's facts go to the header and the dock, its session requests to the sessions area, the
dock's results back to the view. The screen's keys are the ones that must work wherever the
focus is: the context picker `c`, and the pieces' `SCREEN_BINDINGS` (the dock's `a`, `<`, `>`,
the tabs' `[`, `]`, `x`, `f`), which `piece(name, action)` passes on to that piece's action.
The views live in a `ViewStack` (Enter goes down the ownership, Esc comes back); every view
tells its facts, and only the shown view's reach the header (the others are remembered and
shown again when their view is). Actions on objects go to `ObjectActions`. `:` opens the
`CommandLine`: kubectl commands (or a bare type, which switches the view, as in k9s), which
the `CommandRunner` parses and hands to the same pieces the keys use.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.actions import parse as parse_action
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import TabPane

from kubetui.ui import apply_dock_keys, sessions
from kubetui.ui.command_line import CommandLine, Completions, default_history_path, load_history
from kubetui.ui.forward_actions import ForwardActions, PortForwardRequested
from kubetui.ui.messages import ContextConnected
from kubetui.ui.object_actions import ObjectActions
from kubetui.ui.screens.context_picker import ContextPicker
from kubetui.ui.sessions import SESSION_KINDS, VIEWS_PANE, SessionsArea
from kubetui.ui.status_line import StatusLine
from kubetui.ui.view_stack import ViewStack
from kubetui.ui.views import VIEWS, ResourceView
from kubetui.ui.views.view import Counts, Place, WatchState
from kubetui.ui.widgets.cluster_header import ClusterHeader
from kubetui.ui.widgets.key_bar import KeyBar
from kubetui.ui.widgets.remote_keys import takes_every_key
from kubetui.ui.workers import guarded

if TYPE_CHECKING:
    from textual.widget import AwaitMount

    from kubetui.ui.apply_dock import ApplyDock
    from kubetui.ui.command_line.dispatch import CommandRunner
    from kubetui.ui.widgets.inspect_tab import InspectTab
    from kubetui.ui.widgets.yaml_tab import YamlTab


class WorkspaceScreen(Screen):
    """The cluster, one resource view, sessions beside it, the apply dock."""

    BINDINGS = [
        *sessions.SCREEN_BINDINGS,
        *apply_dock_keys.SCREEN_BINDINGS,
        Binding("c", "pick_context", "Context"),
        # priority: taken when the key arrives, so the letters typed right after it in one burst
        # (`:deploy` typed fast or pasted) go to the command line, not to the table; Textual
        # still leaves a colon typed into a text field (Input, TextArea) to the field
        Binding("colon", "open_command", "Command", priority=True),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(self, *, view: str = "pods", all_namespaces: bool = False) -> None:
        super().__init__()
        self._view_class = VIEWS[view]
        self._all_at_start = all_namespaces
        self._facts: dict[int, dict[type, object]] = {}  # id(view) -> its last fact of each kind
        self._views_namespace: str | None = None  # what the shown view shows (None: all namespaces)
        self._dock: ApplyDock | None = None  # built the first time it is needed (see `built_dock`)
        self._dock_mounted: AwaitMount | None = None
        self.completions = Completions(self)
        self._runner: CommandRunner | None = None  # made at the first `:` (see `runner`)

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
    def dock(self) -> ApplyDock | None:
        """The apply dock, or None until it is first opened."""
        return self._dock

    async def built_dock(self) -> ApplyDock:
        """The apply dock, built and mounted the first time it is needed: its editor, file browser
        and checks cost a sixth of a second of the app's start that most starts never use."""
        if self._dock is None:
            from kubetui.ui.apply_dock import ApplyDock

            self._dock = ApplyDock(self.app.manifests_dir, readonly=self.app.readonly, id="apply-panel")
            self._dock.views_namespace = self._views_namespace
            # before the key bar: docks overlap, and the key bar is drawn over the dock's last row
            self._dock_mounted = self.mount(self._dock, before=self.query_one(KeyBar))
        await self._dock_mounted
        return self._dock

    @property
    def runner(self) -> CommandRunner:
        """What runs the `:` line's commands, loaded with the kubectl grammar at the first `:`."""
        if self._runner is None:
            from kubetui.ui.command_line.dispatch import CommandRunner

            self._runner = CommandRunner(self)
        return self._runner

    @property
    def command_line(self) -> CommandLine:
        return self.query_one(CommandLine)

    def compose(self) -> ComposeResult:
        app = self.app
        conn = app.connection
        namespace = None if self._all_at_start else conn.namespace
        yield ClusterHeader(context=conn.context, server=conn.server, namespace=_label(namespace),
                            readonly=app.readonly, tls_verified=conn.tls_verified)
        with SessionsArea(SESSION_KINDS, id="tabs"):
            with TabPane(self._view_class.TITLE, id=VIEWS_PANE):
                root = self._view_class(namespace=namespace, now=app.now, prefetched=app.take_first_list)
                yield ViewStack(root, "pods", "pods", on_view=self._listen_to, id="view-stack")
        history_path = default_history_path()
        yield CommandLine(self.completions, load_history(history_path), history_path, id="command-line")
        yield StatusLine(id="status-line")
        yield ObjectActions()
        yield ForwardActions()
        self._views_namespace = namespace  # the apply dock, docked right beside the views, comes on first use
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if takes_every_key(self.focused):
            return False  # in a terminal every key but ctrl+] belongs to the remote side
        if not self.is_mounted:
            return super().check_action(action, parameters)
        if action == "back":
            return self.stack.depth > 1
        if action == "open_command" and self.command_line.input.has_focus:
            return False
        if action == "piece":
            name, piece_action = parameters
            _, piece_action, piece_parameters = parse_action(piece_action)
            if name == "dock" and self._dock is None:
                return True  # not built yet: a closed dock, whose keys help lists as they are
            piece = self.sessions if name == "sessions" else self._dock
            return piece.check_action(piece_action, piece_parameters)
        return super().check_action(action, parameters)

    async def action_piece(self, name: str, action: str) -> None:
        """A piece's key that works wherever the focus is (see the module docstring)."""
        if name == "dock" and self._dock is None and parse_action(action)[1] != "toggle":
            return  # `<`, `>` on a dock never opened: nothing to resize, nothing to build
        piece = self.sessions if name == "sessions" else await self.built_dock()
        await piece.run_action(action)

    def stop(self) -> None:
        """Stop the views' streams (quitting): their threads end promptly."""
        for view in self.query(ResourceView):
            view.stop()

    async def show_view(self, name: str) -> ResourceView:
        """Replace every view by a new one registered as ``name``, on the same namespace."""
        view = VIEWS[name](namespace=self.view.namespace, now=self.app.now)
        await self.stack.replace_all(view, name, name)
        return view

    # -- the views' facts: the shown view's reach the header ------------------------------------------
    def on_mount(self) -> None:
        self._listen_to(self.view)

    def _listen_to(self, view: ResourceView) -> None:
        # immediate: the header changes in the same frame as the rows it counts
        view.facts.subscribe(self, partial(self._view_told, view), immediate=True)

    def _view_told(self, view: ResourceView, fact: Counts | WatchState | Place) -> None:
        self._facts.setdefault(id(view), {})[type(fact)] = fact
        if view is self.view:
            self._show_fact(fact)

    def _show_fact(self, fact: Counts | WatchState | Place) -> None:
        if isinstance(fact, Counts):
            self.header.set_counts(fact.counts, fact.total, fact.shown, fact.filter_text, fact.noun)
        elif isinstance(fact, WatchState):
            self.header.set_state(fact.kind, fact.attempt, fact.since, fact.error_title, fact.error_message)
        elif isinstance(fact, Place):
            conn = self.app.connection
            self.header.set_place(context=conn.context, server=conn.server, namespace=_label(fact.namespace),
                                  tls_verified=conn.tls_verified)
            self._views_namespace = fact.namespace
            if self._dock is not None:
                self._dock.views_namespace = fact.namespace

    def on_view_stack_switched(self, _message: ViewStack.Switched) -> None:
        """Another view is shown: the header says what it last said, and where we are."""
        self.sessions.show_views()
        view = self.view
        self.header.set_breadcrumb(self.stack.breadcrumb())
        self.sessions.get_tab(VIEWS_PANE).label = view.TITLE
        self._show_fact(Place(view.namespace))
        facts = self._facts.get(id(view), {})
        for kind in (Counts, WatchState):
            if kind in facts:
                self._show_fact(facts[kind])

    # -- `:` runs a command, Enter goes down the ownership, Esc comes back ------------------------------
    def action_open_command(self) -> None:
        if self.completions.table is None:
            self.runner.load_types()
        self.command_line.open()

    def close_command_line(self) -> None:
        """A command runs: the line closes (what it opens takes the focus)."""
        line = self.command_line
        if line.is_open:
            line.close()
            self.view.focus_content()

    def on_command_line_submitted(self, message: CommandLine.Submitted) -> None:
        message.stop()
        self.runner.submit(message.line)

    def on_command_line_closed(self, message: CommandLine.Closed) -> None:
        message.stop()
        self.view.focus_content()

    def show_namespace(self, namespace: str) -> None:
        """The context's namespace changed (`config set-context --current --namespace`): the view follows."""
        view = self.view
        if view.namespace is not None and view.namespace != namespace and getattr(
                getattr(view, "resource", None), "namespaced", True):
            view.switch_namespace(namespace)

    async def action_back(self) -> None:
        self.sessions.show_views()
        await self.stack.pop()

    def on_resource_view_descend_requested(self, message: ResourceView.DescendRequested) -> None:
        message.stop()
        self.stack.descend(message.target, message.name)

    async def on_resource_view_back_requested(self, message: ResourceView.BackRequested) -> None:
        message.stop()
        await self.action_back()

    def on_resource_view_action_requested(self, message: ResourceView.ActionRequested) -> None:
        message.stop()
        self.actions.request(message.verb, message.resource, message.namespace, message.name)

    def on_port_forward_requested(self, message: PortForwardRequested) -> None:
        message.stop()
        self.query_one(ForwardActions).request(message.namespace, message.name, message.container)

    def on_resource_view_session_requested(self, message: ResourceView.SessionRequested) -> None:
        self.sessions.request(message.kind, message.pod, message.action, message.resource)

    def on_inspect_tab_leave_requested(self, message: InspectTab.LeaveRequested) -> None:
        message.stop()
        self.sessions.show_views()
        self.view.focus_content()

    async def on_yaml_tab_edit_requested(self, message: YamlTab.EditRequested) -> None:
        message.stop()
        (await self.built_dock()).edit_object(message.text, message.file_name)

    # -- the apply dock ------------------------------------------------------------------------------
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
        if name is not None:  # the current one again: read the kubeconfig again (new certificate, token)
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
        same_context = message.connection.context == self.app.connection.context
        self.app.replace_connection(message.connection)
        self.completions.forget()
        if view.namespace is None or same_context:  # the same context keeps the namespace shown
            view.connection_changed(view.namespace)
        else:
            view.connection_changed(message.connection.namespace)


def _label(namespace: str | None) -> str:
    return "all" if namespace is None else namespace
