"""The view of any kind: the server's Table rows, live, with the pod view's filter, sorts and keys.

Key decisions: one `TableWatch` (kube/table_watching.py) in a thread worker, with the pod view's
generations and inbox: the watch thread builds rows (`ResourceBatch.from_events`, pure), one
message per burst wakes the UI, which merges everything queued since and redraws only changed
lines. The namespace follows the kind: a cluster-scoped kind shows everything and ignores `n`.
A view may be narrowed to what one object owns (`owner_uid`) or by a field selector (the pods
of a node); `Enter` asks the workspace to open what the cursor's object leads to
(`model.ownership.descend`), `d`/`y` ask for a describe or YAML tab of it, `v` for its events,
and the action keys ask it to act on the cursor's object: the view itself never calls the API
outside its watch.
"""

from __future__ import annotations

import gc
import threading
from collections import deque
from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from kubetui.errors import KubetuiError
from kubetui.model import parse_filter
from kubetui.model.ownership import descend
from kubetui.model.resource_names import ApiResource
from kubetui.model.resource_table import ResourceBatch, ResourceTable, TableChange
from kubetui.ui.messages import ActionPerformed, WatchBatchesQueued, WatchStateChanged
from kubetui.ui.object_actions import ACTION_BINDINGS, action_allowed
from kubetui.ui.screens.namespace_picker import ALL_NAMESPACES, NamespacePicker
from kubetui.ui.views.inspecting import INSPECT_BINDINGS, events_of
from kubetui.ui.views.view import FILTER_ENTER, Counts, Place, ResourceView, WatchState
from kubetui.ui.widgets.resource_table import ResourceTableView
from kubetui.ui.workers import guarded

