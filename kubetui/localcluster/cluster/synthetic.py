"""Synthetic pods for benchmarks: N realistic pods spread over `team-NN` namespaces.

Key decisions: every pod is built from one seeded `random.Random`, so the same seed gives the same
names, labels and statuses (uids, resourceVersions and times come from the store and the clock).
The pods are bound to `synthetic-node-<k>`, nodes no kubelet manages, so nothing but the churn
(synthetic_churn.py) ever changes them. Objects are ~4 KB of JSON, the size of a typical
Deployment pod with a sidecar (no managedFields), so list and watch costs are representative.
The builder writes every server default itself, so pods are stored through the store's bulk
path without per-object defaulting and validation: 10,000 load in about a second.
"""

from __future__ import annotations

import random

from kubetui.localcluster.apimachinery.clock import rfc3339
from kubetui.localcluster.controllers.naming import POD_TEMPLATE_HASH, SAFE_ALPHABET

NAMESPACE_COUNT = 20
NODE_COUNT = 12
SYNTHETIC_NODE_PREFIX = "synthetic-node-"
SYNTHETIC_LABEL = "kubetui.dev/synthetic"
APPS = ("checkout", "payments", "catalog", "search", "cart", "orders", "inventory", "shipping",
         "auth", "profile", "gateway", "notifications", "recommendations", "billing", "reports")
TIERS = ("frontend", "backend", "worker", "cache")
SIDECARS = (
    ("envoy", "docker.io/envoyproxy/envoy:v1.31.2", 15090, "50m", "64Mi"),
    ("fluent-bit", "cr.fluentbit.io/fluent/fluent-bit:3.1.9", 2020, "20m", "32Mi"),
    ("otel-agent", "otel/opentelemetry-collector-contrib:0.112.0", 4317, "30m", "96Mi"),
)


def namespace_names(count: int = NAMESPACE_COUNT) -> list[str]:
    return [f"team-{index:02d}" for index in range(count)]


def namespace_object(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": name, "labels": {"kubernetes.io/metadata.name": name,
                                                   SYNTHETIC_LABEL: "true"}}}


def is_synthetic(pod: dict) -> bool:
    return str((pod.get("spec") or {}).get("nodeName") or "").startswith(SYNTHETIC_NODE_PREFIX)


def _hex(rng: random.Random, bits: int = 256) -> str:
    return f"{rng.getrandbits(bits):0{bits // 4}x}"


def safe_text(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(SAFE_ALPHABET) for _ in range(length))


def synthetic_pod(rng: random.Random, namespace: str, now: str) -> dict:
    """One Running, Ready pod of a made-up Deployment, with full metadata, spec and status."""
    app = rng.choice(APPS)
    tier = rng.choice(TIERS)
    template_hash = safe_text(rng, 10)
    name = f"{app}-{template_hash}-{safe_text(rng, 5)}"
    version = f"1.{rng.randint(0, 30)}.{rng.randint(0, 9)}"
    node = rng.randrange(NODE_COUNT)
    sidecars = rng.sample(SIDECARS, 2 if rng.random() < 0.25 else 1)
    containers = [app_container(rng, app, namespace, version)] + [
        sidecar_container(*sidecar) for sidecar in sidecars]
    labels = {
        "app": app, "app.kubernetes.io/part-of": namespace,
        "app.kubernetes.io/version": version, "tier": tier, POD_TEMPLATE_HASH: template_hash,
        SYNTHETIC_LABEL: "true",
    }
    annotations = {
        "prometheus.io/scrape": "true",
        "prometheus.io/port": "9102",
        "kubectl.kubernetes.io/default-container": app,
        # Long annotations are common (mesh injectors, deploy tools); readers must cope.
        "kubetui.dev/deploy-note": (
            f"Rolled out {app} {version} to {namespace} by the release pipeline; change "
            f"{_hex(rng, 32)} approved; canary analysis passed in {rng.randint(2, 9)} zones."),
    }
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "generateName": f"{app}-{template_hash}-",
                     "namespace": namespace, "labels": labels, "annotations": annotations},
        "spec": {
            "containers": containers,
            "volumes": [
                {"name": "config", "configMap": {"name": f"{app}-config", "defaultMode": 420}},
                {"name": "tmp", "emptyDir": {}},
            ],
            "nodeName": f"{SYNTHETIC_NODE_PREFIX}{node}",
            "restartPolicy": "Always", "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst", "serviceAccountName": app, "serviceAccount": app,
            "securityContext": {"runAsNonRoot": True, "fsGroup": 2000},
            "schedulerName": "default-scheduler", "enableServiceLinks": True,
            "priority": 0, "preemptionPolicy": "PreemptLowerPriority",
            "tolerations": [
                {"key": "node.kubernetes.io/not-ready", "operator": "Exists",
                 "effect": "NoExecute", "tolerationSeconds": 300},
                {"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                 "effect": "NoExecute", "tolerationSeconds": 300}],
        },
        "status": running_status(rng, containers, node, now),
    }


def app_container(rng: random.Random, app: str, namespace: str, version: str) -> dict:
    return {
        "name": app,
        "image": f"registry.example.com/{namespace}/{app}:{version}",
        "imagePullPolicy": "IfNotPresent",
        "args": [f"--log-level={rng.choice(['info', 'warn'])}"],
        "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"},
                  {"name": "metrics", "containerPort": 9102, "protocol": "TCP"}],
        "env": [
            {"name": "APP_NAME", "value": app},
            {"name": "APP_ENV", "value": "production"},
            {"name": "DATABASE_URL", "value": f"postgres://{app}@db.{namespace}.svc:5432/{app}"},
            {"name": "POD_IP", "valueFrom": {"fieldRef": {"apiVersion": "v1",
                                                           "fieldPath": "status.podIP"}}},
        ],
        "resources": {"requests": {"cpu": f"{rng.choice([100, 250, 500])}m",
                                   "memory": f"{rng.choice([128, 256, 512])}Mi"},
                      "limits": {"cpu": "1", "memory": "1Gi"}},
        "volumeMounts": [{"name": "config", "mountPath": "/etc/app", "readOnly": True},
                         {"name": "tmp", "mountPath": "/tmp"}],
        "readinessProbe": {"httpGet": {"path": "/healthz/ready", "port": 8080, "scheme": "HTTP"},
                           "periodSeconds": 5, "timeoutSeconds": 1, "successThreshold": 1,
                           "failureThreshold": 3},
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
    }


