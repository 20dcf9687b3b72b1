"""The environment a container's processes see, computed like the kubelet does.

Order: image ENV (PATH first), HOSTNAME, the container's `env` (values resolved, `$(VAR)`
expanded against earlier entries, fieldRef/resourceFieldRef/configMap/secret refs looked up),
`envFrom`, the service link variables (the `kubernetes` service always, others of the pod's
namespace when enableServiceLinks is not false), then HOME. A later definition of a name
replaces the value but keeps the first position, as a Go map-backed list would print.
"""

from __future__ import annotations

import base64
import math
import re
from typing import Callable, Iterable

Lookup = Callable[[str, str], "dict | None"]  # (plural, name) in the pod's namespace

KUBERNETES_SERVICE_IP = "10.96.0.1"
_DEFAULT_CPU, _DEFAULT_MEMORY = 2.0, 8 * 1024**3  # node allocatable when no limit is set
_NAME_OK = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")
_EXPANSION = re.compile(r"\$\$|\$\(([^)]*)\)")


def expand_references(value: str, env: dict[str, str]) -> str:
    """Kubernetes `$(VAR)` expansion: defined names expand, `$$` escapes, others stay."""
    def replace(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1)
        return env.get(name, match.group(0))
    return _EXPANSION.sub(replace, value)


def _quantity(text: str) -> float:
    suffixes = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "k": 1e3, "M": 1e6,
                "G": 1e9, "T": 1e12, "m": 1e-3}
    text = str(text).strip()
    for suffix, factor in suffixes.items():
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * factor
    return float(text)


def resource_value(container: dict, ref: dict) -> str:
    resource = ref.get("resource", "")
    kind, _, name = resource.partition(".")
    resources = container.get("resources") or {}
    raw = (resources.get(kind) or {}).get(name)
    if raw is None and kind == "requests":
        raw = (resources.get("limits") or {}).get(name)
    default = _DEFAULT_CPU if name == "cpu" else _DEFAULT_MEMORY
    amount = _quantity(raw) if raw is not None else (0.0 if kind == "requests" and name == "cpu"
                                                     else default)
    divisor = _quantity(ref.get("divisor") or "1")
    return str(max(1, math.ceil(amount / divisor)) if name == "cpu" else
               math.ceil(amount / divisor))


def field_value(pod: dict, path: str, node_ip: str) -> str:
    metadata, spec, status = (pod.get(k) or {} for k in ("metadata", "spec", "status"))
    match = re.match(r"^metadata\.(labels|annotations)\['(.*)'\]$", path)
    if match:
        return str((metadata.get(match.group(1)) or {}).get(match.group(2), ""))
    simple = {
        "metadata.name": metadata.get("name", ""),
        "metadata.namespace": metadata.get("namespace") or "default",
        "metadata.uid": metadata.get("uid", ""),
        "spec.nodeName": spec.get("nodeName", ""),
        "spec.serviceAccountName": spec.get("serviceAccountName") or "default",
        "status.hostIP": status.get("hostIP") or node_ip,
        "status.podIP": status.get("podIP", ""),
        "status.podIPs": ",".join(p.get("ip", "") for p in status.get("podIPs") or []),
        "status.hostIPs": ",".join(p.get("ip", "") for p in status.get("hostIPs") or []),
    }
    if path == "metadata.labels" or path == "metadata.annotations":
        items = metadata.get(path.split(".")[1]) or {}
        return "\n".join(f'{k}="{v}"' for k, v in sorted(items.items()))
    return str(simple.get(path, ""))


def _from_source(kind: str, ref: dict, lookup: Lookup | None) -> str | None:
    if lookup is None:
        return None
    plural = "configmaps" if kind == "configMapKeyRef" else "secrets"
    obj = lookup(plural, ref.get("name", "")) or {}
    key = ref.get("key", "")
    if plural == "configmaps":
        return (obj.get("data") or {}).get(key)
    encoded = (obj.get("data") or {}).get(key)
    if encoded is None:
        return (obj.get("stringData") or {}).get(key)
    try:
        return base64.b64decode(encoded).decode("utf-8", "replace")
    except ValueError:
        return None


