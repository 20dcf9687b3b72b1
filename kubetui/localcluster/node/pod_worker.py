"""One pod's life on a simulated node: sandbox, init containers, containers, restarts, deletion.

Key decisions: the sequence is the kubelet's. The sandbox comes first (pod IP), init containers
run one after another (a native sidecar only has to start), then the containers start in spec
order, each pulling its image under the node's pull lock; after that every container lives in
its own task (run, exit, back-off, restart). All waits are on the simulated clock. Status
changes are coalesced: any number of record changes in one loop turn become one status write.
Deletion cancels everything and stops running containers within the grace period, then
removes the pod with `finalize_delete`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from kubetui.localcluster.apimachinery import errors
from kubetui.localcluster.apimachinery.clock import rfc3339
from kubetui.localcluster.node.container_logs import ContainerLog
from kubetui.localcluster.runtime.container_sim import PodContext, plan_container
from kubetui.localcluster.node.container_start import attempt_start, retry_start
from kubetui.localcluster.node.container_updates import spec_updated
from kubetui.localcluster.storage.events import NORMAL, WARNING
from kubetui.localcluster.images.references import go_duration
from kubetui.localcluster.images.catalogue import lookup_image
from kubetui.localcluster.node.pod_status import (
    EPOCH,
    RUNNING,
    ContainerRecord,
    condition_values,
    merge_conditions,
    pod_phase,
    status_volume_mounts,
)
from kubetui.localcluster.sandbox.run_plan import RunPlan
from kubetui.localcluster.sandbox.shared_files import Writer, Written, feeds, files_now

if TYPE_CHECKING:
    from kubetui.localcluster.node.kubelet import Kubelet

log = logging.getLogger(__name__)
SANDBOX_SECONDS = 0.5   # creating the pause container and the pod network
REACTION_SECONDS = 1.0  # the kubelet notices an exited container at its next relist
FINALIZE_SECONDS = 0.2  # unmounting volumes before the pod object is removed


class Slot:
    """One container of the pod: its spec, the kubelet's record and the running instance."""

    def __init__(self, spec: dict, record: ContainerRecord) -> None:
        self.spec = spec
        self.record = record
        self.plan: RunPlan | None = None
        self.log: ContainerLog | None = None
        self.started_sim = 0.0
        self.finished_sim = 0.0
        self.ports: tuple[int, ...] = ()
        self.attempts = 0
        self.done = False
        self.started = asyncio.Event()
        self.task: asyncio.Task | None = None  # its life after the first start
        self.replacing: asyncio.Task | None = None  # stopping it for a new image, then starting

    @property
    def name(self) -> str:
        return self.record.name


