"""One pod's life on a simulated node: sandbox, init containers, containers, restarts, spec
updates, deletion.

Key decisions: the sequence is the kubelet's. The sandbox comes first (pod IP), init containers
run one after another (a native sidecar only has to start), then the containers start in spec
order, each pulling its image under the node's pull lock; after that every container lives in
its own task (run, exit, back-off, restart). All waits are on the simulated clock. Deletion
cancels everything and stops running containers within the grace period, then removes the pod
with `finalize_delete`. What the worker knows and how it reports status is pod_worker_state.py.
"""

from __future__ import annotations

import asyncio

from kubetui.localcluster.images.references import go_duration
from kubetui.localcluster.node.container_slot import Slot
from kubetui.localcluster.node.container_start import attempt_start, retry_start
from kubetui.localcluster.node.container_updates import containers_to_replace, new_ephemeral_containers
from kubetui.localcluster.node.pod_status import EPOCH, RUNNING, pod_phase
from kubetui.localcluster.node.pod_worker_state import PodWorkerState
from kubetui.localcluster.storage.events import NORMAL, WARNING

SANDBOX_SECONDS = 0.5   # creating the pause container and the pod network
REACTION_SECONDS = 1.0  # the kubelet notices an exited container at its next relist
FINALIZE_SECONDS = 0.2  # unmounting volumes before the pod object is removed


class PodWorker(PodWorkerState):
    """The kubelet's worker for one pod, from its sandbox to its removal."""

    # ------------------------------------------------------------------ control
    def start(self) -> None:
        self.spawn(self._lifecycle())
        if (self.pod.get("metadata") or {}).get("deletionTimestamp"):
            self.observe(self.pod)

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
            self._spec_updated(pod.get("spec") or {})
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

    # ------------------------------------------------------------------ spec updates
    def _spec_updated(self, spec: dict) -> None:
        """The pod's spec changed: start added ephemeral containers, replace changed images."""
        for container in new_ephemeral_containers(self.ephemerals, spec):
            self.ephemerals.append(self.slot(container, "ContainerCreating", ephemeral=True))
        self.start_ephemerals()
        for slot in containers_to_replace(self.inits + self.mains, spec):
            if slot.replacing is not None:
                slot.replacing.cancel()
            slot.replacing = self.spawn(self._recreate(slot))

    async def _recreate(self, slot: Slot) -> None:
        if slot.task is not None:
            slot.task.cancel()
        if slot.record.state == RUNNING:
            grace = float((self.pod.get("spec") or {}).get("terminationGracePeriodSeconds", 30) or 0)
            await self.stop_one(slot, self.now() + grace,
                                f"Container {slot.name} definition changed, will be restarted")
        slot.task = self.spawn(self.live(slot, await attempt_start(self, slot)))
        slot.replacing = None

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
        code = plan.exit_code
        if plan.exit_after is None:
            slot.main_exit = asyncio.get_running_loop().create_future()
            try:
                code = await slot.main_exit  # until cancelled, or ended from outside its plan
            finally:
                slot.main_exit = None
        else:
            await self.clock.sleep(slot.started_sim + plan.exit_after - self.now())
        self.release_ports(slot)
        slot.record.terminate(code, self.wall_text())
        slot.finished_sim = self.now()
        self.mark()
        return code

    def main_process_exited(self, container: str, instance: str, code: int) -> None:
        """See `Kubelet.main_process_exited`; ignored unless that instance still runs."""
        for slot in self.mains:
            ending = slot.main_exit
            if slot.name == container and ending is not None and not ending.done() \
                    and slot.record.container_id == instance:
                ending.set_result(code)

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
