"""The default-scheduler: binds pods without `spec.nodeName` to kubetui-node-1/2.

Key decisions: a pod goes to the feasible node with the fewest pods (ties: round robin), after
kube-scheduler's filters (scheduler_filters.py: cordon, taints, node selector and affinity, host
ports, requests against allocatable, the pod limit). An unschedulable pod gets
PodScheduled=False/Unschedulable and a FailedScheduling event with the scheduler's wording, and
is retried when pods go away or a node changes. Pods with scheduling
gates or another schedulerName are left alone. Binding sets the PodScheduled condition and
spec.nodeName in one write through `Store.bind`, like the binding subresource.
"""

from __future__ import annotations

import asyncio
import copy
import logging

from kubetui.localcluster.apimachinery import errors
from kubetui.localcluster.storage.changes import ADDED, DELETED, MODIFIED
from kubetui.localcluster.apimachinery.clock import rfc3339
from kubetui.localcluster.storage.events import WARNING, EventRecorder
from kubetui.localcluster.node.nodes import NODES
from kubetui.localcluster.scheduler.filters import Refusal, fit_error, refusal

log = logging.getLogger(__name__)
SCHEDULER_NAME = "default-scheduler"
RETRY_SECONDS = 30.0
class Scheduler:
    def __init__(self, store, clock, recorder: EventRecorder) -> None:
        self.store = store
        self.clock = clock  # SimClock
        self.recorder = recorder
        self.host = NODES[0].name  # where the scheduler "runs" (reportingInstance)
        self._queue: list[tuple[str, str]] = []
        self._unschedulable: dict[tuple[str, str], str] = {}  # pod key -> last message
        self._nodes_seen: dict[str, tuple] = {}  # what of a node the filters read
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._turn = 0

    def start(self) -> None:
        self.store.add_listener(self._on_change)
        for pod in self.store.list("pods")[0]:
            self._consider(pod)
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        self.store.remove_listener(self._on_change)
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    # ------------------------------------------------------------------ queue
    def _on_change(self, event_type: str, plural: str, obj: dict) -> None:
        if plural == "nodes":  # uncordoned, untainted, relabelled: worth another try
            meta = obj.get("metadata") or {}
            seen = (obj.get("spec"), meta.get("labels"), (obj.get("status") or {}).get("allocatable"))
            if self._nodes_seen.get(meta.get("name")) != seen:  # not a mere heartbeat
                self._nodes_seen[meta.get("name")] = seen
                self._retry_unschedulable()
            return
        if plural != "pods":
            return
        if event_type == DELETED:
            self._retry_unschedulable()  # room may have been freed
            return
        if event_type in (ADDED, MODIFIED):
            self._consider(obj)

    def _retry_unschedulable(self) -> None:
        if self._unschedulable:
            self._queue.extend(self._unschedulable)
            self._unschedulable.clear()
            self._wakeup.set()

    def _consider(self, pod: dict) -> None:
        meta, spec = pod.get("metadata") or {}, pod.get("spec") or {}
        if spec.get("nodeName") or meta.get("deletionTimestamp"):
            return
        if (spec.get("schedulerName") or SCHEDULER_NAME) != SCHEDULER_NAME:
            return
        key = (meta.get("namespace") or "default", meta.get("name", ""))
        if key in self._unschedulable or key in self._queue:
            return
        self._queue.append(key)
        self._wakeup.set()

    async def _run(self) -> None:
        while True:
            try:
                await asyncio.wait_for(self._wakeup.wait(),
                                       timeout=self.clock.real_seconds(RETRY_SECONDS))
            except asyncio.TimeoutError:
                self._queue.extend(self._unschedulable)
                self._unschedulable.clear()
            self._wakeup.clear()
            while self._queue:
                key = self._queue.pop(0)
                try:
                    self._schedule(key)
                except Exception:  # one bad pod must not stop scheduling
                    log.exception("scheduling %s/%s failed", *key)

    # ------------------------------------------------------------------ one pod
    def _schedule(self, key: tuple[str, str]) -> None:
        pod = self.store.get("pods", *key)
        if pod is None:
            return
        spec, meta = pod.get("spec") or {}, pod.get("metadata") or {}
        if spec.get("nodeName") or meta.get("deletionTimestamp"):
            return
        if spec.get("schedulingGates"):
            self._set_condition(pod, "False", "SchedulingGated",
                                "Scheduling is blocked due to non-empty scheduling gates")
            return
        node, message = self._pick(pod)
        if node is None:
            self._unschedulable[key] = message
            if self._set_condition(pod, "False", "Unschedulable", message):
                self.recorder.scheduler_event(pod, WARNING, "FailedScheduling", message,
                                              self.host, "Scheduling")
            return
        self._bind(pod, node)

    def _pick(self, pod: dict) -> tuple[str | None, str]:
        """The node to bind to, or None and the FailedScheduling message."""
        nodes = [node for node in (self.store.get("nodes", "", spec.name) for spec in NODES)
                 if node is not None]
        running = [p for p in self.store.list("pods")[0]
                   if (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]
        refusals: list[Refusal] = []
        candidates: list[tuple[int, int, str]] = []
        for index, node in enumerate(nodes):
            name = node["metadata"]["name"]
            on_node = [p for p in running if (p.get("spec") or {}).get("nodeName") == name]
            refused = refusal(pod, node, on_node)
            if refused is not None:
                refusals.append(refused)
                continue
            candidates.append((len(on_node), (index - self._turn) % len(nodes), name))
        if candidates:
            self._turn += 1
            return min(candidates)[2], ""
        return None, fit_error(refusals, len(nodes))

    def _set_condition(self, pod: dict, status: str, reason: str, message: str) -> bool:
        """Write PodScheduled; False when it already said exactly this."""
        conditions = [c for c in (pod.get("status") or {}).get("conditions") or []
                      if c.get("type") != "PodScheduled"]
        old = next((c for c in (pod.get("status") or {}).get("conditions") or []
                    if c.get("type") == "PodScheduled"), None)
        if old and old.get("status") == status and old.get("reason") == reason \
                and old.get("message") == message:
            return False
        condition = {"type": "PodScheduled", "status": status, "lastProbeTime": None,
                     "lastTransitionTime": old.get("lastTransitionTime") if old and
                     old.get("status") == status else rfc3339(self.clock.wall_now())}
        if reason:
            condition["reason"] = reason
        if message:
            condition["message"] = message
        updated = copy.deepcopy(pod)
        updated.setdefault("status", {})["conditions"] = conditions + [condition]
        try:
            self.store.update("pods", updated, subresource="status", manager="kube-scheduler")
        except errors.ApiError:
            return False
        return True

    def _bind(self, pod: dict, node: str) -> None:
        meta = pod["metadata"]
        try:
            bound = self.store.bind(meta.get("namespace") or "default", meta["name"], node)
        except errors.ApiError as problem:  # bound meanwhile, or being deleted
            log.info("binding %s to %s skipped: %s", meta["name"], node, problem.message)
            return
        self.recorder.scheduled(bound, node, self.host)
