"""`kubetui cluster --seed` / `kubetui demo`: the study notes' samples plus a believable kube-system.

Key decisions: the samples are the YAML files shipped in `kubetui.samples` (the same ones a user
can `kubectl apply -f`), created through the store like any client would, so validation applies
and `sample-invalid-name.yaml` is skipped for the reason a real server gives. kube-system gets
what `kubectl get pods -A` shows on a fresh two-node kind cluster: the control-plane static
pods on kubetui-node-1 (hostNetwork, owned by their Node), the kube-proxy DaemonSet, and a
coredns Deployment with its kube-dns Service.
"""

from __future__ import annotations

import logging
from importlib import resources

import yaml

from kubetui.localcluster.apimachinery import errors
from kubetui.localcluster.node.nodes import NODES

log = logging.getLogger(__name__)
PLURALS = {"Pod": "pods", "ReplicaSet": "replicasets", "Deployment": "deployments", "DaemonSet": "daemonsets",
           "ConfigMap": "configmaps", "Service": "services", "ServiceAccount": "serviceaccounts",
           "Job": "jobs", "CronJob": "cronjobs", "Secret": "secrets"}
MANAGER = "kubectl-client-side-apply"
NEVER_SEEDED = ("sample-invalid-name.yaml",)
K8S_VERSION = "v1.37.0"


def sample_files() -> dict[str, str]:
    """File name -> text of every shipped sample, in name order."""
    folder = resources.files("kubetui.samples")
    return {entry.name: entry.read_text(encoding="utf-8")
            for entry in sorted(folder.iterdir(), key=lambda e: e.name)
            if entry.name.endswith(".yaml")}


def sample_documents(text: str) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(text) if isinstance(doc, dict)]


def seed(store, namespace: str = "default") -> list[str]:
    """Create every valid sample in `namespace` and the kube-system workloads; returns the
    `kind/name` of what was created (objects that already exist are left alone)."""
    created: list[str] = []
    for name, text in sample_files().items():
        if name in NEVER_SEEDED:
            continue
        for document in sample_documents(text):
            created += _create(store, document, namespace)
    for document in system_objects(store):
        created += _create(store, document, "kube-system", manager="kubelet")
    return created


def _create(store, document: dict, namespace: str, manager: str = MANAGER) -> list[str]:
    plural = PLURALS.get(str(document.get("kind")))
    if plural is None:
        return []
    meta = document.setdefault("metadata", {})
    meta.setdefault("namespace", namespace)
    if store.get(plural, meta["namespace"], meta.get("name", "")) is not None:
        return []
    try:
        store.create(plural, document, manager=manager)
    except errors.ApiError as problem:
        log.warning("sample %s/%s not created: %s", document.get("kind"), meta.get("name"),
                    problem.message)
        return []
    return [f"{document['kind']}/{meta.get('name')}"]


def _static_pod(component: str, image: str, command: list[str], node_uid: str,
                cpu: str) -> dict:
    node = NODES[0]
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {
            "name": f"{component}-{node.name}", "namespace": "kube-system",
            "labels": {"component": component, "tier": "control-plane"},
            "annotations": {"kubernetes.io/config.source": "file",
                            "kubernetes.io/config.seen": "2026-01-01T00:00:00.000000000Z",
                            "kubernetes.io/config.mirror": node_uid[:32].replace("-", "")},
            "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": node.name,
                                 "uid": node_uid, "controller": True}],
        },
        "spec": {
            "nodeName": node.name, "hostNetwork": True, "priority": 2000001000,
            "priorityClassName": "system-node-critical",
            "containers": [{"name": component, "image": image, "command": command,
                            "imagePullPolicy": "IfNotPresent",
                            "resources": {"requests": {"cpu": cpu}}}],
        },
    }


