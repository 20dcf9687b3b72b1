"""The service account controller and the root CA publisher of kube-controller-manager.

Every active namespace gets a `default` ServiceAccount and a `kube-root-ca.crt` ConfigMap
holding the cluster CA; deleting either brings it back, editing the ConfigMap is undone.
kube-system also gets the accounts the controller manager's own controllers run as (kind
starts it with --use-service-account-credentials). Key decision: one reconcile per namespace,
triggered by namespace, ServiceAccount and ConfigMap events, never for a namespace being
deleted (the namespace lifecycle removes what is in it).
"""

from __future__ import annotations

import asyncio
import logging

from kubetui.localcluster.storage.changes import DELETED
from kubetui.localcluster.controllers.workqueue import ReconcileQueue

log = logging.getLogger(__name__)

MANAGER = "kube-controller-manager"
DEFAULT_ACCOUNT = "default"
ROOT_CA = "kube-root-ca.crt"
ROOT_CA_DESCRIPTION = (
    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints "
    "such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across "
    "distributions of Kubernetes clusters.")
CONTROLLER_ACCOUNTS = (
    "attachdetach-controller", "bootstrap-signer", "certificate-controller",
    "clusterrole-aggregation-controller", "cronjob-controller", "daemon-set-controller",
    "deployment-controller", "disruption-controller", "endpoint-controller",
    "endpointslice-controller", "endpointslicemirroring-controller", "ephemeral-volume-controller",
    "expand-controller", "generic-garbage-collector", "horizontal-pod-autoscaler", "job-controller",
    "legacy-service-account-token-cleaner", "namespace-controller", "node-controller",
    "persistent-volume-binder", "pod-garbage-collector", "pv-protection-controller",
    "pvc-protection-controller", "replicaset-controller", "replication-controller",
    "resourcequota-controller", "root-ca-cert-publisher", "service-account-controller",
    "service-cidrs-controller", "statefulset-controller", "token-cleaner",
    "ttl-after-finished-controller", "ttl-controller", "validatingadmissionpolicy-status-controller",
)


class NamespaceDefaults:
    """`default` accounts and `kube-root-ca.crt` in every namespace."""

    def __init__(self, store, loop: asyncio.AbstractEventLoop, ca_pem: bytes) -> None:
        self._store = store
        self._ca = ca_pem.decode("ascii") if ca_pem else ""
        self.queue = ReconcileQueue(loop, self.reconcile, "serviceaccount-controller")

    def start(self) -> None:
        self._store.add_listener(self.on_event)
        for namespace in self._store.list("namespaces")[0]:
            self.queue.add(namespace["metadata"]["name"])

    def stop(self) -> None:
        self._store.remove_listener(self.on_event)
        self.queue.stop()

    def on_event(self, event_type: str, plural: str, obj: dict) -> None:
        meta = obj["metadata"]
        if plural == "namespaces" and event_type != DELETED:
            self.queue.add(meta["name"])
        elif plural == "serviceaccounts" and event_type == DELETED:
            self.queue.add(meta.get("namespace"))
        elif plural == "configmaps" and meta.get("name") == ROOT_CA:
            self.queue.add(meta.get("namespace"))

    def reconcile(self, namespace: str) -> None:
        owner = self._store.get("namespaces", "", namespace)
        if owner is None or owner["metadata"].get("deletionTimestamp"):
            return
        accounts = (DEFAULT_ACCOUNT, *CONTROLLER_ACCOUNTS) if namespace == "kube-system" else (DEFAULT_ACCOUNT,)
        for name in accounts:
            if self._store.get("serviceaccounts", namespace, name) is None:
                self._store.create("serviceaccounts", {"metadata": {"name": name, "namespace": namespace}},
                                   manager=MANAGER)
        if self._ca:
            self._publish_ca(namespace)

    def _publish_ca(self, namespace: str) -> None:
        wanted = {"ca.crt": self._ca}
        live = self._store.get("configmaps", namespace, ROOT_CA)
        if live is None:
            self._store.create("configmaps", {
                "metadata": {"name": ROOT_CA, "namespace": namespace,
                             "annotations": {"kubernetes.io/description": ROOT_CA_DESCRIPTION}},
                "data": wanted}, manager=MANAGER)
            return
        if live.get("data") == wanted and not live.get("binaryData"):
            return
        changed = {**live, "data": wanted}
        changed.pop("binaryData", None)
        self._store.update("configmaps", changed, manager=MANAGER)