class PodWorker:
    def __init__(self, kubelet: "Kubelet", pod: dict) -> None:
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

    # ------------------------------------------------------------------ control
    def start(self) -> None:
        self.spawn(self._lifecycle())
        if (self.pod.get("metadata") or {}).get("deletionTimestamp"):
            self.observe(self.pod)

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

    def observe(self, pod: dict) -> None:
        """A newer version of the pod was written (by anyone, including us)."""
        seen = (self.pod.get("metadata") or {}).get("generation")
        self.pod = pod
        if (pod.get("metadata") or {}).get("deletionTimestamp") and not self.terminating:
            self.terminating = True
            for task in list(self._tasks):
                task.cancel()
            self._terminator = asyncio.get_running_loop().create_task(self._terminate())
            self._terminator.add_done_callback(self._task_done)
        elif (pod.get("metadata") or {}).get("generation") != seen and not self.terminating:
            spec_updated(self, pod.get("spec") or {})
            self.mark()  # the status reports the generation the kubelet has acted on

    def removed(self) -> None:
        """The pod object is gone (finalized, or deleted with grace period 0)."""
        self.gone = True
        self.cancel()
        self._release_network()
        for slot in self.inits + self.mains + self.ephemerals:
            if slot.log is not None and slot.log.ended is None:
                slot.log.finish(self.clock.wall_now())
        self.kubelet.logbook.forget_pod(self.uid)
        self.kubelet.recorder.forget(self.uid)
        self.kubelet.crash_backoff.forget_prefix(self.uid)
        self.kubelet.pull_backoff.forget_prefix(self.uid)

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

    # ------------------------------------------------------------------ lifecycle
    async def _lifecycle(self) -> None:
        self.start_time = self.wall_text()
        self.mark()
        await self.clock.sleep(SANDBOX_SECONDS)
        self.pod_ip = self.node.spec.internal_ip if self.host_network else \
            self.node.addresses.allocate()
        self.sandbox_ready = True
        self.mark()
        for slot in self.inits:
            started = await attempt_start(self, slot)
            if slot.record.sidecar:
                slot.task = self.spawn(self.live(slot, started))
                await slot.started.wait()
                continue
            if await self.live(slot, started) != 0:
                await self._complete()  # restartPolicy Never: the pod has failed
                return
            await self.clock.sleep(REACTION_SECONDS)  # noticed at the next relist
        self.initialized = True
        for slot in self.mains:
            slot.task = self.spawn(self.live(slot, await attempt_start(self, slot)))
        self.mains_started = True
        self.start_ephemerals()
        self.mark()

    def start_ephemerals(self) -> None:
        """Start the ephemeral containers not started yet (kubectl debug added them)."""
        for slot in self.ephemerals:
            if slot.task is None and self.mains_started and not self.completing:
                slot.task = self.spawn(self._run_ephemeral(slot))

    async def _run_ephemeral(self, slot: Slot) -> None:
        await self.live(slot, await attempt_start(self, slot))

    async def live(self, slot: Slot, started: bool) -> int:
        """Run `slot` until it ends for good (per restart policy); returns the last exit code."""
        while True:
            if not started:
                await retry_start(self, slot)
            code = await self._run(slot)
            if not self._restarts(slot, code):
                slot.done = True
                if slot.record.ephemeral:
                    return code
                if not slot.record.init and all(s.done for s in self.mains):
                    self.spawn(self._complete())
                return code
            await self.clock.sleep(REACTION_SECONDS)
            key = f"{self.uid}/{slot.name}"
            backoff = self.kubelet.crash_backoff
            slot.record.keep_last()
            if backoff.in_backoff_since(key, slot.finished_sim, self.now()):
                delay = backoff.get(key)
                slot.record.wait("CrashLoopBackOff",
                                 f"back-off {_go_seconds(delay)} restarting failed "
                                 f"container={slot.name} pod={self.pod_ref()}")
                self.event(WARNING, "BackOff", f"Back-off restarting failed container "
                                               f"{slot.name} in pod {self.pod_ref()}", slot)
                self.mark()
                await self.clock.sleep(slot.finished_sim + delay - self.now())
            backoff.next(key, slot.finished_sim, self.now())
            started = await attempt_start(self, slot)

    def _restarts(self, slot: Slot, code: int) -> bool:
        if self.terminating or slot.record.ephemeral:
            return False
        if slot.record.sidecar:
            return not self.completing
        policy = (self.pod.get("spec") or {}).get("restartPolicy") or "Always"
        if slot.record.init:
            return code != 0 and policy != "Never"
        return policy == "Always" or (policy == "OnFailure" and code != 0)

    async def _run(self, slot: Slot) -> int:
        plan = slot.plan
        assert plan is not None
        if plan.start_error:
            slot.record.started_at = EPOCH
            slot.record.terminate(128, self.wall_text(), "StartError", plan.start_error)
            slot.finished_sim = self.now()
            self.event(WARNING, "Failed", f"Error: {plan.start_error}", slot)
            self.mark()
            return 128
        if plan.exit_after is None:
            await asyncio.get_running_loop().create_future()  # until cancelled
        await self.clock.sleep(slot.started_sim + plan.exit_after - self.now())
        self.release_ports(slot)
        slot.record.terminate(plan.exit_code, self.wall_text())
        slot.finished_sim = self.now()
        self.mark()
        return plan.exit_code

    async def ready_later(self, slot: Slot, delay: float, attempt: int) -> None:
        await self.clock.sleep(delay)
        if slot.attempts == attempt and slot.record.state == RUNNING:
            slot.record.ready = True
            self.mark()

    # ------------------------------------------------------------------ endings
    async def _complete(self) -> None:
        """Every container has ended for good: stop the sidecars, settle the phase."""
        self.completing = True
        grace = float((self.pod.get("spec") or {}).get("terminationGracePeriodSeconds", 30) or 0)
        await self._stop([s for s in self.ephemerals if s.record.state == RUNNING],
                         self.now() + grace)
        await self._stop([s for s in reversed(self.inits) if s.record.state == RUNNING],
                         self.now() + grace)
        self.final_phase = self._terminal_phase()
        self.sandbox_ready = False
        self._release_network()
        self.mark()

    async def _terminate(self) -> None:
        meta = self.pod.get("metadata") or {}
        grace = float(meta.get("deletionGracePeriodSeconds",
                               (self.pod.get("spec") or {}).get("terminationGracePeriodSeconds", 30)))
        deadline = self.now() + grace
        await self._stop([s for s in self.mains + self.ephemerals if s.record.state == RUNNING],
                         deadline)
        await self._stop([s for s in reversed(self.inits) if s.record.state == RUNNING], deadline)
        if not self.final_phase:
            self.final_phase = self._terminal_phase()
        self.sandbox_ready = False
        self.mark()
        await self.clock.sleep(FINALIZE_SECONDS)
        self._flush()
        self.store.finalize_delete("pods", self.namespace, self.name)

    def _terminal_phase(self) -> str:
        phase = pod_phase(self.pod.get("spec") or {}, [s.record for s in self.inits],
                          [s.record for s in self.mains], pod_is_terminal=True,
                          pod_has_initialized=self.initialized)
        # a terminal pod whose containers never ran to completion has failed
        return phase if phase in ("Succeeded", "Failed") else "Failed"

    async def _stop(self, slots: list[Slot], deadline: float) -> None:
        await asyncio.gather(*(self.stop_one(slot, deadline) for slot in slots))

    async def stop_one(self, slot: Slot, deadline: float, why: str = "") -> None:
        if slot.task is not None and slot.task is not asyncio.current_task():
            slot.task.cancel()  # from now on this stop decides how the instance ends
        self.event(NORMAL, "Killing", why or f"Stopping container {slot.name}", slot)
        if why:  # replaced rather than deleted: the kubelet stops counting it as ready at once
            slot.record.ready = False
            self.mark()
        plan, now = slot.plan, self.now()
        signal_wall = self.clock.wall_now()
        stop = plan.stop if plan else None
        end, code, lines = deadline, 137, ()
        if stop is not None and stop.seconds is not None and now + stop.seconds <= deadline:
            end, code, lines = now + stop.seconds, stop.exit_code, stop.lines
        if plan is not None and plan.exit_after is not None:
            natural = slot.started_sim + plan.exit_after
            if natural < end:
                end, code, lines = natural, plan.exit_code, ()
        await self.clock.sleep(end - self.now())
        self.release_ports(slot)
        slot.record.terminate(code, self.wall_text())
        if slot.log is not None:
            slot.log.finish(self.clock.wall_now(), lines, signal_wall)
        self.mark()


def _go_seconds(seconds: float) -> str:
    """Go's Duration.String for whole seconds: 10s, 1m20s, 5m0s."""
    whole = int(seconds)
    if whole < 60:
        return go_duration(seconds)
    return f"{whole // 60}m{whole % 60}s"
