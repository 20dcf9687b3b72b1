"""What exists in a fresh cluster: the four system namespaces and the `kubernetes` service.

Key decision: created through the store's normal create path (defaults, metadata, managedFields
by `kube-apiserver`), so bootstrap objects look exactly like the real ones.
"""

from __future__ import annotations

from kubetui.localcluster.store import Store

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
