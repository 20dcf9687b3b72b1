"""The two simulated nodes: their Node objects and the pod IPs they hand out.

Key decisions: the nodes look like a two-node kind cluster (InternalIP 172.18.0.2/.3, a
`node-role.kubernetes.io/control-plane` label on the first but no taint, so both take pods),
reporting kubelet v1.37.0 on containerd 2.1.0. Each node owns a /24 of 10.244.0.0/16 as its
podCIDR and hands out addresses from it (.1 is the bridge, the pods' gateway); when a /24 runs
out it continues in further /24s of its own, so big demos never run short.
"""

from __future__ import annotations

import hashlib
import ipaddress
import uuid
from dataclasses import dataclass

from kubetui.localcluster.apimachinery.clock import rfc3339, utc_now

KUBELET_VERSION = "v1.37.0"
RUNTIME_VERSION = "containerd://2.1.0"
OS_IMAGE = "Debian GNU/Linux 12 (bookworm)"
KERNEL_VERSION = "6.8.0-1017-gcp"
POD_NETWORK = ipaddress.ip_network("10.244.0.0/16")
MAX_PODS = 110


@dataclass(frozen=True)
class NodeSpec:
    name: str
    index: int  # 0, 1: the node's /24 blocks are 10.244.<index>.0, 10.244.<index + 2>.0, …
    internal_ip: str
    control_plane: bool = False

    @property
    def pod_cidr(self) -> str:
        return f"10.244.{self.index}.0/24"

    @property
    def gateway_ip(self) -> str:
        return f"10.244.{self.index}.1"


NODES = (
    NodeSpec("kubetui-node-1", 0, "172.18.0.2", control_plane=True),
    NodeSpec("kubetui-node-2", 1, "172.18.0.3"),
)
NODE_NAMES = tuple(node.name for node in NODES)


def node_spec(name: str) -> NodeSpec | None:
    return next((node for node in NODES if node.name == name), None)


class PodAddresses:
    """Pod IPs of one node: .2 upwards in its /24, then in its further /24 blocks."""

    def __init__(self, node: NodeSpec, blocks: int = 2) -> None:
        self.node = node
        self.blocks = blocks
        self._used: set[str] = set()
        self._next = 0

    def _candidate(self, n: int) -> str:
        per_block = 253  # .2 … .254
        block, host = divmod(n, per_block)
        third = self.node.index + block * self.blocks
        return f"10.244.{third % 256}.{host + 2}"

    def allocate(self) -> str:
        capacity = 253 * (256 // self.blocks)
        for _ in range(capacity):
            address = self._candidate(self._next % capacity)
            self._next += 1
            if address not in self._used:
                self._used.add(address)
                return address
        raise RuntimeError(f"no pod IP left on {self.node.name}")

    def reserve(self, address: str) -> None:
        self._used.add(address)

    def release(self, address: str) -> None:
        self._used.discard(address)


def _stable_hex(text: str, length: int = 32) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def node_object(node: NodeSpec, now_text: str | None = None) -> dict:
    """The Node as the kubelet registers it, already Ready."""
    now = now_text or rfc3339(utc_now())
    labels = {
        "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": node.name,
        "kubernetes.io/os": "linux",
    }
    if node.control_plane:
        labels["node-role.kubernetes.io/control-plane"] = ""
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
    resources = {"cpu": "4", "ephemeral-storage": "102626232Ki", "hugepages-1Gi": "0",
                 "hugepages-2Mi": "0", "memory": "8025424Ki", "pods": str(MAX_PODS)}

    def condition(kind: str, status: str, reason: str, message: str) -> dict:
        return {"type": kind, "status": status, "lastHeartbeatTime": now,
                "lastTransitionTime": now, "reason": reason, "message": message}

    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {
            "name": node.name, "labels": labels,
            "annotations": {
                "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock",
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
        },
        "spec": {"podCIDR": node.pod_cidr, "podCIDRs": [node.pod_cidr],
                 "providerID": f"kind://docker/kubetui/{node.name}"},
        "status": {
            "addresses": [{"type": "InternalIP", "address": node.internal_ip},
                          {"type": "Hostname", "address": node.name}],
            "allocatable": dict(resources), "capacity": dict(resources),
            "conditions": [
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory",
                          "kubelet has sufficient memory available"),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure",
                          "kubelet has no disk pressure"),
                condition("PIDPressure", "False", "KubeletHasSufficientPID",
                          "kubelet has sufficient PID available"),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "architecture": "amd64", "bootID": str(uuid.UUID(_stable_hex(node.name + "boot"))),
                "containerRuntimeVersion": RUNTIME_VERSION, "kernelVersion": KERNEL_VERSION,
                "kubeProxyVersion": "", "kubeletVersion": KUBELET_VERSION,
                "machineID": _stable_hex(node.name + "machine"), "operatingSystem": "linux",
                "osImage": OS_IMAGE,
                "systemUUID": str(uuid.UUID(_stable_hex(node.name + "system"))),
            },
            "runtimeHandlers": [
                {"name": "runc", "features": {"recursiveReadOnlyMounts": True,
                                              "userNamespaces": True}},
                {"name": "", "features": {"recursiveReadOnlyMounts": True,
                                          "userNamespaces": True}},
            ],
            "features": {"supplementalGroupsPolicy": True},
            "images": [],
        },
    }


def register_nodes(store, recorder=None) -> None:
    """Create both Node objects (once), with the kubelet's start-up events."""
    for node in NODES:
        if store.get("nodes", "", node.name) is not None:
            continue
        store.create("nodes", node_object(node), manager="kubelet")
        if recorder is None:
            continue
        for reason, message in (
                ("Starting", "Starting kubelet."),
                ("NodeHasSufficientMemory", f"Node {node.name} status is now: NodeHasSufficientMemory"),
                ("NodeHasNoDiskPressure", f"Node {node.name} status is now: NodeHasNoDiskPressure"),
                ("NodeHasSufficientPID", f"Node {node.name} status is now: NodeHasSufficientPID"),
                ("NodeAllocatableEnforced", "Updated Node Allocatable limit across pods"),
                ("NodeReady", f"Node {node.name} status is now: NodeReady")):
            recorder.node_event(node.name, "Normal", reason, message, host=node.name)
        recorder.node_event(node.name, "Normal", "RegisteredNode",
                            f"Node {node.name} event: Registered Node {node.name} in Controller",
                            component="node-controller")
