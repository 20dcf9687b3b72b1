"""Defaulting, as kube-apiserver does it on every write (scheme defaults + default admission).

Key decision: every function only fills what is missing (setdefault-style) and skips values of
the wrong type instead of failing, so it is idempotent, safe to run again after each patch, and
leaves type errors to validation. Pod-only defaults (service account, tolerations, priority,
enableServiceLinks) are not applied to pod templates, exactly like the real server.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

_NOT_READY_TOLERATIONS = (
    ("node.kubernetes.io/not-ready", 300),
    ("node.kubernetes.io/unreachable", 300),
)
_SUFFIXES = {
    "n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "": Decimal(1),
    "k": Decimal(10**3), "M": Decimal(10**6), "G": Decimal(10**9), "T": Decimal(10**12),
    "P": Decimal(10**15), "E": Decimal(10**18),
    "Ki": Decimal(2**10), "Mi": Decimal(2**20), "Gi": Decimal(2**30), "Ti": Decimal(2**40),
    "Pi": Decimal(2**50), "Ei": Decimal(2**60),
}


def _dict(parent: dict, key: str) -> dict | None:
    value = parent.setdefault(key, {})
    return value if isinstance(value, dict) else None


def _dicts(value: Any) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def image_pull_policy(image: object) -> str:
    """Always for `:latest` or no tag, IfNotPresent otherwise (digests included)."""
    if not isinstance(image, str) or "@" in image:
        return "IfNotPresent"
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return "Always"
    return "Always" if last.rsplit(":", 1)[1] == "latest" else "IfNotPresent"


def _default_probe(probe: Any) -> None:
    if not isinstance(probe, dict):
        return
    probe.setdefault("timeoutSeconds", 1)
    probe.setdefault("periodSeconds", 10)
    probe.setdefault("successThreshold", 1)
    probe.setdefault("failureThreshold", 3)
    if isinstance(probe.get("httpGet"), dict):
        probe["httpGet"].setdefault("scheme", "HTTP")


def default_container(container: dict) -> None:
    container.setdefault("terminationMessagePath", "/dev/termination-log")
    container.setdefault("terminationMessagePolicy", "File")
    container.setdefault("imagePullPolicy", image_pull_policy(container.get("image")))
    container.setdefault("resources", {})
    for port in _dicts(container.get("ports")):
        port.setdefault("protocol", "TCP")
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        _default_probe(container.get(probe))
    for env in _dicts(container.get("env")):
        field_ref = env.get("valueFrom", {}).get("fieldRef") if isinstance(
            env.get("valueFrom"), dict) else None
        if isinstance(field_ref, dict):
            field_ref.setdefault("apiVersion", "v1")


def default_pod_spec(spec: dict) -> None:
    """Scheme defaults shared by pods and pod templates."""
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("securityContext", {})
    spec.setdefault("terminationGracePeriodSeconds", 30)
    for key in ("containers", "initContainers", "ephemeralContainers"):
        for container in _dicts(spec.get(key)):
            default_container(container)
    for volume in _dicts(spec.get("volumes")):
        for source in ("configMap", "secret"):
            if isinstance(volume.get(source), dict):
                volume[source].setdefault("defaultMode", 420)


def _copy_limits_to_requests(container: dict) -> None:
    resources = container.get("resources")
    if not isinstance(resources, dict) or not isinstance(resources.get("limits"), dict):
        return
    requests = resources.setdefault("requests", {})
    if isinstance(requests, dict):
        for name, quantity in resources["limits"].items():
            requests.setdefault(name, quantity)


def default_pod(pod: dict) -> None:
    spec = _dict(pod, "spec")
    if spec is None:
        return
    default_pod_spec(spec)
    for container in _dicts(spec.get("containers")) + _dicts(spec.get("initContainers")):
        _copy_limits_to_requests(container)
    spec.setdefault("enableServiceLinks", True)
    spec.setdefault("serviceAccountName", "default")
    spec.setdefault("serviceAccount", spec["serviceAccountName"])
    spec.setdefault("priority", 0)
    spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
    tolerations = spec.setdefault("tolerations", [])
    if isinstance(tolerations, list):
        present = {t.get("key") for t in _dicts(tolerations)}
        for key, seconds in _NOT_READY_TOLERATIONS:
            if key not in present:
                tolerations.append({"key": key, "operator": "Exists", "effect": "NoExecute",
                                    "tolerationSeconds": seconds})
    status = _dict(pod, "status")
    if status is not None:
        status.setdefault("phase", "Pending")
        status.setdefault("qosClass", qos_class(spec))


def parse_quantity(text: object) -> Decimal | None:
    """A Kubernetes resource quantity ("100m", "1Gi", "0.5") as a Decimal, None if invalid."""
    if isinstance(text, (int, float)):
        return Decimal(str(text))
    if not isinstance(text, str) or not text:
        return None
    for suffix in ("Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m", "k", "M", "G", "T", "P", "E"):
        if text.endswith(suffix):
            number, scale = text[: -len(suffix)], _SUFFIXES[suffix]
            break
    else:
        number, scale = text, Decimal(1)
    try:
        return Decimal(number) * scale
    except InvalidOperation:
        return None


def qos_class(spec: dict) -> str:
    """Guaranteed / Burstable / BestEffort, from requests and limits of all containers."""
    containers = _dicts(spec.get("containers")) + _dicts(spec.get("initContainers"))
    any_set, guaranteed = False, bool(containers)
    for container in containers:
        resources = container.get("resources") if isinstance(container.get("resources"), dict) else {}
        requests = resources.get("requests") if isinstance(resources.get("requests"), dict) else {}
        limits = resources.get("limits") if isinstance(resources.get("limits"), dict) else {}
        if requests or limits:
            any_set = True
        for name in ("cpu", "memory"):
            limit = parse_quantity(limits.get(name))
            request = parse_quantity(requests.get(name, limits.get(name)))
            if limit is None or request != limit:
                guaranteed = False
    if not any_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


def _default_template(owner: dict) -> None:
    spec = owner.get("spec")
    template = spec.get("template") if isinstance(spec, dict) else None
    if isinstance(template, dict) and isinstance(template.get("spec"), dict):
        default_pod_spec(template["spec"])


def default_deployment(deployment: dict) -> None:
    spec = _dict(deployment, "spec")
    if spec is None:
        return
    spec.setdefault("replicas", 1)
    spec.setdefault("revisionHistoryLimit", 10)
    spec.setdefault("progressDeadlineSeconds", 600)
    strategy = _dict(spec, "strategy")
    if strategy is not None:
        strategy.setdefault("type", "RollingUpdate")
        if strategy["type"] == "RollingUpdate":
            rolling = _dict(strategy, "rollingUpdate")
            if rolling is not None:
                rolling.setdefault("maxUnavailable", "25%")
                rolling.setdefault("maxSurge", "25%")
    _default_template(deployment)
    deployment.setdefault("status", {})


def default_replicaset(replicaset: dict) -> None:
    spec = _dict(replicaset, "spec")
    if spec is None:
        return
    spec.setdefault("replicas", 1)
    _default_template(replicaset)
    status = _dict(replicaset, "status")
    if status is not None:
        status.setdefault("replicas", 0)


def default_daemonset(daemonset: dict) -> None:
    spec = _dict(daemonset, "spec")
    if spec is None:
        return
    strategy = _dict(spec, "updateStrategy")
    if strategy is not None:
        strategy.setdefault("type", "RollingUpdate")
        if strategy["type"] == "RollingUpdate":
            rolling = _dict(strategy, "rollingUpdate")
            if rolling is not None:
                rolling.setdefault("maxUnavailable", 1)
                rolling.setdefault("maxSurge", 0)
    spec.setdefault("revisionHistoryLimit", 10)
    _default_template(daemonset)


def default_service(service: dict) -> None:
    """Scheme defaults; cluster IPs and node ports are allocated by the store on create."""
    spec = _dict(service, "spec")
    if spec is None:
        return
    spec.setdefault("type", "ClusterIP")
    spec.setdefault("sessionAffinity", "None")
    if spec["type"] != "ExternalName":
        spec.setdefault("internalTrafficPolicy", "Cluster")
        spec.setdefault("ipFamilies", ["IPv4"])
        spec.setdefault("ipFamilyPolicy", "SingleStack")
    if spec["type"] in ("NodePort", "LoadBalancer"):
        spec.setdefault("externalTrafficPolicy", "Cluster")
    for port in _dicts(spec.get("ports")):
        port.setdefault("protocol", "TCP")
        if "port" in port:
            port.setdefault("targetPort", port["port"])
    status = _dict(service, "status")
    if status is not None:
        status.setdefault("loadBalancer", {})


def default_namespace(namespace: dict) -> None:
    metadata = namespace.get("metadata")
    if isinstance(metadata, dict) and isinstance(metadata.get("name"), str):
        labels = _dict(metadata, "labels")
        if labels is not None:
            labels["kubernetes.io/metadata.name"] = metadata["name"]
    spec = _dict(namespace, "spec")
    if spec is not None:
        spec.setdefault("finalizers", ["kubernetes"])
    status = _dict(namespace, "status")
    if status is not None:
        status.setdefault("phase", "Active")


def default_event(event: dict) -> None:
    event.setdefault("reportingComponent", "")
    event.setdefault("reportingInstance", "")
