"""Reading and setting the replica count through the `scale` subresource, as `kubectl scale` does.

Key decision: a merge patch `{"spec":{"replicas":N}}` on `.../scale`, kubectl's request, so any
kind with a scale subresource works (Deployments, ReplicaSets, StatefulSets, CRDs) and the
controller sees exactly what kubectl would have sent.
"""

from __future__ import annotations

from typing import Any

from kubetui.errors import KubetuiError
from kubetui.kube.api_requests import MERGE_PATCH, call
from kubetui.kube.table_listing import resource_path
from kubetui.model.resource_names import ApiResource

__all__ = ["current_replicas", "scale"]


def current_replicas(api_client: Any, resource: ApiResource, namespace: str | None, name: str) -> int:
    """`spec.replicas` of the object's Scale. Raises `KubetuiError` with the server's words."""
    scale_object = call(api_client, "GET", _scale_path(resource, namespace, name))
    return int(((scale_object or {}).get("spec") or {}).get("replicas") or 0)


def scale(api_client: Any, resource: ApiResource, namespace: str | None, name: str, replicas: int, *,
          dry_run: bool = False) -> str:
    """Set the desired count; returns kubectl's line (`deployment.apps/x scaled`); ``dry_run``
    is `--dry-run=server`."""
    if replicas < 0:
        raise KubetuiError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
                           "Invalid count")
    call(api_client, "PATCH", _scale_path(resource, namespace, name), [("dryRun", "All")] if dry_run else None,
          body={"spec": {"replicas": replicas}}, content_type=MERGE_PATCH)
    return f"{resource.kind_text}/{name} scaled" + (" (server dry run)" if dry_run else "")


def _scale_path(resource: ApiResource, namespace: str | None, name: str) -> str:
    return resource_path(resource, namespace, name) + "/scale"

