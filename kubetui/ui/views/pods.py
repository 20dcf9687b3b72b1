"""The pods view: the live pod table, its filter and sorts, switching namespace, jumping to a pod.

Key decisions: one `PodWatch` runs in a thread worker (group "pods"); each start gets a new
generation number, and anything a superseded watch still delivers is dropped. The watch thread
turns pods into rows itself (`RowBatch.from_events`, pure) and queues them; one message per
burst wakes the UI, which merges everything queued since, so a flood costs one redraw per frame
and only changed visible lines are redrawn. A label filter (`-l`) restarts the watch with the
selector (server-side) and narrows the rows on screen at once; text filters never hit the API.
When the watch meets a TLS failure or a 401 it asks for the kubeconfig to be read again (a
cluster restarted with a new certificate and token); the renewed connection replaces the app's.
The view tells the workspace what happened (counts, watch state, namespace: `tell`; a session
wanted, Enter on a pod, an action key: a message); it never touches the header or the tabs. Opened
down the ownership, it shows only one owner's pods or one node's (`kube.pod_scopes`). Under the
table, `FailureLine` says why the cursor's pod fails when its STATUS is an error.
"""

from __future__ import annotations

import gc
import threading
import time
from collections import deque
from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from kubetui.errors import KubetuiError
from kubetui.model import PodTable, RowBatch, TableChange, display_fields, parse_filter
from kubetui.model.resource_names import ApiResource
from kubetui.model.ownership import Descent
from kubetui.ui.forward_actions import PortForwardRequested
from kubetui.ui.messages import ActionPerformed, WatchBatchesQueued, WatchStateChanged
from kubetui.ui.object_actions import ACTION_BINDINGS, action_allowed
from kubetui.ui.screens.namespace_picker import ALL_NAMESPACES, NamespacePicker
from kubetui.ui.views.inspecting import INSPECT_BINDINGS, events_of
from kubetui.ui.views.view import FILTER_ENTER, Counts, Place, ResourceView, WatchState
from kubetui.ui.widgets.failure_line import FailureLine
from kubetui.ui.widgets.pod_table import PodTableView
from kubetui.ui.workers import guarded

_STALE_KINDS = ("stale", "error")
_BIG_BATCH = 1000
JUMP_TIMEOUT = 15.0  # seconds to wait for a just-applied pod to reach the table
PODS = ApiResource("", "v1", "pods", "pod", "Pod", namespaced=True, short_names=("po",))


