"""`kubectl rollout restart` and `kubectl rollout undo`, request for request, in kubectl's words.

Key decisions:
* Restart is kubectl's strategic merge patch of `spec.template.metadata.annotations
  ["kubectl.kubernetes.io/restartedAt"]` (local time, RFC 3339, seconds) with field manager
  `kubectl-rollout`; kubectl restarts Deployments, StatefulSets and DaemonSets and refuses the rest
  in the words used here. A paused Deployment is refused as kubectl refuses it.
* Undo follows kubectl's `DeploymentRollbacker`: the ReplicaSets the Deployment controls (selector,
  then controller uid), the one of the second-highest revision, its template without the
  `pod-template-hash` label, and one JSON patch replacing `spec.template` and
  `metadata.annotations` (the Deployment's own revision bookkeeping kept, the ReplicaSet's other
  annotations copied). Undo of StatefulSets and DaemonSets (ControllerRevisions) is not done here.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from kubetui.errors import KubetuiError
from kubetui.kube.api_requests import JSON_PATCH, STRATEGIC_PATCH, call
from kubetui.kube.table_listing import resource_path
from kubetui.model.action_kinds import RESTARTABLE, UNDOABLE
from kubetui.model.label_selectors import selector_text
from kubetui.model.resource_names import ApiResource

__all__ = ["RESTARTABLE", "UNDOABLE", "restart", "restarted_at", "undo"]

RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"
REPLICASETS = ApiResource("apps", "v1", "replicasets", "replicaset", "ReplicaSet", namespaced=True)
HASH_LABEL = "pod-template-hash"
REVISION = "deployment.kubernetes.io/revision"
# kubectl's annotationsToSkip: the Deployment keeps its own values of these on a rollback.
_SKIPPED_ANNOTATIONS = ("kubectl.kubernetes.io/last-applied-configuration", REVISION,
                        "deployment.kubernetes.io/revision-history", "deployment.kubernetes.io/desired-replicas",
                        "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to")


def restarted_at(now: datetime) -> str:
    """Go's `time.Now().Format(time.RFC3339)`: local time, whole seconds, `Z` for UTC."""
    text = now.astimezone().replace(microsecond=0).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def restart(api_client: Any, resource: ApiResource, namespace: str | None, name: str,
            now: datetime | None = None) -> str:
    """Restart the pods of a workload; returns `deployment.apps/x restarted`."""
    if (resource.group, resource.kind) not in RESTARTABLE:
        raise KubetuiError(f'{resource.resource_text} "{name}" restarting is not supported', "Not supported")
    path = resource_path(resource, namespace, name)
    current = call(api_client, "GET", path)
    if resource.kind == "Deployment" and (current.get("spec") or {}).get("paused"):
        raise KubetuiError("can't restart paused deployment (run rollout resume first)", "Paused")
    stamp = restarted_at(now or datetime.now())
    call(api_client, "PATCH", path, query=[("fieldManager", "kubectl-rollout")], content_type=STRATEGIC_PATCH,
          body={"spec": {"template": {"metadata": {"annotations": {RESTARTED_AT: stamp}}}}})
    return f"{resource.kind_text}/{name} restarted"


def undo(api_client: Any, resource: ApiResource, namespace: str | None, name: str,
         to_revision: int | None = None) -> str:
    """Roll a Deployment back to its previous revision (or ``to_revision``); returns
    `deployment.apps/x rolled back`."""
    if (resource.group, resource.kind) not in UNDOABLE:
        if (resource.group, resource.kind) in RESTARTABLE:
            raise KubetuiError(f"kubetui cannot undo a {resource.kind} rollout yet; use kubectl rollout undo",
                               "Not supported")
        raise KubetuiError(f'no rollbacker has been implemented for "{resource.kind}.{resource.group}"'
                           if resource.group else f'no rollbacker has been implemented for "{resource.kind}"',
                           "Not supported")
    path = resource_path(resource, namespace, name)
    deployment = call(api_client, "GET", path)
    spec = deployment.get("spec") or {}
    uid = (deployment.get("metadata") or {}).get("uid")
    listed = call(api_client, "GET", resource_path(REPLICASETS, namespace),
                   query=[("labelSelector", selector_text(spec.get("selector")))])
    owned = [rs for rs in (listed or {}).get("items") or () if controlled_by(rs, uid)]
    previous, revision = previous_revision(owned) if not to_revision else revision_of(owned, to_revision)
    if previous is None and to_revision:
        raise KubetuiError(f"unable to find specified revision {to_revision} in history", "No such revision")
    if previous is None:
        raise KubetuiError(f'no rollout history found for deployment "{name}"', "No history")
    if spec.get("paused"):  # asked after the history, as kubectl asks
        raise KubetuiError("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' "
                           "and try again", "Paused")
    template = copy.deepcopy((previous.get("spec") or {}).get("template") or {})
    if equal_ignoring_hash(template, spec.get("template") or {}):
        return (f"{resource.kind_text}/{name} skipped rollback "
                f"(current template already matches revision {revision})")
    labels = (template.get("metadata") or {}).get("labels")
    if isinstance(labels, dict):
        labels.pop(HASH_LABEL, None)
    own = (deployment.get("metadata") or {}).get("annotations") or {}
    annotations = {key: own[key] for key in _SKIPPED_ANNOTATIONS if key in own}
    for key, value in ((previous.get("metadata") or {}).get("annotations") or {}).items():
        if key not in _SKIPPED_ANNOTATIONS:
            annotations[key] = value
    call(api_client, "PATCH", path, content_type=JSON_PATCH, body=[
        {"op": "replace", "path": "/spec/template", "value": template},
        {"op": "replace", "path": "/metadata/annotations", "value": annotations},
    ])
    return f"{resource.kind_text}/{name} rolled back"


def previous_revision(replicasets: list[dict]) -> tuple[dict | None, int]:
    """The ReplicaSet with the second-highest revision annotation, and that revision."""
    latest, previous = (-1, None), (-1, None)
    for rs in replicasets:
        try:
            revision = int(((rs.get("metadata") or {}).get("annotations") or {}).get(REVISION, ""))
        except ValueError:
            continue
        if revision > latest[0]:
            latest, previous = (revision, rs), latest
        elif revision > previous[0]:
            previous = (revision, rs)
    return previous[1], previous[0]


def revision_of(replicasets: list[dict], wanted: int) -> tuple[dict | None, int]:
    """The ReplicaSet of revision ``wanted``, if the history still has it."""
    for rs in replicasets:
        if ((rs.get("metadata") or {}).get("annotations") or {}).get(REVISION) == str(wanted):
            return rs, wanted
    return None, wanted


def equal_ignoring_hash(template: dict, other: dict) -> bool:
    """kubectl's `equalIgnoreHash`: equal but for the hash label, empty and absent being alike."""
    return _normal(_without_hash(template)) == _normal(_without_hash(other))


def controlled_by(obj: dict, uid: str | None) -> bool:
    return any(ref.get("controller") and ref.get("uid") == uid
               for ref in (obj.get("metadata") or {}).get("ownerReferences") or ())


def _without_hash(template: dict) -> dict:
    template = copy.deepcopy(template)
    labels = (template.get("metadata") or {}).get("labels")
    if isinstance(labels, dict):
        labels.pop(HASH_LABEL, None)
    return template


def _normal(value: Any) -> Any:
    if isinstance(value, dict):
        normal = {key: _normal(item) for key, item in value.items()}
        return {key: item for key, item in normal.items() if item not in (None, {}, [])}
    if isinstance(value, list):
        return [_normal(item) for item in value]
    return value

