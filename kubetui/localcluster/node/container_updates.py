"""What the kubelet does when the spec of a pod it runs changes.

Of what a pod update may change (validation_update.py), only a container's image makes the
kubelet act: the container's hash no longer matches, so it stops that container (`Killing:
Container x definition changed, will be restarted`, not ready from that moment), then pulls
and starts the new image as a restart of the same container (restartCount + 1). Key decision:
a container that has not started yet simply starts with the new image, and a finished init
container is not run again, as computePodActions decides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kubetui.localcluster.node.container_start import attempt_start
from kubetui.localcluster.node.pod_status import RUNNING

if TYPE_CHECKING:
    from kubetui.localcluster.node.pod_worker import PodWorker, Slot


def spec_updated(worker: "PodWorker", spec: dict) -> None:
    _new_ephemerals(worker, spec)
    wanted = {c.get("name"): c for c in list(spec.get("initContainers") or [])
              + list(spec.get("containers") or []) if isinstance(c, dict)}
    for slot in worker.inits + worker.mains:
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
        if slot.replacing is not None:
            slot.replacing.cancel()
        slot.replacing = worker.spawn(_recreate(worker, slot))


async def _recreate(worker: "PodWorker", slot: "Slot") -> None:
    if slot.task is not None:
        slot.task.cancel()
    if slot.record.state == RUNNING:
        grace = float((worker.pod.get("spec") or {}).get("terminationGracePeriodSeconds", 30) or 0)
        await worker.stop_one(slot, worker.now() + grace,
                              f"Container {slot.name} definition changed, will be restarted")
    slot.task = worker.spawn(worker.live(slot, await attempt_start(worker, slot)))
    slot.replacing = None


def _new_ephemerals(worker: "PodWorker", spec: dict) -> None:
    """Ephemeral containers only ever get added (the API server refuses any other change)."""
    known = {slot.name for slot in worker.ephemerals}
    for container in spec.get("ephemeralContainers") or []:
        if isinstance(container, dict) and container.get("name") not in known:
            worker.ephemerals.append(worker.slot(container, "ContainerCreating", ephemeral=True))
    worker.start_ephemerals()
