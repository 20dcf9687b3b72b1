"""What the kubelet does when the spec of a pod it runs changes: which containers it replaces.

Of what a pod update may change (validation/update.py), only a container's image makes the
kubelet act: the container's hash no longer matches, so it stops that container (`Killing:
Container x definition changed, will be restarted`, not ready from that moment), then pulls
and starts the new image as a restart of the same container (restartCount + 1). Ephemeral
containers only ever get added. Key decision: a container that has not started yet simply
starts with the new image, and a finished init container is not run again, as
computePodActions decides. This module decides; the pod worker (pod_worker.py) stops and starts.
"""

from __future__ import annotations

from kubetui.localcluster.node.container_slot import Slot


def new_ephemeral_containers(ephemerals: list[Slot], spec: dict) -> list[dict]:
    """The spec's ephemeral containers that have no slot yet (the API server refuses any other
    change to them)."""
    known = {slot.name for slot in ephemerals}
    return [container for container in spec.get("ephemeralContainers") or []
            if isinstance(container, dict) and container.get("name") not in known]


def containers_to_replace(slots: list[Slot], spec: dict) -> list[Slot]:
    """Take the new spec into each slot; return the started ones whose image changed."""
    wanted = {c.get("name"): c for c in list(spec.get("initContainers") or [])
              + list(spec.get("containers") or []) if isinstance(c, dict)}
    replace = []
    for slot in slots:
        container = wanted.get(slot.name)
        if container is None:
            continue
        changed = container.get("image") != slot.spec.get("image")
        slot.spec = container
        if not changed:
            continue
        slot.record.image = str(container.get("image", ""))
        finished_init = slot.record.init and not slot.record.sidecar
        if finished_init or slot.task is None or slot.done:
            continue  # not started yet (it starts with the new image), or never again
        replace.append(slot)
    return replace
