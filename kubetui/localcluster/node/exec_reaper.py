"""Exec processes end with their container, as they do under containerd.

An exec'd process lives in the container's PID namespace and cgroup: when the container's
main process dies (crash, restart, the kubelet stopping it for a deletion) the runtime
SIGKILLs everything left in it, so the exec ends with status 137 and `kubectl exec` prints
`command terminated with exit code 137`. Here the pod's status is the runtime's truth (the
kubelet writes it; on a bare API server whoever plays the kubelet does): an exec is tied to
the container instance it started in (its containerID), and a store listener kills it as
soon as that instance is no longer the running one, or the pod object is gone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

from kubetui.localcluster.storage.changes import DELETED
from kubetui.model.exec_ends import running_instance

log = logging.getLogger(__name__)


@dataclass(eq=False)
class ExecLease:
    """One exec process tied to one container instance."""

    uid: str
    container: str
    instance: str
    kill: Callable[[], None]


class ExecReaper:
    def __init__(self) -> None:
        self._leases: dict[str, list[ExecLease]] = {}  # pod uid -> live execs

    def track(self, pod: dict, container: str, kill: Callable[[], None]) -> ExecLease | None:
        """Tie an exec to the instance of `container` running now; None if none runs."""
        instance = running_instance(pod, container)
        if instance is None:
            return None
        uid = (pod.get("metadata") or {}).get("uid", "")
        lease = ExecLease(uid, container, instance, kill)
        self._leases.setdefault(uid, []).append(lease)
        return lease

    def release(self, lease: ExecLease) -> None:
        leases = self._leases.get(lease.uid)
        if leases is None:
            return
        if lease in leases:
            leases.remove(lease)
        if not leases:
            del self._leases[lease.uid]

    def on_change(self, event_type: str, plural: str, obj: dict) -> None:
        """Store listener (on the loop thread): a pod changed or went away."""
        if plural != "pods" or not self._leases:
            return
        uid = (obj.get("metadata") or {}).get("uid", "")
        leases = self._leases.get(uid)
        if not leases:
            return
        for lease in list(leases):
            if event_type == DELETED or running_instance(obj, lease.container) != lease.instance:
                self.release(lease)
                try:
                    lease.kill()
                except Exception:  # the process may already be gone
                    log.debug("killing an exec of %s failed", uid, exc_info=True)

    def __len__(self) -> int:
        return sum(len(leases) for leases in self._leases.values())
