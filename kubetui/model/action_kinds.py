"""Which kinds the action keys apply to, as kubectl decides: delete, scale, restart, undo.

Key decision: kubectl's own lists, not discovery's subresources: `kubectl scale` works through
the scale subresource of the kinds below, `rollout restart` patches the pod template of
Deployments, StatefulSets and DaemonSets, `rollout undo` of Deployments is done here (StatefulSets
and DaemonSets roll back through ControllerRevisions, which kubetui does not do). Pure data.
"""

from __future__ import annotations

from kubetui.model.resource_names import ApiResource

__all__ = ["RESTARTABLE", "SCALABLE", "UNDOABLE", "applies"]

SCALABLE = frozenset({("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "StatefulSet"),
                      ("", "ReplicationController")})
RESTARTABLE = frozenset({("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "DaemonSet")})
UNDOABLE = frozenset({("apps", "Deployment")})


def applies(verb: str, resource: ApiResource) -> bool:
    """Whether ``verb`` (delete, kill, scale, restart, undo) means anything for ``resource``."""
    kind = (resource.group, resource.kind)
    if verb in ("delete", "kill"):
        return not resource.verbs or "delete" in resource.verbs
    if verb == "scale":
        return kind in SCALABLE
    if verb == "restart":
        return kind in RESTARTABLE
    if verb == "undo":
        return kind in UNDOABLE
    return False
