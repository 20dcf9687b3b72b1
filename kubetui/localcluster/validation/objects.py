"""Create/update validation for the built-in kinds, returning apiserver-worded causes.

`validate(kind, obj)` returns `[{"reason", "message", "field"}]` (empty when valid) in the
order the real validators report them; `invalid(kind, name, causes)` turns them into the
422 Status. Key decision: only what kubectl users commonly trip over is checked (names,
labels, containers, ports, selectors, policies), each with the exact upstream message;
anything else is accepted rather than guessed at.
"""

from __future__ import annotations

import base64
import binascii
import json

from kubetui.localcluster.apimachinery import causes as c
from kubetui.localcluster.apimachinery.causes import as_dict, as_list, as_str
from kubetui.localcluster.apimachinery.errors import invalid
from kubetui.localcluster.validation.batch import BATCH_CHECKS, NEGATIVE, nonnegative
from kubetui.localcluster.validation.pod import (
    PROTOCOLS,
    go_labels,
    go_selector,
    validate_annotations,
    validate_label_selector,
    validate_labels,
    validate_pod_spec,
)
from kubetui.model.api_names import (
    is_config_map_key,
    is_dns1123_label,
    is_port_name,
    is_port_number,
    is_qualified_name,
    name_problems,
    namespace_problems,
)
from kubetui.model.label_selectors import LabelSelectorError, selector_from_spec

CONFIG_MAP_LIMIT = 1024 * 1024
GROUPS = {"Deployment": "apps", "ReplicaSet": "apps", "DaemonSet": "apps", "Job": "batch", "CronJob": "batch",
          "Lease": "coordination.k8s.io", "EndpointSlice": "discovery.k8s.io"}
_NAMESPACED = {"Pod", "ConfigMap", "Deployment", "ReplicaSet", "DaemonSet", "Service", "Secret", "ServiceAccount",
               "Endpoints", "EndpointSlice", "Job", "CronJob", "Lease"}


def validate(kind: str, obj: dict) -> list[dict]:
    obj = as_dict(obj)
    out = validate_object_meta(kind, obj.get("metadata"))
    check = _KIND_CHECKS.get(kind)
    if check:
        out += check(obj)
    return out


def validate_or_raise(kind: str, obj: dict) -> None:
    """Raise the 422 the apiserver would send, if `obj` has any problem."""
    problems = validate(kind, obj)
    if problems:
        name = as_str(as_dict(obj.get("metadata")).get("name"))
        raise invalid(kind, name, problems, GROUPS.get(kind, ""))


def validate_object_meta(kind: str, meta) -> list[dict]:
    meta = as_dict(meta)
    out: list[dict] = []
    generate_name = as_str(meta.get("generateName"))
    if generate_name:
        out += c.each_invalid("metadata.generateName", generate_name, name_problems(kind, generate_name, generated=True))
    name = as_str(meta.get("name"))
    if not name:
        out.append(c.required("metadata.name", "name or generateName is required"))
    else:
        out += c.each_invalid("metadata.name", name, name_problems(kind, name))
    namespace = meta.get("namespace")
    if kind in _NAMESPACED and namespace:
        out += c.each_invalid("metadata.namespace", namespace, namespace_problems(as_str(namespace)))
    generation = meta.get("generation")
    if isinstance(generation, int) and generation < 0:
        out.append(c.invalid("metadata.generation", generation, NEGATIVE))
    out += validate_labels(meta.get("labels"), "metadata.labels")
    out += validate_annotations(meta.get("annotations"), "metadata.annotations")
    for finalizer in as_list(meta.get("finalizers")):
        out += c.each_invalid("metadata.finalizers", finalizer, is_qualified_name(as_str(finalizer)))
    return out


def _pod(obj: dict) -> list[dict]:
    return validate_pod_spec(obj.get("spec"), "spec")


def _replica_spec(spec: dict, kind: str) -> list[dict]:
    """ValidateDeploymentSpec / ValidateReplicaSetSpec (their shared part)."""
    out = nonnegative(spec, "replicas", "spec")
    if kind == "ReplicaSet":
        out += nonnegative(spec, "minReadySeconds", "spec")
    raw_selector = spec.get("selector")
    selector = as_dict(raw_selector)
    if raw_selector is None:
        out.append(c.required("spec.selector"))
    else:
        out += validate_label_selector(selector, "spec.selector")
        if not _selector_is_set(selector):
            target = "daemonset" if kind == "DaemonSet" else "deployment"  # ReplicaSets say deployment too
            out.append(c.invalid("spec.selector", None, f"empty selector is invalid for {target}",
                                 printed=go_selector(selector)))
    try:
        compiled = selector_from_spec(None if raw_selector is None else selector)
    except LabelSelectorError:
        out.append(c.invalid("spec.selector", None, "invalid label selector", printed=go_selector(selector)))
        return out
    return out + _template_for_replicas(as_dict(spec.get("template")), compiled)


