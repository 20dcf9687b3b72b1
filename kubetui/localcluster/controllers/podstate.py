"""What a controller needs to know about a pod: active, ready, available, and how to rank it.

Key decision: the same rules as the controller manager (`controller.ActivePods` ordering and
`podutil.IsPodAvailable`), so scale-down picks the pods a real cluster would pick.
"""

from __future__ import annotations

from datetime import datetime

from kubetui.localcluster.apimachinery.clock import parse_rfc3339

_PHASE_RANK = {"Pending": 0, "Unknown": 1, "Running": 2}


def is_active(pod: dict) -> bool:
    """Counts towards a ReplicaSet: not being deleted and not finished."""
    if (pod.get("metadata") or {}).get("deletionTimestamp"):
        return False
    return (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed")


def _ready_condition(pod: dict) -> dict | None:
    for condition in (pod.get("status") or {}).get("conditions") or ():
        if condition.get("type") == "Ready":
            return condition
    return None


def is_ready(pod: dict) -> bool:
    condition = _ready_condition(pod)
    return condition is not None and condition.get("status") == "True"


def seconds_until_available(pod: dict, min_ready_seconds: int, now: datetime) -> float | None:
    """0 if available now, the remaining seconds if ready but not long enough, None if not ready."""
    if not is_ready(pod):
        return None
    if min_ready_seconds <= 0:
        return 0.0
    since = parse_rfc3339((_ready_condition(pod) or {}).get("lastTransitionTime"))
    if since is None:
        return 0.0
    remaining = min_ready_seconds - (now - since).total_seconds()
    return max(remaining, 0.0)


def rank_for_deletion(pods: list[dict]) -> list[dict]:
    """Pods in the order a ReplicaSet deletes them on scale-down: least useful first.

    Unscheduled before scheduled, Pending before Running, not ready before ready, then more
    restarts, then the newest. Stable sorts applied from the least significant key up.
    """
    ordered = sorted(pods, key=_creation, reverse=True)
    ordered.sort(key=_restarts, reverse=True)
    ordered.sort(key=lambda pod: (
        1 if (pod.get("spec") or {}).get("nodeName") else 0,
        _PHASE_RANK.get((pod.get("status") or {}).get("phase"), 0),
        1 if is_ready(pod) else 0,
    ))
    return ordered


def _creation(pod: dict) -> str:
    return (pod.get("metadata") or {}).get("creationTimestamp") or ""


def _restarts(pod: dict) -> int:
    statuses = (pod.get("status") or {}).get("containerStatuses") or ()
    return max((status.get("restartCount", 0) for status in statuses), default=0)