def sidecar_container(name: str, image: str, port: int, cpu: str, memory: str) -> dict:
    return {
        "name": name, "image": image, "imagePullPolicy": "IfNotPresent",
        "ports": [{"name": "admin", "containerPort": port, "protocol": "TCP"}],
        "resources": {"requests": {"cpu": cpu, "memory": memory}, "limits": {"memory": memory}},
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
    }


def running_status(rng: random.Random, containers: list[dict], node: int, now: str) -> dict:
    host_ip = f"10.0.{node}.{10 + node}"
    pod_ip = f"10.244.{node}.{rng.randint(2, 254)}"
    return {
        "phase": "Running",
        "conditions": [
            {"type": kind, "status": "True", "lastProbeTime": None, "lastTransitionTime": now}
            for kind in ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
                         "PodScheduled")],
        "hostIP": host_ip, "hostIPs": [{"ip": host_ip}],
        "podIP": pod_ip, "podIPs": [{"ip": pod_ip}],
        "startTime": now,
        "qosClass": "Burstable",
        "containerStatuses": [{
            "name": container["name"], "image": container["image"],
            "imageID": f"{container['image'].rsplit(':', 1)[0]}@sha256:{_hex(rng)}",
            "containerID": f"containerd://{_hex(rng)}",
            "ready": True, "started": True, "restartCount": 0,
            "state": {"running": {"startedAt": now}}, "lastState": {},
        } for container in containers],
    }


def pending_status(containers: list[dict], node: int, now: str) -> dict:
    """A just-scheduled pod whose containers are still being created."""
    host_ip = f"10.0.{node}.{10 + node}"
    not_ready = {"status": "False", "reason": "ContainersNotReady",
                 "message": "containers with unready status: ["
                            + " ".join(c["name"] for c in containers) + "]"}
    return {
        "phase": "Pending",
        "conditions": [
            {"type": "PodReadyToStartContainers", "status": "False", "lastProbeTime": None,
             "lastTransitionTime": now},
            {"type": "Initialized", "status": "True", "lastProbeTime": None,
             "lastTransitionTime": now},
            {"type": "Ready", "lastProbeTime": None, "lastTransitionTime": now, **not_ready},
            {"type": "ContainersReady", "lastProbeTime": None, "lastTransitionTime": now,
             **not_ready},
            {"type": "PodScheduled", "status": "True", "lastProbeTime": None,
             "lastTransitionTime": now}],
        "hostIP": host_ip, "hostIPs": [{"ip": host_ip}],
        "startTime": now,
        "qosClass": "Burstable",
        "containerStatuses": [{
            "name": container["name"], "image": container["image"], "imageID": "",
            "ready": False, "started": False, "restartCount": 0,
            "state": {"waiting": {"reason": "ContainerCreating"}}, "lastState": {},
        } for container in containers],
    }


def node_index(pod: dict) -> int:
    name = str((pod.get("spec") or {}).get("nodeName") or "")
    suffix = name[len(SYNTHETIC_NODE_PREFIX):]
    return int(suffix) if suffix.isdigit() else 0


def create_synthetic_pod(store, pod: dict) -> dict:
    """Store a builder-made pod as it is, status included, in one ADDED event.

    This skips the store's defaulting and validation (10,000 pods must load in seconds); the
    builder already writes every default, `load_synthetic_pods` checks one pod per load through
    a dry-run create, and the tests validate a sample.
    """
    return store.insert_prepared("pods", pod)


def load_synthetic_pods(store, count: int, *, seed: int = 0,
                        namespaces: int = NAMESPACE_COUNT) -> list[tuple[str, str]]:
    """Create the namespaces and `count` Running pods spread evenly over them; returns the
    (namespace, name) keys in creation order. Call on the loop thread."""
    rng = random.Random(seed)
    names = namespace_names(namespaces)
    for name in names:
        if store.get("namespaces", "", name) is None:
            store.create("namespaces", namespace_object(name), manager="kubetui-synthetic")
    now = rfc3339(store.clock())
    keys = []
    for index in range(count):
        namespace = names[index % len(names)]
        pod = synthetic_pod(rng, namespace, now)
        if index == 0:
            store.create("pods", pod, dry_run=True)  # the builder must stay valid: fail loudly
        while store.get("pods", namespace, pod["metadata"]["name"]) is not None:
            pod = synthetic_pod(rng, namespace, now)
        create_synthetic_pod(store, pod)
        keys.append((namespace, pod["metadata"]["name"]))
    return keys