def _template_for_replicas(template: dict, selector) -> list[dict]:
    """ValidatePodTemplateSpecForReplicaSet, with its `spec.template.labels` quirk."""
    out: list[dict] = []
    meta = as_dict(template.get("metadata"))
    labels = as_dict(meta.get("labels"))
    if not selector.empty and not selector.matches(labels):
        out.append(c.invalid("spec.template.metadata.labels", labels, "`selector` does not match template `labels`",
                             printed=go_labels(labels)))
    out += validate_labels(meta.get("labels"), "spec.template.labels")
    out += validate_annotations(meta.get("annotations"), "spec.template.annotations")
    pod_spec = as_dict(template.get("spec"))
    out += validate_pod_spec(pod_spec, "spec.template.spec")
    if pod_spec.get("ephemeralContainers"):
        out.append(c.forbidden("spec.template.spec.ephemeralContainers", "ephemeral containers not allowed in pod template"))
    policy = pod_spec.get("restartPolicy")
    if policy not in (None, "", "Always"):
        out.append(c.not_supported("spec.template.spec.restartPolicy", policy, ("Always",)))
    if pod_spec.get("activeDeadlineSeconds") is not None:
        out.append(c.forbidden("spec.template.spec.activeDeadlineSeconds",
                               "activeDeadlineSeconds in ReplicaSet is not Supported"))
    return out


def _selector_is_set(selector) -> bool:
    selector = as_dict(selector)
    return bool(as_dict(selector.get("matchLabels")) or as_list(selector.get("matchExpressions")))