_STALE_KINDS = ("stale", "error")
_BIG_BATCH = 1000
# kinds whose pods `l` follows, by their label selector
_LOGGABLE = {("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "StatefulSet"), ("apps", "DaemonSet"),
             ("batch", "Job")}


class ResourcesView(ResourceView):
    """Objects of one kind in one namespace (or all), live, as `kubectl get` prints them."""

    TITLE = "Resources"

    BINDINGS = [
        Binding("slash", "open_filter", "Filter", priority=True),
        FILTER_ENTER,
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("N,shift+n", "sort('name')", "Sort by name (again: reverse)", show=False),
        Binding("A,shift+a", "sort('age')", "Sort by age (again: reverse)", show=False),
        Binding("S,shift+s", "sort('status')", "Sort by status (again: reverse)", show=False),
        Binding("R,shift+r", "sort('restarts')", "Sort by restarts (again: reverse)", show=False),
        Binding("enter", "descend", "Open"),
        Binding("ctrl+w", "toggle_wide", "Wide"),
        Binding("l", "logs", "Logs"),
        Binding("n", "pick_namespace", "Namespace"),
        Binding("0", "all_namespaces", "All namespaces"),
        *INSPECT_BINDINGS,
        *ACTION_BINDINGS,
    ]

    TABLE_VIEW = ResourceTableView  # what draws the rows (a subclass may draw its own)

    def __init__(self, resource: ApiResource, *, namespace: str | None, now, owner_uid: str = "",
                 field_selector: str | None = None, id: str | None = None) -> None:
        super().__init__(namespace=namespace if resource.namespaced else None, now=now, id=id)
        self.resource = resource
        self.TITLE = title_of(resource.kind)  # the views tab says which kind it shows
        self.owner_uid = owner_uid
        self.field_selector = field_selector
        self.table = ResourceTable()
        self._label_selector: str | None = None
        self._generation = 0
        self._watch = None  # the running kubetui.kube.table_watching.TableWatch
        self._watch_lock = threading.Lock()
        self._inbox: deque[tuple[int, ResourceBatch]] = deque()
        self._wake_posted = False
        self._counts_pending = False
        self.skipped: list[str] = []

    @property
    def view(self) -> ResourceTableView:
        return self.query_one(ResourceTableView)

    def compose(self) -> ComposeResult:
        table_view = self.TABLE_VIEW(self.table, show_namespace=self._shows_namespace(), id="resources")
        table_view.now = self._now()
        yield table_view
        yield Input(placeholder="regex over the row · !regex inverts · -l app=web selects labels on the "
                                "server · Enter keeps · Esc clears", id="filter")

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)
        self.set_interval(0.25, self._tick_counts)
        # At once, not after the first frame as the pods view does at start-up: the list's wait
        # for the server overlaps the view's first layout and paint.
        self._restart_watch(clear=True)

    def on_unmount(self) -> None:
        self.stop()

    def focus_content(self) -> None:
        self.screen.set_focus(self.view)

    def _shows_namespace(self) -> bool:
        return self.resource.namespaced and self._namespace is None

    # -- the watch ---------------------------------------------------------------------------
    def stop(self) -> None:
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
        self._run_watch(self._generation, self.app.connection.api_client, self._namespace, self._label_selector)

    def _watch_failed(self, error: BaseException, shown: str) -> None:
        message = error.message if isinstance(error, KubetuiError) else shown
        self.tell(WatchState("error", error_title="Watch failed", error_message=message))
        self.view.set_stale(True)

    @guarded(group="resources", failed=_watch_failed)
    def _run_watch(self, generation: int, api_client, namespace: str | None, selector: str | None) -> None:
        watch = self._new_watch(api_client, namespace, selector, on_events=partial(self._queue_events, generation),
                                on_state=partial(self._queue_state, generation))
        with self._watch_lock:
            if generation != self._generation:
                return
            self._watch = watch
        watch.run()

    def _new_watch(self, api_client, namespace: str | None, selector: str | None, **callbacks):
        """Worker thread: the watch whose batches `_batch` turns into rows (the server's Table)."""
        from kubetui.kube.table_watching import TableWatch

        return TableWatch(api_client, self.resource, namespace, label_selector=selector,
                          field_selector=self.field_selector, owner_uid=self.owner_uid, **callbacks)

    def _batch(self, events) -> ResourceBatch:
        return ResourceBatch.from_events(events, events.columns)

    def _queue_events(self, generation: int, events) -> None:
        """Watch thread: rows are built here, off the UI loop; one wake-up per burst."""
        if generation != self._generation:
            return
        self._inbox.append((generation, self._batch(events)))
        if not self._wake_posted:
            self._wake_posted = True
            self.post_message(WatchBatchesQueued())

    def _queue_state(self, generation: int, state) -> None:
        self.post_message(WatchStateChanged(generation, state))

    def on_watch_batches_queued(self, message: WatchBatchesQueued) -> None:
        message.stop()
        self._wake_posted = False
        change = TableChange()
        big = False
        columns = self.table.columns
        while self._inbox:
            generation, batch = self._inbox.popleft()
            if generation != self._generation:
                continue
            if batch.skipped and not self.skipped:
                self.notify(f"{batch.skipped[0]} (not shown)", title="Malformed row", severity="warning")
            self.skipped.extend(batch.skipped)
            big |= len(batch.upserts) >= _BIG_BATCH
            change.merge(self.table.apply(batch))
        if big:
            gc.freeze()  # as the pod view: the rows live as long as the view
        if self.table.columns != columns:
            self.view.table_changed(None)
        elif change:
            self.view.table_changed(change)
        if change.counts_changed:
            self._counts_pending = True

    def on_watch_state_changed(self, message: WatchStateChanged) -> None:
        message.stop()
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

    def _show_counts(self) -> None:
        self._counts_pending = False
        row_filter = self.table.filter
        shown = None if row_filter.is_empty else self.table.visible_count
        self.tell(Counts(dict(self.table.counts), len(self.table), shown, row_filter.text, noun=self.resource.plural))

    # -- keys ----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "open_filter" and self.screen.focused is self.query_one("#filter", Input):
            return False
        if action in ("pick_namespace", "all_namespaces") and not self.resource.namespaced:
            return False
        if action == "descend":
            row = self.table.row_at(self.table.cursor_index)
            return row is not None and descend(self.resource.group, self.resource.kind, row) is not None
        if action in ("act", "refuse"):
            return action_allowed(action, parameters[0], self.resource, self.app.readonly)
        if action == "events":  # the events of an event: none
            return self.resource.kind != "Event"
        if action == "logs":
            return (self.resource.group, self.resource.kind) in _LOGGABLE
        return super().check_action(action, parameters)

    def apply_filter(self, text: str) -> bool:
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
            self.report_listing()
        return True

    def action_sort(self, key: str) -> None:
        try:
            self.table.sort_by(key)
        except ValueError as exc:
            self.notify(f"{exc} in {self.resource.plural}", title="Sort", severity="warning")
            return
        self.view.table_changed(None)

    def action_toggle_wide(self) -> None:
        self.view.set_wide(not self.view.wide)
        self.report_listing()

    def action_descend(self) -> None:
        row = self.table.row_at(self.table.cursor_index)
        target = descend(self.resource.group, self.resource.kind, row) if row else None
        if target is not None:
            self.post_message(self.DescendRequested(target, row.name))

    def listing(self):
        if self.owner_uid:
            return None  # what one object owns: no selector of kubectl's says that
        from kubetui.model import kubectl_equivalent as kubectl  # with the grammar: off the start path
        return kubectl.get_list(self.resource, self._namespace, selector=self._label_selector,
                                field_selector=self.field_selector, wide=self.view.wide)

    def selected(self) -> tuple[str | None, str] | None:
        row = self.table.row_at(self.table.cursor_index)
        return (row.namespace or None, row.name) if row else None

    def action_inspect(self, kind: str) -> None:
        """`d`, `y`: a describe or YAML tab of the cursor's object."""
        self.post_message(self.SessionRequested(kind, self.selected(), "show", self.resource))

    def action_events(self) -> None:
        """`v`: the events of the cursor's object, in a view above this one."""
        row = self.table.row_at(self.table.cursor_index)
        if row is None:
            self.notify(f"no {self.resource.kind_text} selected", severity="warning")
            return
        target = events_of(self.resource.kind, row.namespace or None, row.name, row.uid)
        self.post_message(self.DescendRequested(target, row.name))
        from kubetui.model import kubectl_equivalent as kubectl  # with the grammar: off the start path
        self.app.post_message(ActionPerformed(kubectl.events_for(self.resource, row.namespace or None, row.name)))

    def action_act(self, verb: str) -> None:
        selected = self.selected()
        if selected is None:
            self.notify(f"no {self.resource.kind_text} selected", severity="warning")
            return
        self.post_message(self.ActionRequested(verb, self.resource, *selected))

    def action_refuse(self, verb: str) -> None:
        self.post_message(self.ActionRequested(verb, self.resource, None, ""))

    def action_logs(self) -> None:
        """The logs of every pod the object's selector matches (see ui/sessions/logs.py)."""
        selected = self.selected()
        obj = (selected[0] or "", selected[1]) if selected else None
        self.post_message(self.SessionRequested("logs", obj, self.resource.kind.lower()))

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
        if not self.resource.namespaced:
            return
        self._namespace = namespace
        self.tell(Place(namespace))
        self.view.set_show_namespace(self._shows_namespace())
        self._restart_watch(clear=True)

    def connection_changed(self, namespace: str | None) -> None:
        self.stop()
        self.workers.cancel_group(self, "resources")
        self._namespace = namespace if self.resource.namespaced else None
        self.view.set_show_namespace(self._shows_namespace())
        self._restart_watch(clear=True)

    def jump_to(self, namespace: str, name: str) -> bool:
        key = f"{namespace if self.resource.namespaced else ''}/{name}"
        index = self.table.index_of(key)
        if index is None:
            return False
        self.view.move_cursor_to(index)
        return True


def title_of(kind: str) -> str:
    """`Deployments`, `Ingresses`, `NetworkPolicies`, `Endpoints`: a kind named in the plural."""
    if kind.endswith("ss"):
        return kind + "es"
    if kind.endswith("s"):
        return kind
    if kind.endswith("y") and kind[-2:-1].lower() not in "aeiou":
        return kind[:-1] + "ies"
    return kind + "s"
