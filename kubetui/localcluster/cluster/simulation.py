"""Plugs the node simulation into a local cluster: nodes, scheduler, kubelet, events, pods/log,
and the sample workloads.

Key decision: like addons.py, everything goes through the runner's extension points (a
startup and a shutdown hook, a subresource handler), driven by `ClusterOptions.kubelet`,
`time_scale`, `log_rate` and `seed`, so the bare API server stays available with `kubelet=False`.
"""

from __future__ import annotations

from kubetui.localcluster.apimachinery.clock import Clock, SimClock, utc_now
from kubetui.localcluster.cluster.extension_points import ExtensionPoints
from kubetui.localcluster.node.container_logs import BUSY_RATE, LogBook
from kubetui.localcluster.storage.events import EventRecorder
from kubetui.localcluster.apiserver.logs import make_log_handler


class Simulation:
    """The running pieces, reachable as `cluster.simulation` (tests and the exec helper)."""

    def __init__(self, time_scale: float, wall: Clock = utc_now, log_rate: float = BUSY_RATE) -> None:
        self.clock = SimClock(time_scale, wall=wall)
        self.logbook = LogBook(busy_rate=log_rate)
        self.recorder = None
        self.kubelet = None
        self.scheduler = None
        self.node_lifecycle = None


def install(cluster: ExtensionPoints) -> None:
    """Called once from LocalCluster.__init__."""
    options = cluster.options
    if not getattr(options, "kubelet", True):
        cluster.simulation = None
        return
    time_scale = getattr(options, "time_scale", 1.0)
    if not isinstance(time_scale, (int, float)) or time_scale <= 0:
        raise ValueError(f"--time-scale must be a positive number, not {time_scale!r}")
    log_rate = getattr(options, "log_rate", BUSY_RATE)
    if not isinstance(log_rate, (int, float)) or log_rate <= 0:
        raise ValueError(f"--log-rate must be a positive number of lines per second, not {log_rate!r}")
    simulation = Simulation(float(time_scale), getattr(options, "clock", None) or utc_now,
                            float(log_rate))
    cluster.simulation = simulation
    cluster.register_subresource(
        "pods", "log", make_log_handler(_StoreProxy(cluster), simulation.logbook,
                                        simulation.clock.wall_now))
    cluster.add_startup_hook(lambda running: _start(running, simulation))
    cluster.add_shutdown_hook(lambda running: _stop(simulation))


class _StoreProxy:
    """The store exists only once the cluster runs; the log handler reads it through this."""

    def __init__(self, cluster: ExtensionPoints) -> None:
        self._cluster = cluster

    def get(self, *args):
        return self._cluster.store.get(*args)


def _start(cluster: ExtensionPoints, simulation: Simulation) -> None:
    from kubetui.localcluster.node.kubelet import Kubelet
    from kubetui.localcluster.controllers.node_lifecycle import NodeLifecycle
    from kubetui.localcluster.scheduler.scheduling import Scheduler

    store = cluster.store
    simulation.recorder = EventRecorder(store, simulation.clock.wall_now)
    simulation.kubelet = Kubelet(store, simulation.clock, simulation.recorder, simulation.logbook,
                                 heartbeat_interval=getattr(cluster.options, "heartbeat_interval", 10.0))
    simulation.kubelet.start()
    simulation.scheduler = Scheduler(store, simulation.clock, simulation.recorder)
    simulation.scheduler.start()
    simulation.node_lifecycle = NodeLifecycle(store, simulation.recorder,
                                              frozenset(simulation.kubelet.nodes))
    simulation.node_lifecycle.start()
    if getattr(cluster.options, "seed", False):
        from kubetui.localcluster.cluster.seeding import seed

        seed(store)


async def _stop(simulation: Simulation) -> None:
    if simulation.node_lifecycle is not None:
        simulation.node_lifecycle.stop()
    if simulation.scheduler is not None:
        await simulation.scheduler.stop()
    if simulation.kubelet is not None:
        await simulation.kubelet.stop()
