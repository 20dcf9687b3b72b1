"""What the simulated kubelet holds for the pods it runs: each node's runtime state (images,
pod IPs, host ports, the pull lock), the kubelet's back-offs, and `KubeletServices`, what a pod
worker may use of its kubelet.

Key decision: pod workers see their kubelet through the `KubeletServices` protocol, so the
kubelet (kubelet.py) creates pod workers without the workers importing it back.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Protocol

from kubetui.localcluster.apimachinery.clock import SimClock
from kubetui.localcluster.node.container_logs import LogBook
from kubetui.localcluster.node.nodes import NodeSpec, PodAddresses
from kubetui.localcluster.storage.events import EventRecorder
from kubetui.localcluster.storage.store import Store


class Backoff:
    """client-go's flowcontrol.Backoff as the kubelet uses it (no jitter): 10 s doubling to a
    5 min cap, forgotten after twice the cap without a new failure. Times are simulated."""

    def __init__(self, initial: float = 10.0, maximum: float = 300.0) -> None:
        self.initial, self.maximum = initial, maximum
        self._entries: dict[str, tuple[float, float]] = {}  # key -> (backoff, last update)

    def _live(self, key: str, event_time: float) -> tuple[float, float] | None:
        entry = self._entries.get(key)
        if entry is None or event_time - entry[1] > 2 * self.maximum:
            return None
        return entry

    def in_backoff_since(self, key: str, event_time: float, now: float) -> bool:
        entry = self._live(key, event_time)
        return entry is not None and now - event_time < entry[0]

    def remaining_since_update(self, key: str, now: float) -> float:
        entry = self._entries.get(key)
        return 0.0 if entry is None else max(0.0, entry[1] + entry[0] - now)

    def next(self, key: str, event_time: float, now: float) -> None:
        entry = self._live(key, event_time)
        duration = self.initial if entry is None else min(entry[0] * 2, self.maximum)
        self._entries[key] = (duration, now)

    def get(self, key: str) -> float:
        entry = self._entries.get(key)
        return entry[0] if entry else 0.0

    def forget_prefix(self, prefix: str) -> None:
        for key in [key for key in self._entries if key.startswith(prefix)]:
            del self._entries[key]


@dataclass
class NodeRuntime:
    """What one node's kubelet and container runtime hold: images, IPs, host ports."""

    spec: NodeSpec
    addresses: PodAddresses
    images: dict[str, int] = field(default_factory=dict)  # normalized reference -> size
    host_ports: dict[int, str] = field(default_factory=dict)  # the node's network namespace
    pull_lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class KubeletServices(Protocol):
    """What a pod worker uses of its kubelet."""

    store: Store
    clock: SimClock
    recorder: EventRecorder
    logbook: LogBook
    nodes: dict[str, NodeRuntime]
    crash_backoff: Backoff
    pull_backoff: Backoff

    def image_pulled(self, node: NodeRuntime, normalized: str, size: int) -> None: ...
