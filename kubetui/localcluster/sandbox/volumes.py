"""What each of a container's volumeMounts shows inside the simulated container.

Only the pod spec, objects from the local cluster's own store and what the pod's containers
wrote are read: an emptyDir, a hostPath or a PVC holds what the containers' programs wrote into
it (the host is never touched) plus what exec sessions saved in its layer; configMap/secret/
downwardAPI/projected volumes become read-only files. The service-account token mount that
admission would add is included unless the pod opts out. Output is plain JSON-able dicts:
`{"path", "read_only", "files": {relative path: text}}`, or `{"path", "file": text}` for a
subPath that names a single file.
"""

from __future__ import annotations

import base64
import json
import posixpath
from typing import Mapping

from kubetui.localcluster.sandbox.shared_files import SHARED_SOURCES
from kubetui.localcluster.sandbox.podenv import Lookup, field_value, resource_value

SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"
_FAKE_CA = ("-----BEGIN CERTIFICATE-----\n"
            "MIIBdzCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAjMSEwHwYDVQQDDBhrdWJldHVp\n"
            "LWxvY2FsLWNsdXN0ZXItY2EwHhcNMjYwMTAxMDAwMDAwWhcNMzYwMTAxMDAwMDAw\n"
            "-----END CERTIFICATE-----\n")


def _b64url(data: dict) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _token(namespace: str, account: str) -> str:
    """A JWT-shaped placeholder: it names the account but is signed by nothing."""
    header = _b64url({"alg": "RS256", "kid": "kubetui-local-cluster"})
    claims = _b64url({"aud": ["https://kubernetes.default.svc.cluster.local"],
                      "iss": "https://kubernetes.default.svc.cluster.local",
                      "sub": f"system:serviceaccount:{namespace}:{account}"})
    return f"{header}.{claims}.bm90LWEtcmVhbC1zaWduYXR1cmU"


def _decode(value: str) -> str:
    try:
        return base64.b64decode(value).decode("utf-8", "replace")
    except ValueError:
        return ""


def _keyed_files(obj: dict | None, items: list | None, secret: bool) -> dict[str, str]:
    if obj is None:
        return {}
    data = {k: (_decode(v) if secret else str(v)) for k, v in (obj.get("data") or {}).items()}
    if not secret:
        data.update({k: _decode(v) for k, v in (obj.get("binaryData") or {}).items()})
    if not items:
        return data
    return {item.get("path", item.get("key", "")): data[item["key"]]
            for item in items if item.get("key") in data}


def _downward_files(pod: dict, container: dict, items: list, node_ip: str) -> dict[str, str]:
    files = {}
    for item in items or []:
        if "fieldRef" in item:
            files[item.get("path", "")] = field_value(pod, item["fieldRef"].get("fieldPath", ""),
                                                      node_ip)
        elif "resourceFieldRef" in item:
            files[item.get("path", "")] = resource_value(container, item["resourceFieldRef"])
    return files


def _volume_files(pod: dict, container: dict, volume: dict, lookup: Lookup | None,
                  node_ip: str) -> tuple[dict[str, str], bool]:
    """(files, always_read_only) for one volume definition."""
    namespace = (pod.get("metadata") or {}).get("namespace") or "default"
    account = (pod.get("spec") or {}).get("serviceAccountName") or "default"

    def fetch(plural: str, name: str) -> dict | None:
        return lookup(plural, name) if lookup else None

    if "configMap" in volume:
        source = volume["configMap"]
        return _keyed_files(fetch("configmaps", source.get("name", "")), source.get("items"),
                            False), True
    if "secret" in volume:
        source = volume["secret"]
        return _keyed_files(fetch("secrets", source.get("secretName", "")), source.get("items"),
                            True), True
    if "downwardAPI" in volume:
        return _downward_files(pod, container, volume["downwardAPI"].get("items"), node_ip), True
    if "projected" in volume:
        files: dict[str, str] = {}
        for source in volume["projected"].get("sources") or []:
            if "configMap" in source:
                ref = source["configMap"]
                files.update(_keyed_files(fetch("configmaps", ref.get("name", "")),
                                          ref.get("items"), False))
            elif "secret" in source:
                ref = source["secret"]
                files.update(_keyed_files(fetch("secrets", ref.get("name", "")),
                                          ref.get("items"), True))
            elif "downwardAPI" in source:
                files.update(_downward_files(pod, container, source["downwardAPI"].get("items"),
                                             node_ip))
            elif "serviceAccountToken" in source:
                path = source["serviceAccountToken"].get("path", "token")
                files[path] = _token(namespace, account)
        return files, True
    return {}, False  # emptyDir, hostPath, persistentVolumeClaim, …: an empty directory


def container_mounts(pod: dict, container: dict, lookup: Lookup | None, node_ip: str,
                     shared: Mapping[str, Mapping[str, tuple[str, float]]] | None = None,
                     layers: Mapping[str, str] | None = None) -> list[dict]:
    """`shared`: what the pod's containers wrote so far into each shared volume; `layers`:
    the file that keeps each shared volume's changes across exec sessions (layers.py)."""
    spec = pod.get("spec") or {}
    namespace = (pod.get("metadata") or {}).get("namespace") or "default"
    volumes = {v.get("name"): v for v in spec.get("volumes") or []}
    mounts: list[dict] = []
    for mount in container.get("volumeMounts") or []:
        volume = volumes.get(mount.get("name"))
        if volume is None:
            continue
        name = str(mount.get("name"))
        files, read_only = _volume_files(pod, container, volume, lookup, node_ip)
        writable_shared = any(key in volume for key in SHARED_SOURCES)
        mtimes: dict[str, float] = {}
        if writable_shared:
            written = (shared or {}).get(name, {})
            files = {path: text for path, (text, _) in written.items()}
            mtimes = {path: mtime for path, (_, mtime) in written.items()}
        read_only = read_only or bool(mount.get("readOnly"))
        sub_path = (mount.get("subPath") or "").strip("/")
        path = mount.get("mountPath", "")
        if sub_path and sub_path in files:
            mounts.append({"path": path, "read_only": read_only, "file": files[sub_path]})
            continue
        if sub_path:
            files = {posixpath.relpath(k, sub_path): v for k, v in files.items()
                     if k.startswith(sub_path + "/")}
        entry: dict = {"path": path, "read_only": read_only, "files": files, "volume": name}
        if mtimes and not sub_path:
            entry["mtimes"] = mtimes
        if writable_shared and not sub_path and (layers or {}).get(name):
            entry["layer"] = layers[name]  # type: ignore[index]
        mounts.append(entry)
    wants_token = spec.get("automountServiceAccountToken", True)
    if wants_token and not any(m["path"].rstrip("/") == SERVICE_ACCOUNT_DIR for m in mounts):
        account = spec.get("serviceAccountName") or "default"
        root_ca = lookup("configmaps", "kube-root-ca.crt") if lookup is not None else None
        ca = ((root_ca or {}).get("data") or {}).get("ca.crt") or _FAKE_CA  # the cluster's, once published
        mounts.append({"path": SERVICE_ACCOUNT_DIR, "read_only": True,
                       "files": {"ca.crt": ca, "namespace": namespace,
                                 "token": _token(namespace, account)}})
    return mounts
