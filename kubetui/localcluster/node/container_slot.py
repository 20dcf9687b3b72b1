"""One container of a pod on a simulated node, as its pod worker tracks it: the spec, the
kubelet's record (what the status reports) and the running instance (plan, log, tasks).

Key decision: a plain holder with no behaviour, so the code that starts, replaces and stops
containers (container_start.py, container_updates.py, pod_worker.py) shares it without
importing each other.
"""

from __future__ import annotations

import asyncio

from kubetui.localcluster.node.container_logs import ContainerLog
from kubetui.localcluster.node.pod_status import ContainerRecord
from kubetui.localcluster.sandbox.run_plan import RunPlan


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
        self.main_exit: asyncio.Future | None = None  # a running program without an end of its own

    @property
    def name(self) -> str:
        return self.record.name
