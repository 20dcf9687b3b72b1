"""One pod's containers, live: init containers, native sidecars, containers, debug containers.

Key decisions: the pod is watched alone (`ScopedPodWatch` with `metadata.name=...`), so the
rows follow the kubelet's reports with the pod view's guarantees; each batch is the whole pod,
rendered by the pure `model.container_rows`. LAST TERMINATION ticks once a second. When the pod
goes away, the rows stay and the view says so (stale), as the other views do.
"""

from __future__ import annotations

import threading
from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from kubetui.errors import KubetuiError
from kubetui.model.container_rows import container_rows
from kubetui.ui.forward_actions import PortForwardRequested
from kubetui.ui.views.view import Counts, ResourceView, WatchState
from kubetui.ui.widgets.container_table import ContainerTable
from kubetui.ui.workers import guarded


class ContainersView(ResourceView):
    """The containers of pod ``name`` in ``namespace``."""

    TITLE = "Containers"

    BINDINGS = [
        Binding("s", "session('exec', 'shell')", "Shell"),
        Binding("e", "session('exec', 'command')", "Exec command"),
        Binding("l", "logs", "Logs"),
        Binding("F,shift+f", "port_forward", "Port-forward"),
    ]

    def __init__(self, *, namespace: str, name: str, now, id: str | None = None) -> None:
        super().__init__(namespace=namespace, now=now, id=id)
        self.pod_name = name
        self.pod: dict | None = None
        self.gone = False
        self._generation = 0
        self._watch = None
        self._watch_lock = threading.Lock()

    @property
    def table(self) -> ContainerTable:
        return self.query_one(ContainerTable)

    def compose(self) -> ComposeResult:
        yield Static(f"pod {self.pod_name}: waiting for the first answer…", id="containers-note")
        yield ContainerTable(id="containers")

    def on_mount(self) -> None:
        self.set_interval(1.0, self._redraw)
        self._start()

    def on_unmount(self) -> None:
        self.stop()

    def focus_content(self) -> None:
        self.screen.set_focus(self.table)

    def stop(self) -> None:
        with self._watch_lock:
            self._generation += 1
            watch, self._watch = self._watch, None
        if watch is not None:
            watch.stop()

    def _start(self) -> None:
        self.stop()
        self.tell(WatchState("connecting"))
        self._run_watch(self._generation, self.app.connection.api_client)

    def _watch_failed(self, error: BaseException, shown: str) -> None:
        message = error.message if isinstance(error, KubetuiError) else shown
        self.tell(WatchState("error", error_title="Watch failed", error_message=message))

    @guarded(group="containers", failed=_watch_failed)
    def _run_watch(self, generation: int, api_client) -> None:
        from kubetui.kube.pod_scopes import ScopedPodWatch

        watch = ScopedPodWatch(api_client, self._namespace, field_selector=f"metadata.name={self.pod_name}",
                               on_events=partial(self._events, generation),
                               on_state=partial(self._state, generation))
        with self._watch_lock:
            if generation != self._generation:
                return
            self._watch = watch
        watch.run()

    def _events(self, generation: int, events) -> None:
        if generation == self._generation:
            self.app.call_from_thread(self._take, generation, events)

    def _state(self, generation: int, state) -> None:
        if generation == self._generation:
            self.app.call_from_thread(self._take_state, generation, state)

    def _take(self, generation: int, events) -> None:
        if generation != self._generation:
            return
        pods = [pod for pod in events.upserts if (pod.get("metadata") or {}).get("name") == self.pod_name]
        if pods:
            self.pod, self.gone = pods[-1], False
        elif events.reset or events.deletes:
            self.gone = True
        self._redraw()

    def _take_state(self, generation: int, state) -> None:
        if generation != self._generation:
            return
        error = state.error
        self.tell(WatchState(state.kind, state.attempt, state.since,
                             getattr(error, "title", "") if error else "",
                             getattr(error, "message", str(error)) if error else ""))

    def _redraw(self) -> None:
        note = self.query_one("#containers-note", Static)
        if self.pod is None:
            if self.gone:
                note.update(f"pod {self.pod_name} not found in namespace {self._namespace}")
            return
        rows = container_rows(self.pod)
        self.table.show(rows, self._now())
        phase = (self.pod.get("status") or {}).get("phase") or "Unknown"
        state = " — deleted, showing its last known containers" if self.gone else ""
        note.update(f"pod {self.pod_name} · {phase} · {len(rows)} containers{state}")
        self.tell(Counts({}, len(rows), None, "", noun="containers"))

    def action_session(self, kind: str, action: str) -> None:
        self.post_message(self.SessionRequested(kind, (self._namespace, self.pod_name), action))

    def action_logs(self) -> None:
        """The logs of the container under the cursor (the pod's default one before any row shows)."""
        rows = self.table.rows_shown
        row = self.table.cursor_row
        action = f"container:{rows[row].name}" if 0 <= row < len(rows) else "pod"
        self.post_message(self.SessionRequested("logs", (self._namespace, self.pod_name), action))

    def action_port_forward(self) -> None:
        """shift+f: forward a port of the container under the cursor (its declared ports offered)."""
        rows = self.table.rows_shown
        row = self.table.cursor_row
        self.post_message(PortForwardRequested(self._namespace, self.pod_name,
                                               rows[row].name if 0 <= row < len(rows) else ""))

    def switch_namespace(self, namespace: str | None) -> None:
        """A pod's containers belong to its namespace: nothing to switch."""

    def connection_changed(self, namespace: str | None) -> None:
        self.pod, self.gone = None, False
        self._start()