def _env_from(source: dict, lookup: Lookup | None) -> Iterable[tuple[str, str]]:
    prefix = source.get("prefix", "")
    for kind, plural in (("configMapRef", "configmaps"), ("secretRef", "secrets")):
        ref = source.get(kind)
        if not ref or lookup is None:
            continue
        obj = lookup(plural, ref.get("name", "")) or {}
        for key, value in sorted((obj.get("data") or {}).items()):
            if plural == "secrets":
                try:
                    value = base64.b64decode(value).decode("utf-8", "replace")
                except ValueError:
                    continue
            if _NAME_OK.match(prefix + key):
                yield prefix + key, str(value)


def service_link_env(services: Iterable[dict]) -> list[tuple[str, str]]:
    """The docker-links style variables for each Service with a cluster IP."""
    out: list[tuple[str, str]] = []
    for service in services:
        name = (service.get("metadata") or {}).get("name", "")
        spec = service.get("spec") or {}
        ip = spec.get("clusterIP")
        ports = spec.get("ports") or []
        if not name or not ip or ip == "None" or not ports:
            continue
        prefix = name.upper().replace("-", "_")
        first = ports[0]
        out += [(f"{prefix}_SERVICE_HOST", ip), (f"{prefix}_SERVICE_PORT", str(first["port"]))]
        for port in ports:
            if port.get("name"):
                port_name = port["name"].upper().replace("-", "_")
                out.append((f"{prefix}_SERVICE_PORT_{port_name}", str(port["port"])))
        proto = (first.get("protocol") or "TCP").lower()
        out.append((f"{prefix}_PORT", f"{proto}://{ip}:{first['port']}"))
        for port in ports:
            proto = (port.get("protocol") or "TCP")
            base = f"{prefix}_PORT_{port['port']}_{proto.upper()}"
            out += [(base, f"{proto.lower()}://{ip}:{port['port']}"),
                    (f"{base}_PROTO", proto.lower()), (f"{base}_PORT", str(port["port"])),
                    (f"{base}_ADDR", ip)]
    return out


def kubernetes_service() -> dict:
    return {"metadata": {"name": "kubernetes"},
            "spec": {"clusterIP": KUBERNETES_SERVICE_IP,
                     "ports": [{"name": "https", "port": 443, "protocol": "TCP"}]}}


def container_env(pod: dict, container: dict, image_env: Iterable[tuple[str, str]],
                  hostname: str, node_ip: str, lookup: Lookup | None = None,
                  services: Iterable[dict] = ()) -> list[tuple[str, str]]:
    env: dict[str, str] = {}
    image_env = list(image_env)
    for key, value in image_env[:1]:
        env[key] = value
    env["HOSTNAME"] = hostname
    for key, value in image_env[1:]:
        env[key] = value
    declared: dict[str, str] = {}
    for entry in container.get("env") or []:
        name = entry.get("name", "")
        source = entry.get("valueFrom")
        if source is None:
            value = expand_references(str(entry.get("value", "")), declared)
        elif "fieldRef" in source:
            value = field_value(pod, source["fieldRef"].get("fieldPath", ""), node_ip)
        elif "resourceFieldRef" in source:
            value = resource_value(container, source["resourceFieldRef"])
        else:
            kind = "configMapKeyRef" if "configMapKeyRef" in source else "secretKeyRef"
            value = _from_source(kind, source.get(kind) or {}, lookup)
            if value is None:
                continue
        declared[name] = value
        env[name] = value
    for source in container.get("envFrom") or []:
        for key, value in _env_from(source, lookup):
            env.setdefault(key, value)
    links = [kubernetes_service()]
    if (pod.get("spec") or {}).get("enableServiceLinks", True):
        links += [s for s in services if (s.get("metadata") or {}).get("name") != "kubernetes"]
    for key, value in service_link_env(links):
        env.setdefault(key, value)
    env.setdefault("HOME", "/root")
    return list(env.items())
