"""A Deployment's status and its Available/Progressing conditions: pure functions.

Key decision: the real controller's reasons and messages verbatim (deployment/util), because
`kubectl rollout status` and `kubectl describe` read them. Progressing's lastUpdateTime moves only
when the rollout made progress, as upstream does; otherwise every reconcile would rewrite the
status and re-trigger itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from kubetui.localcluster.apimachinery.clock import parse_rfc3339, rfc3339
from kubetui.localcluster.controllers.rollout import desired_replicas, spec_replicas, status_count

AVAILABLE = "Available"
PROGRESSING = "Progressing"
DEFAULT_PROGRESS_DEADLINE = 600


def compute_status(deployment: dict, new_rs: dict | None, all_rs: list[dict],
                   max_unavailable: int, now: datetime,
                   new_rs_event: str | None = None) -> tuple[dict, float | None]:
    """(status, seconds until the progress deadline should be checked again, or None).

    `new_rs_event` is "created" or "found" when this reconcile created or first noticed the
    ReplicaSet of the current template.
    """
    previous = deployment.get("status") or {}
    desired = desired_replicas(deployment)
    counts = {
        "observedGeneration": deployment["metadata"].get("generation"),
        "replicas": sum(status_count(rs, "replicas") for rs in all_rs),
        "updatedReplicas": status_count(new_rs, "replicas") if new_rs else 0,
        "readyReplicas": sum(status_count(rs, "readyReplicas") for rs in all_rs),
        "availableReplicas": sum(status_count(rs, "availableReplicas") for rs in all_rs),
    }
    total_spec = sum(spec_replicas(rs) for rs in all_rs)
    counts["unavailableReplicas"] = max(total_spec - counts["availableReplicas"], 0)
    # DeploymentStatus fields are int32 omitempty: zeros are left out, as on a real cluster.
    status = {field: value for field, value in counts.items() if value}
    if previous.get("collisionCount") is not None:
        status["collisionCount"] = previous["collisionCount"]

    conditions = {c.get("type"): c for c in previous.get("conditions") or ()}
    now_text = rfc3339(now)
    if counts["availableReplicas"] >= desired - max_unavailable:
        available = ("True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
    else:
        available = ("False", "MinimumReplicasUnavailable",
                     "Deployment does not have minimum availability.")
    _set_condition(conditions, AVAILABLE, *available, now_text)

    again_after = _progress(deployment, conditions, counts, previous, desired, new_rs,
                            new_rs_event, now, now_text)
    order = [AVAILABLE, PROGRESSING]
    status["conditions"] = ([conditions[t] for t in order if t in conditions]
                            + [c for t, c in conditions.items() if t not in order])
    return status, again_after


def _progress(deployment, conditions, counts, previous, desired, new_rs, new_rs_event,
              now: datetime, now_text: str) -> float | None:
    spec = deployment.get("spec") or {}
    name = new_rs["metadata"]["name"] if new_rs else ""
    if spec.get("paused"):
        _set_condition(conditions, PROGRESSING, "Unknown", "DeploymentPaused",
                       "Deployment is paused", now_text)
        return None
    deadline = spec.get("progressDeadlineSeconds", DEFAULT_PROGRESS_DEADLINE)
    if deadline is None:
        conditions.pop(PROGRESSING, None)
        return None
    complete = (counts["updatedReplicas"] == desired and counts["replicas"] == desired
                and counts["availableReplicas"] == desired
                and (counts["observedGeneration"] or 0)
                >= (deployment["metadata"].get("generation") or 0))
    current = conditions.get(PROGRESSING)
    if complete:
        _set_condition(conditions, PROGRESSING, "True", "NewReplicaSetAvailable",
                       f'ReplicaSet "{name}" has successfully progressed.', now_text)
        return None
    if current and current.get("reason") == "DeploymentPaused":
        _set_condition(conditions, PROGRESSING, "Unknown", "DeploymentResumed",
                       "Deployment is resumed", now_text)
    if new_rs_event == "created":
        _replace_progressing(conditions, "NewReplicaSetCreated",
                             f'Created new replica set "{name}"', now_text)
    elif _made_progress(previous, counts):
        _replace_progressing(conditions, "ReplicaSetUpdated",
                             f'ReplicaSet "{name}" is progressing.', now_text)
    elif PROGRESSING not in conditions and name:
        _set_condition(conditions, PROGRESSING, "True", "FoundNewReplicaSet",
                       f'Found new replica set "{name}"', now_text)
    current = conditions.get(PROGRESSING)
    if current is None:
        return None
    if current.get("reason") == "ProgressDeadlineExceeded":
        return None
    last_update = parse_rfc3339(current.get("lastUpdateTime")) or now
    remaining = (last_update + timedelta(seconds=deadline) - now).total_seconds()
    if remaining <= 0:
        _set_condition(conditions, PROGRESSING, "False", "ProgressDeadlineExceeded",
                       f'ReplicaSet "{name}" has timed out progressing.', now_text)
        return None
    return remaining + 1


def _made_progress(previous: dict, counts: dict) -> bool:
    """upstream util.DeploymentProgressing."""
    old_updated = previous.get("updatedReplicas", 0)
    old_old_pods = previous.get("replicas", 0) - old_updated
    new_old_pods = counts["replicas"] - counts["updatedReplicas"]
    return (counts["updatedReplicas"] > old_updated or new_old_pods < old_old_pods
            or counts["readyReplicas"] > previous.get("readyReplicas", 0)
            or counts["availableReplicas"] > previous.get("availableReplicas", 0))


def _replace_progressing(conditions: dict, reason: str, message: str, now_text: str) -> None:
    """Progressing is special upstream: same reason still refreshes lastUpdateTime and message."""
    current = conditions.get(PROGRESSING)
    transition = now_text
    if current is not None and current.get("status") == "True":
        transition = current.get("lastTransitionTime", now_text)
    conditions[PROGRESSING] = _condition(PROGRESSING, "True", reason, message, now_text,
                                         transition)


def _set_condition(conditions: dict, kind: str, status: str, reason: str, message: str,
                   now_text: str) -> None:
    """upstream util.SetDeploymentCondition: no-op for the same status and reason."""
    current = conditions.get(kind)
    if current is not None and current.get("status") == status and current.get("reason") == reason:
        return
    transition = now_text
    if current is not None and current.get("status") == status:
        transition = current.get("lastTransitionTime", now_text)
    conditions[kind] = _condition(kind, status, reason, message, now_text, transition)


def _condition(kind, status, reason, message, update_time, transition_time) -> dict:
    return {"type": kind, "status": status, "lastUpdateTime": update_time,
            "lastTransitionTime": transition_time, "reason": reason, "message": message}
