"""The main screen: the live pod table, its filter, and switching namespace or context.

Key decisions: one `PodWatch` runs in a thread worker (group "pods"); each start gets a new
generation number, and anything a superseded watch still delivers is dropped. The watch thread
turns pods into rows itself (`RowBatch.from_events`, pure) and queues them; one message per
burst wakes the UI, which merges everything queued since, so a flood costs one redraw per frame
and only changed visible lines are redrawn. A label filter (`-l`) restarts the watch with the
selector (server-side) and narrows the rows on screen at once; text filters never hit the API.
When the watch meets a TLS failure or a 401 it asks for the kubeconfig to be read again (a
cluster restarted with a new certificate and token); the renewed connection replaces the app's,
and picking the current context again in the picker renews it the same way.
"""

from __future__ import annotations

import gc
import threading
from collections import deque
from datetime import datetime, timezone
from functools import partial

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, TabbedContent, TabPane, TextArea
from textual.worker import Worker, WorkerState

from kubetui.errors import KubetuiError
from kubetui.model import PodTable, RowBatch, TableChange, display_fields, parse_filter
from kubetui.ui.messages import ContextConnected, WatchBatchesQueued, WatchStateChanged
from kubetui.ui.screens.context_picker import ContextPicker
from kubetui.ui.screens.help import HelpScreen, binding_rows
from kubetui.ui.screens.namespace_picker import ALL_NAMESPACES, NamespacePicker
from kubetui.ui.widgets.cluster_header import ClusterHeader
from kubetui.ui.widgets.pod_table import PodTableView
from kubetui.ui.screens.apply_host import ApplyPanelHost  # issue #7: the apply side panel
from kubetui.ui.screens.exec_tabs import ExecTabsMixin  # issue #6: exec sessions in tabs beside the table
from kubetui.ui.widgets.apply_panel import ApplyPanel  # issue #7

_STALE_KINDS = ("stale", "error")
_BIG_BATCH = 1000


