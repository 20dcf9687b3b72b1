"""`kubectl create namespace NAME`, in kubectl's words.

Key decision: kubectl's request (a POST of the bare Namespace, field manager
`kubectl-create`), its line `namespace/NAME created`, with `(dry run)` when nothing is sent
and `(server dry run)` when the server only checked it.
"""

from __future__ import annotations

from typing import Any

from kubetui.kube.api_requests import call

__all__ = ["create_namespace"]


def create_namespace(api_client: Any, name: str, *, dry_run: str = "none") -> str:
    """Create it (unless ``dry_run`` is "client"); KubetuiError in the server's words."""
    if dry_run != "client":
        query = [("fieldManager", "kubectl-create"), ("fieldValidation", "Strict")]
        if dry_run == "server":
            query.append(("dryRun", "All"))
        call(api_client, "POST", "/api/v1/namespaces", query,
             body={"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry_run, "")
    return f"namespace/{name} created{suffix}"
