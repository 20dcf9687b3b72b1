"""Which containers `kubectl logs` reads from a pod, and which instance of a container the
server would serve now: pure functions on pod dicts.

Key decisions: the container choice is kubectl's (`logsForObjectWithClient`): `--all-containers`
reads init containers, then containers, then ephemeral ones; otherwise the named container, or
the `kubectl.kubernetes.io/default-container` annotation's, or the first one, with kubectl's
stderr notice when it had to guess. The messages are kubectl's, word for word. An instance is
known by its containerID: a follower that has read one instance waits for a different ID.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cmp_to_key

from kubetui.model.exec_choices import DEFAULT_CONTAINER_ANNOTATION
from kubetui.model.kubectl_grammar.sessions import kubectl_default_container

__all__ = ["ContainerPick", "all_container_names", "container_status", "pick_containers", "readable_instance",
           "sort_for_logs"]


@dataclass(frozen=True)
class ContainerPick:
    names: tuple[str, ...]
    notice: str | None = None  # what kubectl prints on stderr about its choice, if anything


def _names(pod: dict, key: str) -> list[str]:
    return [str(c.get("name", "")) for c in (pod.get("spec") or {}).get(key) or [] if isinstance(c, dict)]


def all_container_names(pod: dict) -> str:
    """kubectl's list: containers, then ephemeral `(ephem)`, then init containers `(init)`."""
    return ", ".join(_names(pod, "containers") + [f"{n} (ephem)" for n in _names(pod, "ephemeralContainers")]
                     + [f"{n} (init)" for n in _names(pod, "initContainers")])


def pick_containers(pod: dict, container: str | None = None, all_containers: bool = False,
                    quiet: bool = False) -> ContainerPick:
    """The containers to read; ValueError with kubectl's message for a container the pod lacks.

    `quiet`: no notice about a defaulted container (kubectl says nothing for `-l`)."""
    meta = pod.get("metadata") or {}
    name = str(meta.get("name") or "")
    containers = _names(pod, "containers")
    inits, ephemeral = _names(pod, "initContainers"), _names(pod, "ephemeralContainers")
    everything = containers + inits + ephemeral
    if all_containers:
        if container:
            raise ValueError(f"--all-containers=true should not be specified with container name {container}")
        return ContainerPick(tuple(inits + containers + ephemeral))
    notice = None
    if not container:
        container = kubectl_default_container(pod)
        if container is None:
            raise ValueError(f"pod {meta.get('namespace') or ''}/{name} does not have any containers")
        wanted = str((meta.get("annotations") or {}).get(DEFAULT_CONTAINER_ANNOTATION) or "")
        if wanted and wanted not in everything:
            notice = f'Default container name "{wanted}" not found in pod {name}'
        if wanted not in everything and not quiet and (len(containers) > 1 or inits or ephemeral):
            defaulted = f'Defaulted container "{container}" out of: {all_container_names(pod)}'
            notice = f"{notice}\n{defaulted}" if notice else defaulted
    if container not in everything:
        raise ValueError(f"container {container} is not valid for pod {name} out of: {all_container_names(pod)}")
    return ContainerPick((container,), notice)


def container_status(pod: dict, container: str) -> dict | None:
    status = pod.get("status") or {}
    for key in ("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"):
        for entry in status.get(key) or []:
            if isinstance(entry, dict) and entry.get("name") == container:
                return entry
    return None


def readable_instance(pod: dict, container: str) -> tuple[str, int] | None:
    """(containerID, instance number from 1) of what `GET pods/log` serves now, or None while
    the container has never started. A container waiting to restart serves its last instance."""
    status = container_status(pod, container)
    if status is None:
        return None
    state = status.get("state") or {}
    restarts = int(status.get("restartCount") or 0)
    if "running" in state or "terminated" in state:
        identifier = status.get("containerID") or (state.get("terminated") or {}).get("containerID")
        if identifier:
            return str(identifier), restarts + 1
    last = (status.get("lastState") or {}).get("terminated") or {}
    if last.get("containerID"):
        return str(last["containerID"]), max(restarts, 1)
    return None


def _ready_since(pod: dict) -> str | None:
    for condition in (pod.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Ready" and condition.get("status") == "True":
            return str(condition.get("lastTransitionTime") or "")
    return None


def _max_restarts(pod: dict) -> int:
    return max((int(s.get("restartCount") or 0) for s in (pod.get("status") or {}).get("containerStatuses") or []),
               default=0)


def _after_or_zero(first: str, second: str) -> bool:
    """Go's afterOrZero on RFC 3339 texts of one format (they compare as strings)."""
    if not first or not second:
        return not first
    return first > second


def _by_logging(a: dict, b: dict) -> int:
    """-1 when `a` is the better pod to read logs from (kubectl's podutils.ByLogging.Less)."""
    def less(i: dict, j: dict) -> bool:
        node_i, node_j = (i.get("spec") or {}).get("nodeName") or "", (j.get("spec") or {}).get("nodeName") or ""
        if node_i != node_j and (not node_i or not node_j):
            return bool(node_i)
        rank = {"Running": 0, "Unknown": 1, "Pending": 2}
        phase_i = rank.get((i.get("status") or {}).get("phase") or "", 0)
        phase_j = rank.get((j.get("status") or {}).get("phase") or "", 0)
        if phase_i != phase_j:
            return phase_i < phase_j
        ready_i, ready_j = _ready_since(i), _ready_since(j)
        if (ready_i is None) != (ready_j is None):
            return ready_i is not None
        if ready_i is not None and ready_j is not None and ready_i != ready_j:
            return _after_or_zero(ready_j, ready_i)
        if _max_restarts(i) != _max_restarts(j):
            return _max_restarts(i) > _max_restarts(j)
        created_i = str((i.get("metadata") or {}).get("creationTimestamp") or "")
        created_j = str((j.get("metadata") or {}).get("creationTimestamp") or "")
        if created_i != created_j:
            return _after_or_zero(created_j, created_i)
        return False
    return -1 if less(a, b) else (1 if less(b, a) else 0)


def sort_for_logs(pods: list[dict]) -> list[dict]:
    """The pods in kubectl's order of preference for `logs TYPE/NAME` (the first is read)."""
    return sorted(pods, key=cmp_to_key(_by_logging))