class PodsScreen(ExecTabsMixin, ApplyPanelHost, Screen):  # ApplyPanelHost: issue #7 (key a, its workers)
    # ExecTabsMixin: issue #6 (s, Enter, e, [ ], the tabs; compose puts the table in pane "dashboard")
    """Pods of one namespace (or all), live."""

    BINDINGS = [
        # priority: handled as the key arrives, so the focus moves before the keys typed right
        # after it are routed (a normal binding runs later, and "/web" typed fast lost "web").
        Binding("slash", "open_filter", "Filter", priority=True),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("N,shift+n", "sort('name')", "Sort by name (again: reverse)", show=False),
        Binding("A,shift+a", "sort('age')", "Sort by age (again: reverse)", show=False),
        Binding("S,shift+s", "sort('status')", "Sort by status (again: reverse)", show=False),
        Binding("R,shift+r", "sort('restarts')", "Sort by restarts (again: reverse)", show=False),
        Binding("n", "pick_namespace", "Namespace"),
        Binding("0", "all_namespaces", "All namespaces"),
        Binding("c", "pick_context", "Context"),
        Binding("question_mark", "help", "Help"),
    ]

    class ConnectionRenewed(Message):
        """The watch of ``generation`` read the kubeconfig again and now uses ``connection``."""

        def __init__(self, generation: int, connection) -> None:
            super().__init__()
            self.generation = generation
            self.connection = connection  # kubetui.kube.contexts.Connection

    def __init__(self, *, all_namespaces: bool = False) -> None:
        super().__init__()
        self.table = PodTable()
        self._all_at_start = all_namespaces
        self._namespace: str | None = None  # None: all namespaces
        self._label_selector: str | None = None
        self._generation = 0
        self._watch = None  # the running kubetui.kube.watching.PodWatch
        self._watch_lock = threading.Lock()
        self._pods_worker: Worker | None = None
        self._inbox: deque[tuple[int, RowBatch]] = deque()
        self._wake_posted = False
        self._counts_pending = False
        self.skipped: list[str] = []  # malformed pods the server sent (their messages)

    @property
    def namespace(self) -> str | None:
        return self._namespace

    @property
    def view(self) -> PodTableView:
        return self.query_one(PodTableView)

    @property
    def header(self) -> ClusterHeader:
        return self.query_one(ClusterHeader)

    def compose(self) -> ComposeResult:
        conn = self.app.connection
        self._namespace = None if self._all_at_start else conn.namespace
        yield ClusterHeader(context=conn.context, server=conn.server, namespace=self._namespace_label(),
                            readonly=self.app.readonly, tls_verified=conn.tls_verified)
        with TabbedContent(id="tabs"):  # issue #6: exec sessions open as tabs beside this one
            with TabPane("Pods", id="dashboard"):
                yield PodTableView(self.table, show_namespace=self._namespace is None, id="pods")
                yield Input(placeholder="regex over the row · !regex inverts · -l app=web selects labels on the "
                                        "server · Enter keeps · Esc clears", id="filter")
        yield Footer()
        # issue #7: docked right, beside the table (after the footer, which keeps the full width)
        yield ApplyPanel(self.app.manifests_dir, readonly=self.app.readonly, id="apply-panel")

    def on_mount(self) -> None:
        self.view.focus()
        self.set_interval(1.0, self._tick)
        self.set_interval(0.25, self._tick_counts)
        # Start listing once the first frame is out: the list's parsing competes for the GIL.
        self.call_after_refresh(self._restart_watch, clear=True)

    def on_unmount(self) -> None:
        self.stop_watching()

    # -- the watch ---------------------------------------------------------------------------
    def stop_watching(self) -> None:
        """Stop the running watch; its thread returns within a second or two."""
        with self._watch_lock:
            self._generation += 1
            watch, self._watch = self._watch, None
        if watch is not None:
            watch.stop()

    def _restart_watch(self, *, clear: bool) -> None:
        self.stop_watching()
        if clear:
            self._inbox.clear()
            self.view.set_stale(False)
            self.view.table_changed(self.table.clear())
            self._show_counts()
        self.header.set_state("connecting")
        conn = self.app.connection
        self._pods_worker = self._watch_pods(self._generation, conn.api_client, self._namespace,
                                             self._label_selector)

    @work(thread=True, exclusive=True, group="pods", exit_on_error=False)
    def _watch_pods(self, generation: int, api_client, namespace: str | None, selector: str | None) -> None:
        from kubetui.kube.watching import PodWatch  # the client stays off the path to the first frame

        watch = PodWatch(api_client, namespace, label_selector=selector, project=display_fields,
                         first_list=getattr(self.app, "take_first_list", lambda: None)(),
                         on_events=partial(self._queue_events, generation),
                         on_state=partial(self._queue_state, generation),
                         reconnect=partial(self._renew_connection, generation))
        with self._watch_lock:
            if generation != self._generation:
                return  # superseded before it started
            self._watch = watch
        watch.run()

    def _queue_events(self, generation: int, events) -> None:
        """Watch thread: rows are computed here, off the UI loop; one wake-up per burst."""
        if generation != self._generation:
            return  # a superseded watch still talking: its rows would be dropped anyway
        with paused_gc():  # 10,000 new rows would otherwise trigger full collections over every pod dict
            batch = RowBatch.from_events(events, datetime.now(timezone.utc))
        self._inbox.append((generation, batch))
        if not self._wake_posted:
            self._wake_posted = True
            self.post_message(WatchBatchesQueued())

    def _queue_state(self, generation: int, state) -> None:
        self.post_message(WatchStateChanged(generation, state))

    def _renew_connection(self, generation: int):
        """Watch thread: the same kubeconfig, context and namespace read again; its API client."""
        from kubetui.kube.contexts import connect

        current = self.app.connection
        renewed = connect(current.kubeconfig, current.context, current.namespace)
        self.post_message(self.ConnectionRenewed(generation, renewed))
        return renewed.api_client

    def on_pods_screen_connection_renewed(self, message: ConnectionRenewed) -> None:
        renewed = message.connection
        if message.generation != self._generation or renewed.context != self.app.connection.context:
            renewed.close()  # a watch that was superseded meanwhile; nobody uses it
            return
        old, self.app.connection = self.app.connection, renewed
        old.close()
        self.header.set_place(context=renewed.context, server=renewed.server, namespace=self._namespace_label())

    def on_watch_batches_queued(self, _message: WatchBatchesQueued) -> None:
        self._wake_posted = False  # before draining: a batch queued from now on posts again
        change = TableChange()
        big = False
        with paused_gc():
            while self._inbox:
                generation, batch = self._inbox.popleft()
                if generation != self._generation:
                    continue
                if batch.skipped and not self.skipped:  # say it once, not on every event of that pod
                    self.notify(f"{batch.skipped[0]} (not shown)", title="Malformed pod", severity="warning")
                self.skipped.extend(batch.skipped)
                big |= len(batch.upserts) >= _BIG_BATCH
                _merge(change, self.table.apply(batch))
        if big:
            # The rows just built live as long as the screen: keep the cyclic GC from walking
            # them (and a fresh list's pod dicts) again and again; refcounting still frees them.
            gc.freeze()
        if change:
            self.view.table_changed(change)
        if change.counts_changed:
            self._counts_pending = True  # shown by `_tick_counts`: people read counts at 4 Hz, not 20

    def on_watch_state_changed(self, message: WatchStateChanged) -> None:
        if message.generation != self._generation:
            return
        state = message.state
        error = state.error
        self.header.set_state(state.kind, state.attempt, state.since,
                              getattr(error, "title", "") if error else "",
                              getattr(error, "message", str(error)) if error else "")
        self.view.set_stale(state.kind in _STALE_KINDS or (state.kind != "live" and state.since is not None))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "pods" and worker is self._pods_worker and event.state == WorkerState.ERROR:
            error = worker.error
            message = error.message if isinstance(error, KubetuiError) else f"the pod watch stopped: {error}"
            self.header.set_state("error", error_title="Watch failed", error_message=message)
            self.view.set_stale(True)
        elif worker.group == "connect" and event.state == WorkerState.SUCCESS:
            self.post_message(ContextConnected(worker.result))
        elif worker.group == "connect" and event.state == WorkerState.ERROR:
            error = worker.error
            message = error.message if isinstance(error, KubetuiError) else str(error)
            self.notify(message, title="Cannot switch context", severity="error", timeout=8)

    def _tick(self) -> None:
        self.view.tick(datetime.now(timezone.utc))

    def _tick_counts(self) -> None:
        if self._counts_pending:
            self._show_counts()

    def _show_counts(self) -> None:
        self._counts_pending = False
        row_filter = self.table.filter
        shown = None if row_filter.is_empty else self.table.visible_count
        self.header.set_counts(self.table.counts, len(self.table), shown, row_filter.text)

    def _namespace_label(self) -> str:
        return "all" if self._namespace is None else self._namespace

    # -- filter and sort -----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "open_filter" and self.focused is self.query_one("#filter", Input):
            return False  # a "/" typed inside the filter is text
        if action == "open_filter" and isinstance(self.focused, TextArea):
            return False  # issue #7: and so is a "/" typed in the apply panel's editor (apps/v1)
        return super().check_action(action, parameters)  # issue #6: in a terminal, keys go to the remote side

    def action_open_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.value = self.table.filter.text
        field.cursor_position = len(field.value)
        field.display = True
        # Focus now, not after this message (as `focus()` would): keys typed right after `/`
        # are already queued and must land in the filter, not on the table.
        self.set_focus(field)

    def on_input_changed(self, event: Input.Changed) -> None:
        # Text filters follow typing. A label selector (`-l`, or a `-` that may become one) waits
        # for Enter, and so does leaving one: each change restarts the watch on the server.
        if event.input.id == "filter" and self._label_selector is None and not event.value.lstrip().startswith("-"):
            self.apply_filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter" and self.apply_filter(event.value):
            self._close_filter()

    def action_clear_filter(self) -> None:
        was_open = self.query_one("#filter", Input).display
        self._close_filter()
        if was_open or not self.table.filter.is_empty:
            self.apply_filter("")

    def _close_filter(self) -> None:
        self.query_one("#filter", Input).display = False
        self.set_focus(self.view)

    def apply_filter(self, text: str) -> bool:
        """Filter the rows; a changed label selector restarts the watch with it. False if refused."""
        try:
            row_filter = parse_filter(text)
        except ValueError as exc:
            self.notify(str(exc), title="Filter", severity="error")
            return False
        if row_filter == self.table.filter:
            return True
        self.table.set_filter(row_filter)
        self.view.table_changed(None)
        self._show_counts()
        if row_filter.label_selector != self._label_selector:
            self._label_selector = row_filter.label_selector
            self._restart_watch(clear=False)
        return True

    def action_sort(self, key: str) -> None:
        self.table.sort_by(key)
        self.view.table_changed(None)

    # -- namespace and context ---------------------------------------------------------------------
    def action_pick_namespace(self) -> None:
        self.app.push_screen(NamespacePicker(self.app.connection.api_client, self._namespace),
                             self._namespace_chosen)

    def _namespace_chosen(self, choice: str | None) -> None:
        if choice is not None:
            self.switch_namespace(None if choice == ALL_NAMESPACES else choice)

    def action_all_namespaces(self) -> None:
        self.switch_namespace(None)

    def switch_namespace(self, namespace: str | None) -> None:
        """Watch another namespace (None: all); the rows start afresh."""
        self._namespace = namespace
        conn = self.app.connection
        self.header.set_place(context=conn.context, server=conn.server, namespace=self._namespace_label(),
                              tls_verified=conn.tls_verified)
        self.view.set_show_namespace(namespace is None)
        self._restart_watch(clear=True)

    def action_pick_context(self) -> None:
        conn = self.app.connection
        self.app.push_screen(ContextPicker(conn.contexts, conn.context), self._context_chosen)

    def _context_chosen(self, name: str | None) -> None:
        if name is not None:  # the current one again: read the kubeconfig again (new certificate, token)
            self._connect(name)

    @work(thread=True, exclusive=True, group="connect", exit_on_error=False)
    def _connect(self, name: str):
        from kubetui.kube.contexts import connect

        return connect(self.app.connection.kubeconfig, name, None)

    def on_context_connected(self, message: ContextConnected) -> None:
        """Cancel the old watch, swap the connection, watch again on the new context."""
        self.stop_watching()
        self.workers.cancel_group(self, "pods")
        old, self.app.connection = self.app.connection, message.connection
        if self._namespace is not None and message.connection.context != old.context:
            self._namespace = message.connection.namespace  # the same context keeps the namespace shown
        old.close()
        self.switch_namespace(self._namespace)

    def action_help(self) -> None:
        screen_bindings = [klass.__dict__.get("BINDINGS", []) for klass in type(self).__mro__]  # mixins too
        rows = binding_rows(*screen_bindings, PodTableView.BINDINGS, self.app.BINDINGS)
        self.app.push_screen(HelpScreen(rows))


def paused_gc():
    """`kube.requesting.paused_gc`, imported late: the client costs ~0.2 s before the first frame."""
    from kubetui.kube.requesting import paused_gc as pause

    return pause()


def _merge(total: TableChange, change: TableChange) -> None:
    total.changed -= change.removed
    total.changed |= change.changed
    total.removed -= change.changed
    total.removed |= change.removed
    total.order_changed |= change.order_changed
    total.counts_changed |= change.counts_changed