class PodsView(ResourceView):
    """Pods of one namespace (or all), live."""

    TITLE = "Pods"

    BINDINGS = [
        # priority: handled as the key arrives, so the focus moves before the keys typed right
        # after it are routed (a normal binding runs later, and "/web" typed fast lost "web").
        Binding("slash", "open_filter", "Filter", priority=True),
        FILTER_ENTER,
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("N,shift+n", "sort('name')", "Sort by name (again: reverse)", show=False),
        Binding("A,shift+a", "sort('age')", "Sort by age (again: reverse)", show=False),
        Binding("S,shift+s", "sort('status')", "Sort by status (again: reverse)", show=False),
        Binding("R,shift+r", "sort('restarts')", "Sort by restarts (again: reverse)", show=False),
        Binding("n", "pick_namespace", "Namespace"),
        Binding("0", "all_namespaces", "All namespaces"),
        Binding("s", "session('exec', 'shell')", "Shell"),
        Binding("enter", "containers", "Containers", show=False),
        Binding("e", "session('exec', 'command')", "Exec command"),
        *INSPECT_BINDINGS,
        Binding("l", "session('logs', 'pod')", "Logs"),
        Binding("F,shift+f", "port_forward", "Port-forward"),
        *ACTION_BINDINGS,
    ]

    class ConnectionRenewed(Message):
        """The watch of ``generation`` read the kubeconfig again and now uses ``connection``."""

        def __init__(self, generation: int, connection) -> None:
            super().__init__()
            self.generation = generation
            self.connection = connection  # kubetui.kube.contexts.Connection

    def __init__(self, *, namespace, now, prefetched=None, owner_uid: str = "", field_selector: str | None = None,
                 id: str | None = None) -> None:
        super().__init__(namespace=namespace, now=now, prefetched=prefetched, id=id)
        self.owner_uid = owner_uid  # only the pods this object owns (opened from a ReplicaSet)
        self.field_selector = field_selector  # narrowed on the server (the pods of a node)
        self.table = PodTable()
        self._label_selector: str | None = None
        self._generation = 0
        self._watch = None  # the running kubetui.kube.watching.PodWatch
        self._prepared_rows = None  # rows the first list built ahead (kube/first_list.py), for its reset
        self._list_drawn: threading.Event | None = None  # set once the first list is drawn: its watch waits
        self._watch_lock = threading.Lock()
        self._inbox: deque[tuple[int, RowBatch]] = deque()
        self._wake_posted = False
        self._counts_pending = False
        self._pending_jump: tuple[str, float] | None = None
        self.skipped: list[str] = []  # malformed pods the server sent (their messages)

    @property
    def view(self) -> PodTableView:
        return self.query_one(PodTableView)

    def compose(self) -> ComposeResult:
        table_view = PodTableView(self.table, show_namespace=self._namespace is None, id="pods")
        table_view.now = self._now()
        yield table_view
        yield FailureLine(self._diagnose, id="failure-line")
        yield Input(placeholder="regex over the row · !regex inverts · -l app=web selects labels on the "
                                "server · Enter keeps · Esc clears", id="filter")

    def on_mount(self) -> None:
        self.view.focus()
        self.set_interval(1.0, self._tick)
        self.set_interval(0.25, self._tick_counts)
        # Start listing once the first frame is out: the list's parsing competes for the GIL.
        self.call_after_refresh(self._restart_watch, clear=True)

    def on_unmount(self) -> None:
        self.stop()

    def focus_content(self) -> None:
        self.screen.set_focus(self.view)

    # -- the watch ---------------------------------------------------------------------------
    def stop(self) -> None:
        """Stop the running watch; its thread returns within a second or two."""
        with self._watch_lock:
            self._generation += 1
            watch, self._watch = self._watch, None
        if watch is not None:
            watch.stop()

    def _restart_watch(self, *, clear: bool) -> None:
        self.stop()
        if clear:
            self._inbox.clear()
            self.view.set_stale(False)
            self.view.table_changed(self.table.clear())
            self._show_counts()
        self.tell(WatchState("connecting"))
        # The connection, not its client: the watch's thread builds the client when it needs it.
        self._watch_pods(self._generation, self.app.connection, self._namespace, self._label_selector)

    def _watch_failed(self, error: BaseException, shown: str) -> None:
        message = error.message if isinstance(error, KubetuiError) else shown
        self.tell(WatchState("error", error_title="Watch failed", error_message=message))
        self.view.set_stale(True)

    @guarded(group="pods", failed=_watch_failed)
    def _watch_pods(self, generation: int, connection, namespace: str | None, selector: str | None) -> None:
        from kubetui.kube.watching import PodWatch  # the client stays off the path to the first frame

        prefetched, self._prefetched = self._prefetched, None  # the list started with the app: once
        if self.owner_uid or self.field_selector:
            from kubetui.kube.pod_scopes import ScopedPodWatch

            watch = ScopedPodWatch(connection, namespace, label_selector=selector, project=display_fields,
                                   field_selector=self.field_selector, owner_uid=self.owner_uid,
                                   on_events=partial(self._queue_events, generation),
                                   on_state=partial(self._queue_state, generation),
                                   reconnect=partial(self._renew_connection, generation))
        else:
            first_list = prefetched() if prefetched else None
            self._prepared_rows = first_list.prepared_rows if first_list is not None else None
            self._list_drawn = threading.Event() if first_list is not None else None
            watch = PodWatch(connection, namespace, label_selector=selector, project=display_fields,
                             first_list=first_list, watch_after=self._list_drawn,
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
        prepared = None
        if events.reset:  # the first list's rows, built while it arrived, serve its reset once
            prepared, self._prepared_rows = self._prepared_rows, None
        with paused_gc():  # 10,000 new rows would otherwise trigger full collections over every pod dict
            batch = RowBatch.from_events(events, self._now(), prepared)
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

    def on_pods_view_connection_renewed(self, message: ConnectionRenewed) -> None:
        renewed = message.connection
        if message.generation != self._generation or renewed.context != self.app.connection.context:
            renewed.close()  # a watch that was superseded meanwhile; nobody uses it
            return
        self.app.replace_connection(renewed)
        self.tell(Place(self._namespace))

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
                change.merge(self.table.apply(batch))
                if batch.reset and self._list_drawn is not None:  # the watch opens once it is drawn
                    self.call_after_refresh(self._list_drawn.set)
                    self._list_drawn = None
        if big:
            # The rows just built live as long as the view: keep the cyclic GC from walking
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
        self.tell(WatchState(state.kind, state.attempt, state.since,
                             getattr(error, "title", "") if error else "",
                             getattr(error, "message", str(error)) if error else ""))
        self.view.set_stale(state.kind in _STALE_KINDS or (state.kind != "live" and state.since is not None))

    def _tick(self) -> None:
        self.view.tick(self._now())

    def _tick_counts(self) -> None:
        if self._counts_pending:
            self._show_counts()
        if self.display:  # the cursor's pod may have started or stopped failing, or moved
            self.query_one(FailureLine).follow(self.table.row_at(self.table.cursor_index))

    def _diagnose(self, namespace: str, name: str, status: str) -> str:
        """Worker thread (`FailureLine`'s): why the pod fails, in one line."""
        from kubetui.kube.diagnosing import diagnose_pod

        conn = self.app.connection
        return diagnose_pod(conn.api_client, conn.server, namespace, name, status)

    def _show_counts(self) -> None:
        self._counts_pending = False
        row_filter = self.table.filter
        shown = None if row_filter.is_empty else self.table.visible_count
        self.tell(Counts(dict(self.table.counts), len(self.table), shown, row_filter.text))

    # -- filter and sort -----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "open_filter" and self.screen.focused is self.query_one("#filter", Input):
            return False  # a "/" typed inside the filter is text
        if action in ("act", "refuse"):
            return action_allowed(action, parameters[0], PODS, self.app.readonly)
        if action in ("pick_namespace", "all_namespaces") and self.owner_uid:
            return False  # the pods of one owner live in its namespace
        return super().check_action(action, parameters)

    def apply_filter(self, text: str) -> bool:
        """Filter the rows; a changed label selector restarts the watch with it. False if refused."""
        try:
            row_filter = parse_filter(text)
        except ValueError as exc:  # bad input: one line, with what is wrong
            self.app.report_error(KubetuiError(str(exc), "Filter"))
            return False
        if row_filter == self.table.filter:
            return True
        self.table.set_filter(row_filter)
        self.view.table_changed(None)
        self._show_counts()
        if row_filter.label_selector != self._label_selector:
            self._label_selector = row_filter.label_selector
            self._restart_watch(clear=False)
            self.report_listing()
        return True

    def action_sort(self, key: str) -> None:
        self.table.sort_by(key)
        self.view.table_changed(None)

    # -- down the ownership and actions ------------------------------------------------------------
    def action_containers(self) -> None:
        row = self.table.row_at(self.table.cursor_index)
        if row is not None:
            self.post_message(self.DescendRequested(Descent("", "containers", row.namespace, row.name), row.name))

    def action_act(self, verb: str) -> None:
        row = self.table.row_at(self.table.cursor_index)
        if row is None:
            self.notify("no pod selected", severity="warning")
            return
        self.post_message(self.ActionRequested(verb, PODS, row.namespace, row.name))

    def action_refuse(self, verb: str) -> None:
        self.post_message(self.ActionRequested(verb, PODS, None, ""))

    def listing(self):
        if self.owner_uid:
            return None  # the pods one object owns: no selector of kubectl's says that
        from kubetui.model import kubectl_equivalent as kubectl  # with the grammar: off the start path
        return kubectl.get_list(PODS, self._namespace, selector=self._label_selector,
                                field_selector=self.field_selector)

    # -- sessions ------------------------------------------------------------------------------
    def action_session(self, kind: str, action: str) -> None:
        key = self.table.cursor_key
        pod = tuple(key.split("/", 1)) if key and "/" in key else None
        self.post_message(self.SessionRequested(kind, pod, action))

    def action_port_forward(self) -> None:
        row = self.table.row_at(self.table.cursor_index)
        if row is None:
            self.notify("no pod selected", severity="warning")
            return
        self.post_message(PortForwardRequested(row.namespace, row.name))

    def action_inspect(self, kind: str) -> None:
        """`d`, `y`: a describe or YAML tab of the cursor's pod."""
        row = self.table.row_at(self.table.cursor_index)
        self.post_message(self.SessionRequested(kind, (row.namespace, row.name) if row else None, "show", PODS))

    def action_events(self) -> None:
        """`v`: the cursor's pod's events, in a view above this one."""
        row = self.table.row_at(self.table.cursor_index)
        if row is None:
            self.notify("no pod selected", severity="warning")
            return
        self.post_message(self.DescendRequested(events_of("Pod", row.namespace, row.name, row.uid), row.name))
        from kubetui.model import kubectl_equivalent as kubectl  # with the grammar: off the start path
        self.app.post_message(ActionPerformed(kubectl.events_for(PODS, row.namespace, row.name)))

    # -- namespace and connection --------------------------------------------------------------
    def action_pick_namespace(self) -> None:
        self.app.push_screen(NamespacePicker(self.app.connection.api_client, self._namespace),
                             self._namespace_chosen)

    def _namespace_chosen(self, choice: str | None) -> None:
        if choice is not None:
            self.switch_namespace(None if choice == ALL_NAMESPACES else choice)
            self.report_listing()

    def action_all_namespaces(self) -> None:
        self.switch_namespace(None)
        self.report_listing()

    def switch_namespace(self, namespace: str | None) -> None:
        """Watch another namespace (None: all); the rows start afresh."""
        self._namespace = namespace
        self.tell(Place(namespace))
        self.view.set_show_namespace(namespace is None)
        self._restart_watch(clear=True)

    def connection_changed(self, namespace: str | None) -> None:
        """Cancel the old watch and watch again on the app's new connection."""
        self.stop()
        self.workers.cancel_group(self, "pods")
        self.switch_namespace(namespace)

    # -- what the apply dock asks for ----------------------------------------------------------
    def highlight(self, keys: set[str]) -> None:
        self.view.set_highlighted(keys)

    def jump_to(self, namespace: str, name: str) -> bool:
        """Move the cursor to a pod, switching namespace if the table shows another one."""
        if self._namespace is not None and self._namespace != namespace:
            self.switch_namespace(namespace)
        self._pending_jump = (f"{namespace}/{name}", time.monotonic() + JUMP_TIMEOUT)
        if not self._try_jump():
            self.set_timer(0.1, self._retry_jump)
        return True

    def _retry_jump(self) -> None:
        if self._pending_jump is None or self._try_jump():
            return
        if time.monotonic() < self._pending_jump[1]:
            self.set_timer(0.1, self._retry_jump)
        else:
            self.notify(f"pod {self._pending_jump[0]} did not show up in the table", severity="warning")
            self._pending_jump = None

    def _try_jump(self) -> bool:
        key = self._pending_jump[0]
        index = self.table.index_of(key)
        if index is None:
            return False
        self._pending_jump = None
        self.view.move_cursor_to(index)
        self.view.focus()
        return True


def paused_gc():
    """`kube.requesting.paused_gc`, imported late: the client costs ~0.2 s before the first frame."""
    from kubetui.kube.requesting import paused_gc as pause

    return pause()
