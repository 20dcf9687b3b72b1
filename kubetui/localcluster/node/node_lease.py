"""The kubelets' heartbeats: each node's Lease in kube-node-lease, and its status conditions.

A real kubelet renews its Lease every 10 s (a quarter of the 40 s lease duration) and, while
nothing changes, re-posts its node status every 5 minutes (30 renewals), which moves the
conditions' lastHeartbeatTime. Key decisions: heartbeats run on wall-clock time, not the
simulated clock: a fast simulation (`--time-scale 50`) must not turn them into a stream of writes
that every lease or node watcher receives and the watch window keeps
(`ClusterOptions.heartbeat_interval` shortens them for tests); the Lease is created on the first
beat, owned by its Node, and recreated if someone deletes it, as the kubelet's lease controller
does.
"""

from __future__ import annotations

import asyncio
import copy
import logging

from kubetui.localcluster.apimachinery.clock import SimClock, rfc3339, rfc3339_micro

log = logging.getLogger(__name__)

LEASE_NAMESPACE = "kube-node-lease"
LEASE_DURATION_SECONDS = 40
RENEW_INTERVAL = LEASE_DURATION_SECONDS / 4
RENEWALS_PER_STATUS_REPORT = 30  # 5 minutes of 10 s renewals
MANAGER = "kubelet"


class NodeHeartbeats:
    def __init__(self, store, clock: SimClock, node_names: tuple[str, ...],
                 interval: float = RENEW_INTERVAL) -> None:
        self._store = store
        self._clock = clock
        self._nodes = node_names
        self._interval = interval
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self.beat()
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        renewals = 0
        while True:
            await asyncio.sleep(self._interval)
            renewals += 1
            report = renewals % RENEWALS_PER_STATUS_REPORT == 0
            try:
                self.beat(report_status=report)
            except Exception:  # a heartbeat must never stop the kubelet
                log.exception("node heartbeat failed")

    def beat(self, report_status: bool = False) -> None:
        for name in self._nodes:
            node = self._store.get("nodes", "", name)
            if node is None:
                continue
            self._renew(node)
            if report_status:
                self._report(node)

    def _renew(self, node: dict) -> None:
        name = node["metadata"]["name"]
        now = rfc3339_micro(self._clock.wall_now())
        live = self._store.get("leases", LEASE_NAMESPACE, name)
        if live is None:
            if self._store.get("namespaces", "", LEASE_NAMESPACE) is None:
                return
            self._store.create("leases", {
                "metadata": {"name": name, "namespace": LEASE_NAMESPACE, "ownerReferences": [{
                    "apiVersion": "v1", "kind": "Node", "name": name, "uid": node["metadata"]["uid"]}]},
                "spec": {"holderIdentity": name, "leaseDurationSeconds": LEASE_DURATION_SECONDS,
                         "renewTime": now}}, manager=MANAGER)
            return
        renewed = copy.deepcopy(live)
        renewed.setdefault("spec", {})["renewTime"] = now
        self._store.update("leases", renewed, manager=MANAGER)

    def _report(self, node: dict) -> None:
        now = rfc3339(self._clock.wall_now())
        status = copy.deepcopy(node.get("status") or {})
        for condition in status.get("conditions") or []:
            condition["lastHeartbeatTime"] = now
        self._store.update("nodes", {**node, "status": status}, subresource="status", manager=MANAGER)