def _deployment(obj: dict) -> list[dict]:
    spec = as_dict(obj.get("spec"))
    out = _replica_spec(spec, "Deployment")
    out += _strategy(as_dict(spec.get("strategy")))
    out += nonnegative(spec, "minReadySeconds", "spec")
    out += nonnegative(spec, "revisionHistoryLimit", "spec")
    deadline = spec.get("progressDeadlineSeconds")
    if isinstance(deadline, int):
        out += nonnegative(spec, "progressDeadlineSeconds", "spec")
        min_ready = spec.get("minReadySeconds") if isinstance(spec.get("minReadySeconds"), int) else 0
        if deadline <= min_ready:
            out.append(c.invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"))
    return out


def _strategy(strategy: dict) -> list[dict]:
    kind = strategy.get("type")
    if kind not in (None, "", "Recreate", "RollingUpdate"):
        return [c.not_supported("spec.strategy.type", kind, ("Recreate", "RollingUpdate"))]
    rolling = strategy.get("rollingUpdate")
    if kind == "Recreate" and rolling is not None:
        return [c.forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'")]
    rolling = as_dict(rolling)
    if rolling and rolling.get("maxUnavailable") in (0, "0%") and rolling.get("maxSurge") in (0, "0%"):
        return [c.invalid("spec.strategy.rollingUpdate.maxUnavailable", rolling["maxUnavailable"],
                          "may not be 0 when `maxSurge` is 0")]
    return []


def _replica_set(obj: dict) -> list[dict]:
    return _replica_spec(as_dict(obj.get("spec")), "ReplicaSet")


def _daemon_set(obj: dict) -> list[dict]:
    return _replica_spec(as_dict(obj.get("spec")), "DaemonSet")


SERVICE_TYPES = ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")


def _service(obj: dict) -> list[dict]:
    spec = as_dict(obj.get("spec"))
    out: list[dict] = []
    service_type = spec.get("type") or "ClusterIP"
    if service_type not in SERVICE_TYPES:
        out.append(c.not_supported("spec.type", service_type, SERVICE_TYPES))
    ports = as_list(spec.get("ports"))
    if not ports and spec.get("clusterIP") != "None" and service_type != "ExternalName":
        out.append(c.required("spec.ports"))
    names: set = set()
    for i, port in enumerate(ports):
        port, item = as_dict(port), f"spec.ports[{i}]"
        name = as_str(port.get("name"))
        if len(ports) > 1 and not name:
            out.append(c.required(f"{item}.name"))
        elif name:
            out += c.each_invalid(f"{item}.name", name, is_dns1123_label(name))
            if name in names:
                out.append(c.duplicate(f"{item}.name", name))
            names.add(name)
        out += c.each_invalid(f"{item}.port", port.get("port"), is_port_number(port.get("port")))
        protocol = port.get("protocol")
        if protocol and protocol not in PROTOCOLS:
            out.append(c.not_supported(f"{item}.protocol", protocol, PROTOCOLS))
        target = port.get("targetPort")
        if isinstance(target, int) and target != 0:
            out += c.each_invalid(f"{item}.targetPort", target, is_port_number(target))
        elif isinstance(target, str) and target:
            out += c.each_invalid(f"{item}.targetPort", target, is_port_name(target))
    out += validate_labels(spec.get("selector"), "spec.selector")
    affinity = spec.get("sessionAffinity")
    if affinity not in (None, "", "ClientIP", "None"):
        out.append(c.not_supported("spec.sessionAffinity", affinity, ("ClientIP", "None")))
    return out


def _config_map(obj: dict) -> list[dict]:
    out: list[dict] = []
    total = 0
    data, binary = as_dict(obj.get("data")), as_dict(obj.get("binaryData"))
    for key, value in data.items():
        out += c.each_invalid(f"data[{key}]", key, is_config_map_key(key))
        if key in binary:
            out.append(c.invalid(f"data[{key}]", key, "duplicate of key present in binaryData"))
        total += len(as_str(value))
    for key, value in binary.items():
        out += c.each_invalid(f"binaryData[{key}]", key, is_config_map_key(key))
        total += len(as_str(value)) * 3 // 4
    if total > CONFIG_MAP_LIMIT:
        out.append(c.too_long("", CONFIG_MAP_LIMIT))
    return out


# Keys a Secret of each type must carry (ValidateSecret); basic-auth needs one of its two.
_SECRET_KEYS = {
    "kubernetes.io/dockercfg": (".dockercfg",), "kubernetes.io/dockerconfigjson": (".dockerconfigjson",),
    "kubernetes.io/tls": ("tls.crt", "tls.key"),
}
SECRET_LIMIT = 1024 * 1024
REDACTED = "<secret contents redacted>"


def _secret(obj: dict) -> list[dict]:
    """ValidateSecret. Values never appear in a message: the real one prints them redacted."""
    out: list[dict] = []
    data = as_dict(obj.get("data"))
    total = 0
    for key, value in data.items():
        out += c.each_invalid(f"data[{key}]", key, is_config_map_key(key))
        total += len(as_str(value)) * 3 // 4
    if total > SECRET_LIMIT:
        out.append(c.too_long("data", SECRET_LIMIT))
    kind = obj.get("type")
    if kind == "kubernetes.io/service-account-token":
        annotations = as_dict(as_dict(obj.get("metadata")).get("annotations"))
        if not annotations.get("kubernetes.io/service-account.name"):
            out.append(c.required("metadata.annotations[kubernetes.io/service-account.name]"))
    elif kind == "kubernetes.io/basic-auth":
        if "username" not in data and "password" not in data:
            out += [c.required("data[username]"), c.required("data[password]")]
    elif kind == "kubernetes.io/ssh-auth":
        if not data.get("ssh-privatekey"):
            out.append(c.required("data[ssh-privatekey]"))
    elif kind in _SECRET_KEYS:
        missing = [key for key in _SECRET_KEYS[kind] if key not in data]
        out += [c.required(f"data[{key}]") for key in missing]
        if kind != "kubernetes.io/tls" and not missing:
            out += _docker_config(_SECRET_KEYS[kind][0], as_str(data[_SECRET_KEYS[kind][0]]))
    return out


def _docker_config(key: str, encoded: str) -> list[dict]:
    try:
        json.loads(base64.b64decode(encoded))
    except (ValueError, binascii.Error):
        return [c.invalid(f"data[{key}]", REDACTED, "invalid character looking for beginning of value")]
    return []


_KIND_CHECKS = {"Pod": _pod, "Deployment": _deployment, "ReplicaSet": _replica_set, "DaemonSet": _daemon_set,
                "Service": _service, "ConfigMap": _config_map, "Secret": _secret, **BATCH_CHECKS}

__all__ = ["GROUPS", "go_selector", "invalid", "validate", "validate_annotations", "validate_label_selector",
           "validate_object_meta", "validate_or_raise"]
