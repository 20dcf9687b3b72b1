"""`:pf`: the port-forwards running in this app, as k9s lists them; ctrl+d stops one.

Key decisions: the rows are the app's registry (`ui/port_forwards.py`), redrawn once a second
(the connection counters move in the forwards' own threads), keyed by the forward's number so
the cursor stays on its row. STATE says what is true now: Starting until the listeners are
bound, Active, Active with the last connection's failure (the kubelet's words), Failed (the
listeners could not be bound) or Stopped. A stopped forward stays listed until ctrl+d again
removes it, so what happened to it can still be read.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from kubetui.model.durations import human_duration
from kubetui.ui.views.view import Counts, ResourceView, WatchState

__all__ = ["PortForwardsView"]

COLUMNS = ("NAMESPACE", "POD", "CONTAINER", "LOCAL", "REMOTE", "CONNECTIONS", "STATE", "AGE")


class PortForwardsView(ResourceView):
    """Every forward the app started (none of them is an API object: nothing to watch)."""

    TITLE = "Port-forwards"

    BINDINGS = [
        Binding("ctrl+d", "stop_forward", "Stop forward (again: remove)"),
        Binding("escape", "back", "Back", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static("", id="pf-note")
        table: DataTable = DataTable(id="port-forwards", cursor_type="row", zebra_stripes=False)
        table.add_columns(*COLUMNS)
        yield table

    @property
    def table(self) -> DataTable:
        return self.query_one("#port-forwards", DataTable)

    def on_mount(self) -> None:
        self.tell(WatchState("live"))  # the rows are this process's own, current at every redraw
        self.set_interval(1.0, self.redraw)
        self.redraw()

    def focus_content(self) -> None:
        self.screen.set_focus(self.table)

    def switch_namespace(self, namespace: str | None) -> None:
        """Forwards of every namespace are listed: nothing to switch."""

    def connection_changed(self, namespace: str | None) -> None:
        self.redraw()

    def redraw(self) -> None:
        table = self.table
        entries = list(self.app.port_forwards.entries)
        now = self._now()
        keys = {str(entry.number) for entry in entries}
        for key in [row_key.value for row_key in table.rows if row_key.value not in keys]:
            table.remove_row(key)
        for entry in entries:
            forward = entry.forward
            cells = (entry.namespace, entry.pod, entry.container or "-", str(entry.port.local) if entry.listening
                     else "-", str(entry.port.remote), f"{forward.active} open, {forward.connections} in all",
                     entry.state, human_duration((now - entry.started).total_seconds()))
            key = str(entry.number)
            if key in table.rows:
                for column, value in zip(table.columns, cells):
                    table.update_cell(key, column, value, update_width=True)
            else:
                table.add_row(*cells, key=key)
        active = sum(1 for entry in entries if not entry.stopped and not entry.failed)
        self.query_one("#pf-note", Static).update(
            "No port-forwards: shift+f on a pod or a container starts one." if not entries else
            f"{active} forwarding, {len(entries) - active} stopped · ctrl+d stops the forward under the cursor")
        self.tell(Counts({}, len(entries), None, "", noun="port-forwards"))

    def _selected(self):
        table = self.table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((entry for entry in self.app.port_forwards.entries if str(entry.number) == key), None)

    def action_stop_forward(self) -> None:
        entry = self._selected()
        if entry is None:
            self.notify("no port-forward selected", severity="warning")
            return
        forwards = self.app.port_forwards
        if entry.stopped or entry.failed:
            forwards.forget(entry)
        else:
            forwards.stop(entry)
            self.notify(f"stopped forwarding {entry.port.local} -> {entry.pod}:{entry.port.remote}",
                        title="Port-forward", markup=False)
        self.redraw()

    def action_back(self) -> None:
        self.post_message(self.BackRequested())
