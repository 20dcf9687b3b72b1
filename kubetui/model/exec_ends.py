"""Why an exec ended, from the pod as it is now: pure functions on pod dicts.

An exec lives inside one instance of a container (one containerID). When that instance stops
(a crash, a restart, the kubelet stopping it because the pod is being deleted) the runtime
kills every process left in it, so the exec ends with status 137 or its stream just closes.
`running_instance` is the rule both sides share (the local cluster ends execs by it; the
client words the end by it); `end_cause` compares the instance a session started in with
the pod read after the end, so the words are true now: "was deleted" only when the pod is
gone or being deleted, "restarted" only when another instance runs.
"""

from __future__ import annotations

_STATUS_KEYS = ("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses")


def _container_status(pod: dict, container: str) -> dict | None:
    status = pod.get("status") or {}
    for key in _STATUS_KEYS:
        for entry in status.get(key) or []:
            if entry.get("name") == container:
                return entry
    return None


def running_instance(pod: dict, container: str) -> str | None:
    """The running instance of `container`: its containerID ("" when the status gives none),
    or None when it is not running (or the pod has finished)."""
    if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
        return None
    entry = _container_status(pod, container)
    if entry is None or (entry.get("state") or {}).get("running") is None:
        return None
    return str(entry.get("containerID") or "")


def end_cause(pod: dict | None, name: str, container: str, started_in: str | None) -> str | None:
    """What happened to the session's container, or None if nothing did (the command ended
    on its own). `pod` is None when it no longer exists; `started_in` is the instance the
    session started in (None when unknown)."""
    if pod is None or (pod.get("metadata") or {}).get("deletionTimestamp"):
        return f"pod {name} was deleted"
    now = running_instance(pod, container)
    if now is not None:
        if started_in is None or now == started_in:
            return None
        return f"container {container} restarted"
    entry = _container_status(pod, container) or {}
    state = entry.get("state") or {}
    if "terminated" in state:
        ended = state["terminated"] or {}
        reason = ended.get("reason") or "Error"
        return f"container {container} stopped ({reason}, exit code {ended.get('exitCode', '?')})"
    if "waiting" in state:
        reason = (state["waiting"] or {}).get("reason")
        return f"container {container} stopped" + (f" and is waiting to restart ({reason})"
                                                  if reason else "")
    phase = (pod.get("status") or {}).get("phase")
    return f"pod {name} has ended ({phase})" if phase in ("Succeeded", "Failed") else None
