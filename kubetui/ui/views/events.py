"""The events of one object, as `kubectl events --for` prints them, live: `v` on any row.

Key decisions: a `ResourcesView` (its filter, sorts, keys, watch generations and inbox) whose
watch reads the Events themselves (`kube.object_watching.ObjectWatch`, narrowed on the server
by the field selector `v` built) instead of the server's Table, because kubectl's `events`
columns are computed client-side: LAST SEEN ticks with the clock (`4s (x5 over 8s)`) and the
rows are in event-time order, newest last (`model.event_rows.EventTable`). The cursor starts
on the newest. Warning rows are coloured as a whole.
"""

from __future__ import annotations

from kubetui.model.event_rows import TYPE, EventTable, event_batch, slim_event
from kubetui.model.resource_table import ResourceBatch
from kubetui.model.table_rows import ResourceRow
from kubetui.ui.views.resources import ResourcesView
from kubetui.ui.widgets.resource_table import ResourceTableView

__all__ = ["EventsView"]


class EventTableView(ResourceTableView):
    """The resource table, with Warning rows in the warning colour."""

    COMPONENT_CLASSES = {"pod-table--warning"}
    DEFAULT_CSS = "EventTableView > .pod-table--warning { color: $warning; }"

    def _row_tone(self, row: ResourceRow) -> str:
        return "warning" if len(row.cells) > TYPE and row.cells[TYPE] == "Warning" else ""


class EventsView(ResourcesView):
    """The events whose involvedObject matches ``field_selector``."""

    TABLE_VIEW = EventTableView

    def __init__(self, resource, *, namespace, now, field_selector: str, id: str | None = None) -> None:
        super().__init__(resource, namespace=namespace, now=now, field_selector=field_selector, id=id)
        self.table = EventTable()
        self._placed = False  # the cursor went to the newest event once

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("pick_namespace", "all_namespaces"):
            return False  # the object's events are where the object is
        return super().check_action(action, parameters)

    def listing(self):
        return None  # `v` said it already: `kubectl events --for KIND/NAME`

    def _new_watch(self, api_client, namespace, selector, **callbacks):
        from kubetui.kube.object_watching import ObjectWatch

        return ObjectWatch(api_client, self.resource, namespace, label_selector=selector,
                           field_selector=self.field_selector, project=slim_event, **callbacks)

    def _batch(self, events) -> ResourceBatch:
        return event_batch(events)

    def on_watch_batches_queued(self, _message) -> None:
        # Textual calls the base class's handler after this one (it merges the rows): look after it.
        if not self._placed:
            self.call_later(self._place_cursor)

    def _place_cursor(self) -> None:
        if not self._placed and self.table.visible_count:
            self._placed = True
            self.view.move_cursor_to(self.table.visible_count - 1)
