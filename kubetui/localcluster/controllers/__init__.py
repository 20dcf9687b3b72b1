"""The controller manager of the local cluster: ReplicaSet, Deployment, DaemonSet, garbage collector.

Key decision: controllers are store listeners plus a coalescing queue each, running on the
server's loop thread (see workqueue.py). There are no informers: the store is in-process and
synchronous, so they read it directly. The one cache is the ownership index (ownership.py), which
spares a reconcile the scan of its whole namespace.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from kubetui.localcluster.clock import Clock, utc_now
from kubetui.localcluster.controllers.daemonset import DaemonSetController
from kubetui.localcluster.controllers.deployment import DeploymentController
from kubetui.localcluster.controllers.garbage_collector import GarbageCollector
from kubetui.localcluster.controllers.replicaset import ReplicaSetController
from kubetui.localcluster.events import EventRecorder


@dataclass
class ControllerManager:
    replicasets: ReplicaSetController
    deployments: DeploymentController
    garbage_collector: GarbageCollector
    daemonsets: DaemonSetController

    def stop(self) -> None:
        for controller in (self.replicasets, self.deployments, self.daemonsets, self.garbage_collector):
            controller.stop()


def start_controllers(store, loop: asyncio.AbstractEventLoop | None = None, *,
                      now: Clock = utc_now) -> ControllerManager:
    """Start the controllers on `store`; call on the loop thread."""
    loop = loop or asyncio.get_running_loop()
    recorder = EventRecorder(store, now)  # controller events: kubectl describe shows them
    manager = ControllerManager(ReplicaSetController(store, loop, now=now, recorder=recorder),
                                DeploymentController(store, loop, now=now, recorder=recorder),
                                GarbageCollector(store, loop),
                                DaemonSetController(store, loop, recorder=recorder))
    manager.garbage_collector.start()
    manager.replicasets.start()
    manager.deployments.start()
    manager.daemonsets.start()
    return manager
