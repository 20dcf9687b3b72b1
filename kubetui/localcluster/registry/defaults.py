"""Defaulting, as kube-apiserver does it on every write (scheme defaults + default admission).

Key decision: every function only fills what is missing (setdefault-style) and skips values of
the wrong type instead of failing, so it is idempotent, safe to run again after each patch, and
leaves type errors to validation. Pod-only defaults (service account, tolerations, priority,
enableServiceLinks) are not applied to pod templates, exactly like the real server.
"""

from __future__ import annotations

import base64
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


def default_secret(secret: dict) -> None:
    """`type` defaults to Opaque; `stringData` is write-only: merged into `data` (base64),
    its values winning, then dropped, as the v1 → internal conversion does it."""
    secret.setdefault("type", "Opaque")
    string_data = secret.pop("stringData", None)
    if isinstance(string_data, dict) and string_data:
        data = secret.get("data") if isinstance(secret.get("data"), dict) else {}
        for key, value in string_data.items():
            data[key] = base64.b64encode(str(value).encode()).decode("ascii")
        secret["data"] = data


def default_job_spec_template(spec: dict) -> None:
    template = spec.get("template")
    if isinstance(template, dict) and isinstance(template.get("spec"), dict):
        default_pod_spec(template["spec"])


def default_job(job: dict) -> None:
    """SetDefaults_Job."""
    spec = _dict(job, "spec")
    if spec is None:
        return
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
    spec.setdefault("parallelism", 1)
    spec.setdefault("backoffLimit", 2147483647 if spec.get("backoffLimitPerIndex") is not None else 6)
    spec.setdefault("completionMode", "NonIndexed")
    spec.setdefault("suspend", False)
    spec.setdefault("podReplacementPolicy", "Failed" if spec.get("podFailurePolicy") else "TerminatingOrFailed")
    spec.setdefault("manualSelector", False)
    default_job_spec_template(spec)
    _labels_from_template(job)
    job.setdefault("status", {})


def _labels_from_template(job: dict) -> None:
    """A Job without labels takes its pod template's (done on every read in the real server)."""
    meta = job.get("metadata")
    template = (job.get("spec") or {}).get("template")
    labels = (template.get("metadata") or {}).get("labels") if isinstance(template, dict) else None
    if isinstance(meta, dict) and isinstance(labels, dict) and labels and not meta.get("labels"):
        meta["labels"] = dict(labels)


def generate_job_selector(job: dict) -> None:
    """The Job strategy's PrepareForCreate (the uid is known by now): unless manualSelector,
    the pod template gets the job-name and controller-uid labels and the selector picks the
    controller-uid one."""
    spec = job.get("spec")
    meta = job.get("metadata") or {}
    if not isinstance(spec, dict) or spec.get("manualSelector") is True:
        return
    template = _dict(spec, "template")
    template_meta = _dict(template, "metadata") if template is not None else None
    labels = _dict(template_meta, "labels") if template_meta is not None else None
    if labels is None:
        return
    for key in ("job-name", "batch.kubernetes.io/job-name"):
        labels.setdefault(key, meta.get("name", ""))
    for key in ("controller-uid", "batch.kubernetes.io/controller-uid"):
        labels.setdefault(key, meta.get("uid", ""))
    selector = _dict(spec, "selector")
    match = _dict(selector, "matchLabels") if selector is not None else None
    if match is not None:
        match.setdefault("batch.kubernetes.io/controller-uid", meta.get("uid", ""))
    _labels_from_template(job)


def default_cronjob(cronjob: dict) -> None:
    """SetDefaults_CronJob (the job template's pod spec is defaulted too, not its JobSpec)."""
    spec = _dict(cronjob, "spec")
    if spec is None:
        return
    spec.setdefault("concurrencyPolicy", "Allow")
    spec.setdefault("suspend", False)
    spec.setdefault("successfulJobsHistoryLimit", 3)
    spec.setdefault("failedJobsHistoryLimit", 1)
    job_template = spec.get("jobTemplate")
    if isinstance(job_template, dict) and isinstance(job_template.get("spec"), dict):
        default_job_spec_template(job_template["spec"])
    cronjob.setdefault("status", {})


def default_endpoints(endpoints: dict) -> None:
    for subset in _dicts(endpoints.get("subsets")):
        for port in _dicts(subset.get("ports")):
            port.setdefault("protocol", "TCP")


def default_endpoint_slice(endpoint_slice: dict) -> None:
    for port in _dicts(endpoint_slice.get("ports")):
        port.setdefault("name", "")
        port.setdefault("protocol", "TCP")
