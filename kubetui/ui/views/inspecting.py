"""The inspect keys every resource view shares: `d` describe, `y` YAML, `v` the object's events.

Key decision: the keys follow k9s (`d`, `y`; k9s has no key for one object's events, and `v` is
free in every view); describe and YAML open session tabs (`SessionRequested` with the object's
resource), events open a view above the current one, narrowed on the server by a field
selector (`model.event_rows.events_selector`), as Enter opens what an object owns.
"""

from __future__ import annotations

from textual.binding import Binding

from kubetui.model.event_rows import events_selector
from kubetui.model.ownership import Descent

__all__ = ["INSPECT_BINDINGS", "events_of"]

INSPECT_BINDINGS = [
    Binding("d", "inspect('describe')", "Describe"),
    Binding("y", "inspect('yaml')", "YAML"),
    Binding("v", "events", "Events"),
]


def events_of(kind: str, namespace: str | None, name: str, uid: str = "") -> Descent:
    """The events view of one object (cluster-scoped: its events in every namespace)."""
    selector = events_selector(kind=kind, name=name, namespace=namespace, uid=uid)
    return Descent("", "events", namespace or None, name, field_selector=selector)
