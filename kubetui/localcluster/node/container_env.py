"""A container's environment as the kubelet builds it, and the errors that stop a start.

Key decisions: the order is the kubelet's (service links, then envFrom, then env, later entries
winning), `valueFrom` reads the live pod (fieldRef), ConfigMaps and Secrets from the store, and
a missing reference is a `ConfigError` whose text is the kubelet's CreateContainerConfigError
message (`configmap "x" not found`, `couldn't find key k in ConfigMap ns/x`).
"""

from __future__ import annotations

import base64
import re
from typing import Callable

Lookup = Callable[[str, str, str], "dict | None"]  # (plural, namespace, name) -> object
KUBERNETES_SERVICE = {
    "KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443",
    "KUBERNETES_SERVICE_PORT_HTTPS": "443", "KUBERNETES_PORT": "tcp://10.96.0.1:443",
    "KUBERNETES_PORT_443_TCP": "tcp://10.96.0.1:443", "KUBERNETES_PORT_443_TCP_PROTO": "tcp",
    "KUBERNETES_PORT_443_TCP_PORT": "443", "KUBERNETES_PORT_443_TCP_ADDR": "10.96.0.1",
}
_LABEL_PATH = re.compile(r"^metadata\.(labels|annotations)\['(.+)'\]$")


class ConfigError(Exception):
    """The container cannot be created: CreateContainerConfigError with this message."""


def container_env(pod: dict, container: dict, lookup: Lookup) -> dict[str, str]:
    """Name -> value for everything the kubelet puts into the container's environment."""
    meta = pod.get("metadata") or {}
    namespace = meta.get("namespace") or "default"
    env: dict[str, str] = dict(KUBERNETES_SERVICE)  # always, whatever enableServiceLinks says
    for source in container.get("envFrom") or []:
        env.update(_env_from(source, namespace, lookup))
    for entry in container.get("env") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        if "valueFrom" in entry:
            value = _value_from(entry["valueFrom"] or {}, pod, container, namespace, lookup)
            if value is None:
                continue
        else:
            value = _expand(str(entry.get("value", "")), env)
        env[entry["name"]] = value
    return env


def _expand(text: str, env: dict[str, str]) -> str:
    """`$(VAR)` references to earlier variables, as in command and args."""
    def replace(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        return env.get(match.group(1), match.group(0))
    return re.sub(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)", replace, text)


def _get(lookup: Lookup, plural: str, namespace: str, name: str) -> dict | None:
    try:
        return lookup(plural, namespace, name)
    except (KeyError, LookupError):
        return None


def _data(obj: dict, secret: bool) -> dict[str, str]:
    data: dict[str, str] = {}
    if secret:
        for key, value in (obj.get("data") or {}).items():
            try:
                data[key] = base64.b64decode(str(value)).decode("utf-8", "replace")
            except ValueError:
                data[key] = ""
        data.update({k: str(v) for k, v in (obj.get("stringData") or {}).items()})
    else:
        data.update({k: str(v) for k, v in (obj.get("data") or {}).items()})
    return data


def _env_from(source: dict, namespace: str, lookup: Lookup) -> dict[str, str]:
    if not isinstance(source, dict):
        return {}
    prefix = str(source.get("prefix") or "")
    for key, plural, label in (("configMapRef", "configmaps", "configmap"),
                               ("secretRef", "secrets", "secret")):
        ref = source.get(key)
        if not isinstance(ref, dict):
            continue
        obj = _get(lookup, plural, namespace, str(ref.get("name", "")))
        if obj is None:
            if ref.get("optional"):
                return {}
            raise ConfigError(f'{label} "{ref.get("name", "")}" not found')
        return {prefix + k: v for k, v in _data(obj, plural == "secrets").items()}
    return {}


def _value_from(source: dict, pod: dict, container: dict, namespace: str,
                lookup: Lookup) -> str | None:
    if isinstance(source.get("fieldRef"), dict):
        return _field(pod, str(source["fieldRef"].get("fieldPath", "")))
    if isinstance(source.get("resourceFieldRef"), dict):
        return _resource(container, source["resourceFieldRef"])
    for key, plural, kind in (("configMapKeyRef", "configmaps", "ConfigMap"),
                              ("secretKeyRef", "secrets", "Secret")):
        ref = source.get(key)
        if not isinstance(ref, dict):
            continue
        name, item = str(ref.get("name", "")), str(ref.get("key", ""))
        obj = _get(lookup, plural, namespace, name)
        if obj is None:
            if ref.get("optional"):
                return None
            raise ConfigError(f'{kind.lower()} "{name}" not found')
        data = _data(obj, plural == "secrets")
        if item not in data:
            if ref.get("optional"):
                return None
            raise ConfigError(f"couldn't find key {item} in {kind} {namespace}/{name}")
        return data[item]
    return ""


def _field(pod: dict, path: str) -> str:
    meta, spec, status = pod.get("metadata") or {}, pod.get("spec") or {}, pod.get("status") or {}
    simple = {
        "metadata.name": meta.get("name"), "metadata.namespace": meta.get("namespace"),
        "metadata.uid": meta.get("uid"), "spec.nodeName": spec.get("nodeName"),
        "spec.serviceAccountName": spec.get("serviceAccountName"),
        "status.hostIP": status.get("hostIP"), "status.podIP": status.get("podIP"),
        "status.hostIPs": ",".join(i.get("ip", "") for i in status.get("hostIPs") or []),
        "status.podIPs": ",".join(i.get("ip", "") for i in status.get("podIPs") or []),
    }
    if path in simple:
        return str(simple[path] or "")
    match = _LABEL_PATH.match(path)
    if match:
        return str((meta.get(match.group(1)) or {}).get(match.group(2), ""))
    return ""


def _resource(container: dict, ref: dict) -> str:
    resources = container.get("resources") or {}
    kind, _, name = str(ref.get("resource", "")).partition(".")
    value = (resources.get(kind) or {}).get(name)
    if value is None:
        return {"cpu": "4", "memory": "8218034176", "ephemeral-storage": "105089261568"}.get(name, "0")
    return str(value)
