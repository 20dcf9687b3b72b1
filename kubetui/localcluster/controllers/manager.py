"""The controller manager of the local cluster: starts and stops ReplicaSet, Deployment,
DaemonSet, garbage collector, service accounts and the root CA, endpoints, Jobs and CronJobs.

Key decision: controllers are store listeners plus a coalescing queue each, running on the
server's loop thread (see workqueue.py). There are no informers: the store is in-process and
synchronous, so they read it directly. The one cache is the ownership index (ownership.py), which
spares a reconcile the scan of its whole namespace.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from kubetui.localcluster.apimachinery.clock import Clock, utc_now
from kubetui.localcluster.controllers.cronjob import CronJobController
from kubetui.localcluster.controllers.daemonset import DaemonSetController
from kubetui.localcluster.controllers.deployment import DeploymentController
from kubetui.localcluster.controllers.endpoints import EndpointsController
from kubetui.localcluster.controllers.garbage_collector import GarbageCollector
from kubetui.localcluster.controllers.job import JobController
from kubetui.localcluster.controllers.replicaset import ReplicaSetController
from kubetui.localcluster.controllers.serviceaccounts import NamespaceDefaults
from kubetui.localcluster.storage.events import EventRecorder


@dataclass
class ControllerManager:
    replicasets: ReplicaSetController
    deployments: DeploymentController
    garbage_collector: GarbageCollector
    daemonsets: DaemonSetController
    namespace_defaults: NamespaceDefaults
    endpoints: EndpointsController
    jobs: JobController
    cronjobs: CronJobController

    def _all(self) -> tuple:
        """In start order: the garbage collector indexes owners before anything is created."""
        return (self.garbage_collector, self.replicasets, self.deployments, self.daemonsets,
                self.namespace_defaults, self.endpoints, self.jobs, self.cronjobs)

    def stop(self) -> None:
        for controller in self._all():
            controller.stop()


def start_controllers(store, loop: asyncio.AbstractEventLoop | None = None, *,
                      now: Clock = utc_now, ca_pem: bytes = b"") -> ControllerManager:
    """Start the controllers on `store`; call on the loop thread. `ca_pem` is the cluster CA
    published in every namespace as `kube-root-ca.crt`."""
    loop = loop or asyncio.get_running_loop()
    recorder = EventRecorder(store, now)  # controller events: kubectl describe shows them
    manager = ControllerManager(ReplicaSetController(store, loop, now=now, recorder=recorder),
                                DeploymentController(store, loop, now=now, recorder=recorder),
                                GarbageCollector(store, loop),
                                DaemonSetController(store, loop, recorder=recorder),
                                NamespaceDefaults(store, loop, ca_pem),
                                EndpointsController(store, loop, now=now),
                                JobController(store, loop, now=now, recorder=recorder),
                                CronJobController(store, loop, now=now, recorder=recorder))
    for controller in manager._all():
        controller.start()
    return manager
