"""What one pod worker knows and writes: the pod's containers (slots), its tasks, its network
(pod IP, host ports) and the pod status it reports.

Key decisions: status changes are coalesced: any number of record changes in one loop turn
(`mark`) become one status write, and a write that would change nothing is skipped. The worker
reaches its kubelet only through `KubeletServices` (node_runtime.py). The pod's life (start,
restarts, deletion) builds on this in pod_worker.py; starting one container (container_start.py)
needs only this part.
"""

from __future__ import annotations

import asyncio
import logging

from kubetui.localcluster.apimachinery import errors
from kubetui.localcluster.apimachinery.clock import rfc3339
from kubetui.localcluster.images.catalogue import lookup_image
from kubetui.localcluster.node.container_slot import Slot
from kubetui.localcluster.node.node_runtime import KubeletServices
from kubetui.localcluster.node.pod_status import (
    RUNNING,
    ContainerRecord,
    condition_values,
    merge_conditions,
    pod_phase,
    status_volume_mounts,
)
from kubetui.localcluster.runtime.container_sim import PodContext, plan_container
from kubetui.localcluster.sandbox.run_plan import RunPlan
from kubetui.localcluster.sandbox.shared_files import Writer, Written, feeds, files_now

log = logging.getLogger(__name__)


class PodWorkerState:
    """One pod's slots, tasks, network and status; the base of `PodWorker`."""

    def __init__(self, kubelet: KubeletServices, pod: dict) -> None:
        self.kubelet = kubelet
        self.clock = kubelet.clock
        self.store = kubelet.store
        self.pod = pod
        meta, spec = pod["metadata"], pod.get("spec") or {}
        self.uid, self.name = meta["uid"], meta["name"]
        self.namespace = meta.get("namespace") or "default"
        self.node = kubelet.nodes[spec["nodeName"]]
        self.host_network = bool(spec.get("hostNetwork"))
        self.netns: dict[int, str] = self.node.host_ports if self.host_network else {}
        waiting = "PodInitializing" if spec.get("initContainers") else "ContainerCreating"
        self.inits = [self.slot(c, waiting, init=True) for c in spec.get("initContainers") or []]
        self.mains = [self.slot(c, waiting) for c in spec.get("containers") or []]
        self.ephemerals = [self.slot(c, "ContainerCreating", ephemeral=True)
                           for c in spec.get("ephemeralContainers") or []]
        self.mains_started = False  # ephemeral containers start once the pod runs
        self.pod_ip = ""
        self.start_time = ""
        self.sandbox_ready = False
        self.initialized = not any(not s.record.sidecar for s in self.inits)
        self.final_phase = ""
        self.completing = False
        self.terminating = False
        self.gone = False
        self._tasks: set[asyncio.Task] = set()
        self._terminator: asyncio.Task | None = None
        self._flush_pending = False

    @staticmethod
    def slot(container: dict, waiting: str, init: bool = False, ephemeral: bool = False) -> Slot:
        record = ContainerRecord(
            name=str(container.get("name", "")), image=str(container.get("image", "")), init=init,
            sidecar=init and container.get("restartPolicy") == "Always", ephemeral=ephemeral,
            reason=waiting, volume_mounts=status_volume_mounts(container))
        return Slot(container, record)

    # ------------------------------------------------------------------ tasks
    def spawn(self, coroutine) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("pod worker %s/%s failed", self.namespace, self.name,
                      exc_info=task.exception())

    def cancel(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._terminator is not None:
            self._terminator.cancel()

    async def wait_cancelled(self) -> None:
        tasks = list(self._tasks) + ([self._terminator] if self._terminator else [])
        await asyncio.gather(*tasks, return_exceptions=True)

    # ------------------------------------------------------------------ helpers
    def now(self) -> float:
        return self.clock.now()

    def wall_text(self) -> str:
        return rfc3339(self.clock.wall_now())

    def event(self, event_type: str, reason: str, message: str, slot: Slot | None = None) -> None:
        if self.gone:
            return
        self.kubelet.recorder.pod_event(self.pod, event_type, reason, message,
                                        host=self.node.spec.name,
                                        container=slot.name if slot else "")

    def pod_ref(self) -> str:
        """format.Pod(): `name_namespace(uid)`."""
        return f"{self.name}_{self.namespace}({self.uid})"

    def context(self, env: dict[str, str], slot: Slot | None = None) -> PodContext:
        writers = [(other.spec, other.plan, other.started_sim - self.now())
                   for other in self.inits + self.mains
                   if other is not slot and other.plan is not None and other.record.state == RUNNING]
        spec = self.pod.get("spec") or {}
        return PodContext(pod_name=self.name, pod_ip=self.pod_ip,
                          gateway_ip=self.node.spec.gateway_ip,
                          ports_in_use=frozenset(self.netns), env=env,
                          feeds=feeds(spec, slot.spec, writers) if slot is not None else {})

    def plan(self, slot: Slot, env: dict[str, str]) -> RunPlan:
        return plan_container(slot.spec, lookup_image(slot.record.image), self.context(env, slot))

    def files_now(self) -> tuple[Written, Written]:
        """What the containers' own programs have written so far, in the shared volumes and in
        each container's own filesystem (shared_files.py)."""
        writers = []
        for slot in self.inits + self.mains:
            if slot.plan is None or slot.log is None:
                continue
            ended = None if slot.record.state == RUNNING else slot.finished_sim - slot.started_sim
            writers.append(Writer(slot.spec, slot.plan, slot.started_sim, slot.log.wall, ended))
        return files_now(self.pod.get("spec") or {}, writers, self.now())

    def claim_ports(self, slot: Slot, ports: tuple[int, ...]) -> None:
        slot.ports = tuple(p for p in ports if p not in self.netns)
        for port in slot.ports:
            self.netns[port] = f"{self.uid}/{slot.name}"

    def release_ports(self, slot: Slot) -> None:
        for port in slot.ports:
            if self.netns.get(port) == f"{self.uid}/{slot.name}":
                del self.netns[port]
        slot.ports = ()

    def _release_network(self) -> None:
        for slot in self.inits + self.mains + self.ephemerals:
            self.release_ports(slot)
        if self.pod_ip and not self.host_network:
            self.node.addresses.release(self.pod_ip)

    # ------------------------------------------------------------------ status
    def mark(self) -> None:
        """Something changed: write the status once this loop turn is over."""
        if not self._flush_pending and not self.gone:
            self._flush_pending = True
            asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        self._flush_pending = False
        if self.gone:
            return
        live = self.store.get("pods", self.namespace, self.name)
        if live is None or live["metadata"].get("uid") != self.uid:
            return
        status = self._status(live)
        if status == live.get("status"):
            return
        try:
            self.store.update("pods", dict(live, status=status), subresource="status",
                              manager="kubelet")
        except errors.ApiError:
            log.debug("status of %s/%s not written", self.namespace, self.name, exc_info=True)

    def phase(self) -> str:
        if self.final_phase:
            return self.final_phase
        return pod_phase(self.pod.get("spec") or {}, [s.record for s in self.inits],
                         [s.record for s in self.mains], pod_has_initialized=self.initialized)

    def _status(self, live: dict) -> dict:
        current = live.get("status") or {}
        phase = self.phase()
        generation = live["metadata"].get("generation")
        values = condition_values([s.record for s in self.inits], [s.record for s in self.mains],
                                  phase, self.sandbox_ready)
        status: dict = {}
        if generation is not None:
            status["observedGeneration"] = generation
        status["phase"] = phase
        status["conditions"] = merge_conditions(current.get("conditions") or [], values,
                                                self.wall_text(), generation)
        status["hostIP"] = self.node.spec.internal_ip
        status["hostIPs"] = [{"ip": self.node.spec.internal_ip}]
        if self.pod_ip:
            status["podIP"] = self.pod_ip
            status["podIPs"] = [{"ip": self.pod_ip}]
        status["startTime"] = self.start_time
        if self.inits:
            status["initContainerStatuses"] = [s.record.status() for s in self.inits]
        status["containerStatuses"] = [s.record.status() for s in self.mains]
        if self.ephemerals:
            status["ephemeralContainerStatuses"] = [s.record.status() for s in self.ephemerals]
        if current.get("qosClass"):
            status["qosClass"] = current["qosClass"]
        return status

    async def ready_later(self, slot: Slot, delay: float, attempt: int) -> None:
        await self.clock.sleep(delay)
        if slot.attempts == attempt and slot.record.state == RUNNING:
            slot.record.ready = True
            self.mark()
