"""Writing a kubeconfig for the local cluster.

Key decisions: the CA is embedded (certificate-authority-data), never insecure-skip-tls-verify;
the file is created with mode 0600 because it holds bearer tokens; two contexts: the admin one
(current) and a read-only `viewer` one.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import yaml

CLUSTER = "kubetui-local"
ADMIN_CONTEXT = "kubetui-local"
VIEWER_CONTEXT = "kubetui-local-viewer"
ADMIN_USER = "kubetui-admin"
VIEWER_USER = "kubetui-viewer"


def kubeconfig_document(server: str, ca_pem: bytes, admin_token: str, viewer_token: str,
                        namespace: str = "default") -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "preferences": {},
        "clusters": [{"name": CLUSTER, "cluster": {
            "server": server,
            "certificate-authority-data": base64.b64encode(ca_pem).decode("ascii")}}],
        "users": [{"name": ADMIN_USER, "user": {"token": admin_token}},
                  {"name": VIEWER_USER, "user": {"token": viewer_token}}],
        "contexts": [
            {"name": ADMIN_CONTEXT, "context": {"cluster": CLUSTER, "user": ADMIN_USER,
                                                "namespace": namespace}},
            {"name": VIEWER_CONTEXT, "context": {"cluster": CLUSTER, "user": VIEWER_USER,
                                                 "namespace": namespace}},
        ],
        "current-context": ADMIN_CONTEXT,
    }


def write_kubeconfig(path: str | os.PathLike, document: dict) -> Path:
    target = Path(path).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(document, sort_keys=False)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(target, 0o600)  # O_CREAT's mode is ignored when the file already existed
    return target
