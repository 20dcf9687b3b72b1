"""Resource views by name: the workspace shows one of these in its views tab.

Key decision: adding a view is one module (a `ResourceView` subclass) and one line here; the
workspace builds the view from this table and routes its messages, whatever its kind. Pods keep
their own view (kubectl's pod columns computed here, `pod_row`); every other kind is the
server-printed `ResourcesView`; a pod's containers are `ContainersView`; one object's events
(`v`) are `EventsView`, as `kubectl events` prints them. `view_for` picks.
"""

from __future__ import annotations

from kubetui.ui.views.containers import ContainersView
from kubetui.ui.views.events import EventsView
from kubetui.ui.views.pods import PodsView
from kubetui.ui.views.port_forwards import PortForwardsView
from kubetui.ui.views.resources import ResourcesView
from kubetui.ui.views.view import ResourceView

VIEWS: dict[str, type[ResourceView]] = {
    "pods": PodsView,
    "resources": ResourcesView,
    "containers": ContainersView,
    "port-forwards": PortForwardsView,
}
# Views of kubetui's own state, not of an API type: what `:` takes for them (k9s's `:pf`).
LOCAL_VIEWS = {"pf": "port-forwards", "port-forwards": "port-forwards", "portforwards": "port-forwards"}

# What the breadcrumb calls a kind when the user did not type it: kubectl's short names.
_CRUMBS = {"pods": "pods", "containers": "containers", "events": "events"}


def crumb_label(resource, typed: str = "") -> str:
    """`deploy`, `rs`, `pods`: what the user typed, else the shortest usual name of the kind."""
    if typed:
        return typed
    if resource is None:
        return "containers"
    if resource.plural in _CRUMBS and not resource.group:
        return _CRUMBS[resource.plural]
    return resource.short_names[0] if resource.short_names else resource.plural


def view_for(resource, *, namespace, now, descent=None) -> ResourceView:
    """The view of ``resource`` (an `ApiResource`; None for a pod's containers), narrowed by
    ``descent`` (a `model.ownership.Descent`) when it was opened down the ownership."""
    if resource is None:
        return ContainersView(namespace=descent.namespace, name=descent.name, now=now)
    owner_uid = descent.owner_uid if descent else ""
    field_selector = (descent.field_selector or None) if descent else None
    if resource.group == "" and resource.plural == "pods":
        return PodsView(namespace=namespace, now=now, owner_uid=owner_uid, field_selector=field_selector)
    if resource.group == "" and resource.plural == "events" and field_selector:  # `v`: one object's events
        return EventsView(resource, namespace=namespace, now=now, field_selector=field_selector)
    return ResourcesView(resource, namespace=namespace, now=now, owner_uid=owner_uid, field_selector=field_selector)


__all__ = ["LOCAL_VIEWS", "VIEWS", "ContainersView", "PortForwardsView", "EventsView", "PodsView", "ResourceView", "ResourcesView", "crumb_label", "view_for"]
