"""The simulated kubelet of kubetui-node-1 and kubetui-node-2.

Key decisions: one `Kubelet` object plays both nodes' kubelets; it only ever touches pods whose
`spec.nodeName` is one of its nodes, so a pod bound to any other name is left exactly as
written, like a pod on a node whose kubelet is gone. It learns about pods from a store listener
(never by polling) and gives each pod a `PodWorker` task, like the kubelet's pod workers. Image
pulls are serialized per node (the kubelet's default), and each node remembers what it pulled.
"""

from __future__ import annotations

import asyncio
import logging

from kubetui.localcluster.storage.changes import DELETED
from kubetui.localcluster.apimachinery.clock import SimClock
from kubetui.localcluster.node.container_logs import LogBook
from kubetui.localcluster.storage.events import EventRecorder
from kubetui.localcluster.images.references import parse_image
from kubetui.localcluster.node.node_lease import RENEW_INTERVAL, NodeHeartbeats
from kubetui.localcluster.node.node_runtime import Backoff, NodeRuntime
from kubetui.localcluster.node.nodes import NODES, PodAddresses, register_nodes
from kubetui.localcluster.node.pod_worker import PodWorker
from kubetui.localcluster.sandbox.shared_files import Written

log = logging.getLogger(__name__)
# What a kind node has loaded before any pod starts (registry.k8s.io images of the control plane).
PRELOADED_IMAGES = (
    "registry.k8s.io/pause:3.10", "registry.k8s.io/coredns/coredns:v1.12.0",
    "registry.k8s.io/etcd:3.6.4-0", "registry.k8s.io/kube-apiserver:v1.37.0",
    "registry.k8s.io/kube-controller-manager:v1.37.0", "registry.k8s.io/kube-scheduler:v1.37.0",
    "registry.k8s.io/kube-proxy:v1.37.0",
)


class Kubelet:
    def __init__(self, store, clock: SimClock, recorder: EventRecorder, logbook: LogBook, *,
                 heartbeat_interval: float = RENEW_INTERVAL) -> None:
        self.store = store
        self.clock = clock
        self.recorder = recorder
        self.logbook = logbook
        self.nodes = {node.name: NodeRuntime(node, PodAddresses(node)) for node in NODES}
        for runtime in self.nodes.values():
            for image in PRELOADED_IMAGES:
                runtime.images[parse_image(image).normalized] = parse_image(image).size_bytes
        self.workers: dict[str, PodWorker] = {}
        self.crash_backoff = Backoff()
        self.pull_backoff = Backoff()
        self._node_updates: set[str] = set()
        self.heartbeats = NodeHeartbeats(store, clock, tuple(self.nodes), heartbeat_interval)
        self._running = False

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """On the loop thread: register the nodes, then adopt pods already bound to them."""
        register_nodes(self.store, self.recorder)
        self.heartbeats.start()
        self.store.add_listener(self._on_change)
        self._running = True
        for pod in self.store.list("pods")[0]:
            self._consider(pod)

    async def stop(self) -> None:
        self._running = False
        await self.heartbeats.stop()
        self.store.remove_listener(self._on_change)
        workers = list(self.workers.values())
        self.workers.clear()
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*(worker.wait_cancelled() for worker in workers),
                             return_exceptions=True)

    # ------------------------------------------------------------------ events
    def _on_change(self, event_type: str, plural: str, obj: dict) -> None:
        if plural != "pods" or not self._running:
            return
        uid = (obj.get("metadata") or {}).get("uid", "")
        worker = self.workers.get(uid)
        if event_type == DELETED:
            if worker is not None:
                self.workers.pop(uid, None)
                worker.removed()
            return
        if worker is not None:
            worker.observe(obj)
            return
        self._consider(obj)

    def _consider(self, pod: dict) -> None:
        node = (pod.get("spec") or {}).get("nodeName")
        if node not in self.nodes:
            return
        status = pod.get("status") or {}
        meta = pod.get("metadata") or {}
        if status.get("phase") in ("Succeeded", "Failed") or not meta.get("uid"):
            return
        worker = PodWorker(self, pod)
        self.workers[meta["uid"]] = worker
        worker.start()

    def main_process_exited(self, uid: str, container: str, instance: str, code: int) -> None:
        """The program of a running container ended with ``code`` by other means than its plan
        (an attached shell's `exit`): the container instance ends as if it had exited."""
        worker = self.workers.get(uid)
        if worker is not None:
            worker.main_process_exited(container, instance, code)

    def pod_files(self, uid: str) -> tuple[Written, Written]:
        """Files the pod's containers have written (volumes, then each container's own)."""
        worker = self.workers.get(uid)
        return worker.files_now() if worker is not None else ({}, {})

    # ------------------------------------------------------------------ node status
    def image_pulled(self, node: NodeRuntime, normalized: str, size: int) -> None:
        if normalized in node.images:
            return
        node.images[normalized] = size
        if node.spec.name not in self._node_updates:
            self._node_updates.add(node.spec.name)
            asyncio.get_running_loop().call_soon(self._write_node_images, node)

    def _write_node_images(self, node: NodeRuntime) -> None:
        self._node_updates.discard(node.spec.name)
        live = self.store.get("nodes", "", node.spec.name)
        if live is None:
            return
        images = []
        for normalized, size in sorted(node.images.items(), key=lambda item: -item[1])[:50]:
            reference = parse_image(normalized)
            images.append({"names": [reference.image_id, normalized], "sizeBytes": size})
        updated = dict(live, status=dict(live.get("status") or {}, images=images))
        try:
            self.store.update("nodes", updated, subresource="status", manager="kubelet")
        except Exception:  # the node was deleted by hand: nothing to report to
            log.debug("node %s status update skipped", node.spec.name, exc_info=True)
