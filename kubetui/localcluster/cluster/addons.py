"""Plugs the workload pieces into a local cluster: controllers, the scale subresource, synthetic
pods (with their Deployments and ReplicaSets) with churn, and fault injection, each driven by its `ClusterOptions` knob.

Key decision: everything goes through the runner's extension points (startup/shutdown hooks,
subresource handlers, extra middlewares and routes), so the server core knows none of it and a
cluster built with `controllers=False, pods=0` and no faults is the bare API server.
"""

from __future__ import annotations

from kubetui.localcluster.cluster.extension_points import ExtensionPoints
from kubetui.localcluster.cluster.faults import FAULTS_PATH, FaultInjector, FaultSettings


def install(cluster: ExtensionPoints) -> None:
    """Called once from LocalCluster.__init__."""
    options = cluster.options
    _workload_plan(options).check()  # bad counts fail here, before anything starts
    injector = FaultInjector(FaultSettings.from_options(options), seed=options.random_seed)
    cluster.faults = injector
    cluster.add_middleware(injector.middleware)
    cluster.add_route("*", FAULTS_PATH, injector.handle_debug_faults)
    if options.controllers:
        from kubetui.localcluster.apiserver.scale import SCALABLE, handle_scale

        for plural in SCALABLE:
            cluster.register_subresource(plural, "scale", handle_scale)
    cluster.add_startup_hook(_start)
    cluster.add_shutdown_hook(_stop)


def _start(cluster: ExtensionPoints) -> None:
    store, options, injector = cluster.store, cluster.options, cluster.faults
    injector.admin_token = cluster.token
    injector.current_resource_version = lambda: store.resource_version
    injector.close_watches = lambda reason: _close_all_watches(store, reason)
    injector.start()
    cluster.controllers = None
    cluster.churn = None
    if options.controllers:
        from kubetui.localcluster.controllers.manager import start_controllers
        from kubetui.localcluster.apiserver.scale import add_scale_to_registry

        add_scale_to_registry(store.registry)
        cluster.controllers = start_controllers(store, now=store.clock, ca_pem=cluster.ca_pem)
    plan = _workload_plan(options)
    if plan.deployments or plan.replicasets:
        from kubetui.localcluster.cluster.synthetic_owners import load_synthetic_workloads

        load_synthetic_workloads(store, plan, seed=options.random_seed)
    elif options.pods > 0:
        from kubetui.localcluster.cluster.synthetic import load_synthetic_pods

        load_synthetic_pods(store, options.pods, seed=options.random_seed)
    if plan.pods or plan.deployments or plan.replicasets:
        from kubetui.localcluster.cluster.synthetic_churn import SyntheticChurn

        cluster.churn = SyntheticChurn(store, options.churn, seed=options.random_seed)
        cluster.churn.start()


def _workload_plan(options):
    from kubetui.localcluster.cluster.synthetic_owners import WorkloadPlan

    return WorkloadPlan(options.pods, options.deployments, options.replicasets)


async def _stop(cluster: ExtensionPoints) -> None:
    if getattr(cluster, "churn", None) is not None:
        await cluster.churn.stop()
    if getattr(cluster, "controllers", None) is not None:
        cluster.controllers.stop()
    await cluster.faults.stop()


def _close_all_watches(store, reason: str) -> int:
    watchers = list(store.changes.watchers())
    store.changes.close_all(reason)
    return len(watchers)
