"""What the inspect tabs show of one object: kubectl describe's text, `kubectl get -o yaml`'s,
and the manifest to edit it from.

Key decisions: the object and its events come from the tab's watches (`kube.object_following`);
what else a describer needs (a ReplicaSet's pods, a Deployment's replica sets, a Node's pods and
Lease, ...) is read here when the object or its events change, through the GETs of `kubetui
describe`, errors translated once into the server's words; laying the text out is pure, so the
events' ages are redrawn from what was read, with no request. The printers are those of `kubetui
describe` and `kubetui get -o yaml`, so the text is kubectl's own. The manifest to edit leaves
out what the server writes (`model.object_diff.strip_noise`: status, uid, resourceVersion,
managedFields, creationTimestamp, generation, selfLink), so a dry run and an apply of it change
only what the user edits.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from kubetui.errors import from_api_exception
from kubetui.kube.describing import fetch_related, get_object
from kubetui.kube.pod_output import object_text, printable
from kubetui.model.object_diff import strip_noise
from kubetui.model.resource_names import ApiResource

if TYPE_CHECKING:
    from kubetui.model.describe import Related

__all__ = ["description", "editable_yaml", "read_object", "related_now", "yaml_text"]


def read_object(api_client: Any, server: str, resource: ApiResource, namespace: str | None, name: str) -> dict:
    """The object as the server has it now (one GET: for `edit`, which needs no watch)."""
    try:
        return get_object(api_client, resource, namespace if resource.namespaced else None, name)
    except Exception as exc:
        raise from_api_exception(exc, server) from None


def related_now(api_client: Any, server: str, resource: ApiResource, obj: dict, events: list[dict] | None) -> Related:
    """What the describer of ``obj`` needs besides it: ``events`` (as a watch read them: None
    when the kind shows none) in kubectl's order, and the related objects, read now."""
    from kubetui.model.event_search import event_search

    try:
        related = fetch_related(api_client, server, resource, obj, show_events=False)
    except Exception as exc:
        raise from_api_exception(exc, server) from None
    if events is not None:
        related.events = event_search(resource.group, resource.kind, obj).matching(events)
    return related


def description(resource: ApiResource, obj: dict, related: Related, now: datetime) -> str:
    """What `kubectl describe KIND NAME` prints at ``now`` for ``obj`` and what is related to it."""
    from kubetui.model.describe import describe

    return describe(resource.group, resource.kind, obj, related, now)


def yaml_text(obj: dict, resource: ApiResource, *, managed_fields: bool = False) -> str:
    """`kubectl get KIND NAME -o yaml` of ``obj`` (`--show-managed-fields` when asked)."""
    if managed_fields:
        document = {**obj, "apiVersion": obj.get("apiVersion") or resource.api_version,
                    "kind": obj.get("kind") or resource.kind}
    else:
        document = printable(obj, resource.api_version, resource.kind)
    return object_text(document, "yaml")


def editable_yaml(obj: dict, resource: ApiResource) -> str:
    """``obj`` as a manifest to edit and apply: without status and the server's bookkeeping."""
    return object_text(strip_noise(printable(obj, resource.api_version, resource.kind)), "yaml")
