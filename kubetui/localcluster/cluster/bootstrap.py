"""What exists in a fresh cluster: the four system namespaces and the `kubernetes` service, with
the Endpoints and EndpointSlice kube-apiserver keeps for it (its own address, port 6443).

Key decision: created through the store's normal create path (defaults, metadata, managedFields
by `kube-apiserver`), so bootstrap objects look exactly like the real ones.
"""

from __future__ import annotations

from kubetui.localcluster.node.nodes import NODES
from kubetui.localcluster.storage.store import Store

SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
MANAGER = "kube-apiserver"


def bootstrap(store: Store) -> None:
    for name in SYSTEM_NAMESPACES:
        if store.get("namespaces", "", name) is None:
            store.create("namespaces", {"metadata": {"name": name}}, manager=MANAGER)
    if store.get("services", "default", "kubernetes") is None:
        store.create("services", {
            "metadata": {"name": "kubernetes", "namespace": "default",
                         "labels": {"component": "apiserver", "provider": "kubernetes"}},
            "spec": {"clusterIP": "10.96.0.1", "type": "ClusterIP",
                     "ports": [{"name": "https", "port": 443, "protocol": "TCP",
                                "targetPort": 6443}]},
        }, manager=MANAGER)
    _apiserver_endpoints(store)


def _apiserver_endpoints(store: Store) -> None:
    """The apiserver's endpoint reconciler: not the endpoints controllers' (no selector)."""
    address, port = NODES[0].internal_ip, {"name": "https", "port": 6443, "protocol": "TCP"}
    if store.get("endpoints", "default", "kubernetes") is None:
        store.create("endpoints", {
            "metadata": {"name": "kubernetes", "namespace": "default",
                         "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
            "subsets": [{"addresses": [{"ip": address}], "ports": [port]}]}, manager=MANAGER)
    if store.get("endpointslices", "default", "kubernetes") is None:
        store.create("endpointslices", {
            "metadata": {"name": "kubernetes", "namespace": "default",
                         "labels": {"kubernetes.io/service-name": "kubernetes"}},
            "addressType": "IPv4",
            "endpoints": [{"addresses": [address], "conditions": {"ready": True}}],
            "ports": [port]}, manager=MANAGER)
