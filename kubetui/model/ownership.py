"""Down the ownership: what `Enter` on a row shows next, and which objects belong to which.

Key decisions: children are found as the garbage collector finds them, by the uid in their
`ownerReferences` (never by name prefix or labels alone, which a hand-made object can share);
the pods of a node come from the server with the `spec.nodeName` field selector; a namespace
opens its pods. Pure: rows and dicts in, a `Descent` out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kubetui.model.table_rows import ResourceRow

__all__ = ["Descent", "descend", "owned_rows", "pod_owned_by", "pods_on_node_selector"]

PODS = ("", "pods")

# (group, kind) of a parent -> (group, plural) of the children it owns.
_OWNED = {
    ("apps", "Deployment"): ("apps", "replicasets"),
    ("apps", "ReplicaSet"): PODS,
    ("apps", "StatefulSet"): PODS,
    ("apps", "DaemonSet"): PODS,
    ("batch", "Job"): PODS,
    ("batch", "CronJob"): ("batch", "jobs"),
    ("", "ReplicationController"): PODS,
}


@dataclass(frozen=True)
class Descent:
    """The view `Enter` opens: a resource, where, and narrowed how."""

    group: str
    resource: str  # a plural, or "containers" for a pod's containers
    namespace: str | None  # None: all namespaces
    name: str  # the object entered, for the breadcrumb
    owner_uid: str = ""  # only rows owned by this uid
    field_selector: str = ""  # narrowed by the server


def descend(group: str, kind: str, row: ResourceRow) -> Descent | None:
    """Where `Enter` on ``row`` (an object of ``group``/``kind``) leads, or None for nowhere."""
    namespace = row.namespace or None
    if (group, kind) in _OWNED:
        child_group, child = _OWNED[(group, kind)]
        return Descent(child_group, child, namespace, row.name, owner_uid=row.uid)
    if (group, kind) == ("", "Node"):
        return Descent("", "pods", None, row.name, field_selector=pods_on_node_selector(row.name))
    if (group, kind) == ("", "Namespace"):
        return Descent("", "pods", row.name, row.name)
    if (group, kind) == ("", "Pod"):
        return Descent("", "containers", namespace, row.name)
    return None


def pods_on_node_selector(node: str) -> str:
    return f"spec.nodeName={node}"


def owned_rows(rows: Iterable[ResourceRow], uid: str) -> list[ResourceRow]:
    """The rows whose ownerReferences name ``uid``."""
    return [row for row in rows if row.owned_by(uid)]


def pod_owned_by(obj: Mapping, uid: str) -> bool:
    """Whether an object (a plain dict) lists ``uid`` among its ownerReferences."""
    metadata = obj.get("metadata") or {}
    return any(isinstance(ref, Mapping) and ref.get("uid") == uid
               for ref in metadata.get("ownerReferences") or ())