def system_objects(store) -> list[dict]:
    """The kube-system workloads of a fresh kind cluster."""
    node_uid = ((store.get("nodes", "", NODES[0].name) or {}).get("metadata") or {}).get("uid", "")
    ip = NODES[0].internal_ip
    objects = [
        {"apiVersion": "v1", "kind": "ServiceAccount",
         "metadata": {"name": account, "namespace": "kube-system"}}
        for account in ("coredns", "kube-proxy")
    ]
    objects += [
        _static_pod("etcd", "registry.k8s.io/etcd:3.6.4-0",
                    ["etcd", f"--advertise-client-urls=https://{ip}:2379", "--data-dir=/var/lib/etcd",
                     f"--listen-client-urls=https://127.0.0.1:2379,https://{ip}:2379",
                     f"--name={NODES[0].name}"], node_uid, "100m"),
        _static_pod("kube-apiserver", f"registry.k8s.io/kube-apiserver:{K8S_VERSION}",
                    ["kube-apiserver", f"--advertise-address={ip}", "--secure-port=6443",
                     "--service-cluster-ip-range=10.96.0.0/16"], node_uid, "250m"),
        _static_pod("kube-controller-manager",
                    f"registry.k8s.io/kube-controller-manager:{K8S_VERSION}",
                    ["kube-controller-manager", "--cluster-cidr=10.244.0.0/16",
                     "--leader-elect=true"], node_uid, "200m"),
        _static_pod("kube-scheduler", f"registry.k8s.io/kube-scheduler:{K8S_VERSION}",
                    ["kube-scheduler", "--leader-elect=true"], node_uid, "100m"),
    ]
    objects.append({
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "kube-proxy", "namespace": "kube-system", "labels": {"k8s-app": "kube-proxy"}},
        "spec": {
            "selector": {"matchLabels": {"k8s-app": "kube-proxy"}},
            "template": {
                "metadata": {"labels": {"k8s-app": "kube-proxy"}},
                "spec": {
                    "hostNetwork": True, "nodeSelector": {"kubernetes.io/os": "linux"},
                    "priorityClassName": "system-node-critical", "serviceAccountName": "kube-proxy",
                    "tolerations": [{"operator": "Exists"}],
                    "containers": [{"name": "kube-proxy",
                                    "image": f"registry.k8s.io/kube-proxy:{K8S_VERSION}",
                                    "command": ["/usr/local/bin/kube-proxy",
                                                "--config=/var/lib/kube-proxy/config.conf",
                                                "--hostname-override=$(NODE_NAME)"],
                                    "env": [{"name": "NODE_NAME", "valueFrom": {
                                        "fieldRef": {"fieldPath": "spec.nodeName"}}}],
                                    "securityContext": {"privileged": True}}],
                },
            },
        },
    })
    objects.append({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "coredns", "namespace": "kube-system", "labels": {"k8s-app": "kube-dns"}},
        "spec": {
            "replicas": 2, "selector": {"matchLabels": {"k8s-app": "kube-dns"}},
            "template": {
                "metadata": {"labels": {"k8s-app": "kube-dns"}},
                "spec": {
                    "priorityClassName": "system-cluster-critical", "serviceAccountName": "coredns",
                    "containers": [{
                        "name": "coredns", "image": "registry.k8s.io/coredns/coredns:v1.12.0",
                        "args": ["-conf", "/etc/coredns/Corefile"],
                        "ports": [{"name": "dns", "containerPort": 53, "protocol": "UDP"},
                                  {"name": "dns-tcp", "containerPort": 53, "protocol": "TCP"},
                                  {"name": "metrics", "containerPort": 9153, "protocol": "TCP"}],
                        "resources": {"requests": {"cpu": "100m", "memory": "70Mi"},
                                      "limits": {"memory": "170Mi"}},
                        "readinessProbe": {"httpGet": {"path": "/ready", "port": 8181}},
                    }],
                },
            },
        },
    })
    objects.append({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "kube-dns", "namespace": "kube-system",
                     "labels": {"k8s-app": "kube-dns", "kubernetes.io/name": "CoreDNS"}},
        "spec": {"clusterIP": "10.96.0.10", "selector": {"k8s-app": "kube-dns"},
                 "ports": [{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                           {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                           {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153}]},
    })
    return objects
