"""List pods and namespaces as plain dicts: one request, orjson, no model classes.

Key decision: a single request without `limit` (no pagination): one consistent snapshot and a
resourceVersion to start a watch from, at the price of one big body, which orjson with the GC
paused parses several times faster than the client's models (notes §5).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from kubetui.kube.requesting import open_get, read_json

__all__ = ["list_namespaces", "list_pods", "list_query", "pods_path", "read_pod_list"]

# (connect, read) seconds: a 10,000-pod list takes well under a second locally, but a real
# cluster far away can take long to start answering.
LIST_TIMEOUT = (10.0, 60.0)


def pods_path(namespace: str | None) -> str:
    """The pods collection of one namespace, or of all namespaces when `namespace` is None."""
    if namespace is None:
        return "/api/v1/pods"
    return f"/api/v1/namespaces/{quote(namespace, safe='')}/pods"


def list_query(label_selector: str | None = None, field_selector: str | None = None) -> list[tuple[str, str]]:
    query = []
    if label_selector:
        query.append(("labelSelector", label_selector))
    if field_selector:
        query.append(("fieldSelector", field_selector))
    return query


def list_pods(api_client: Any, namespace: str | None, *, label_selector: str | None = None,
              field_selector: str | None = None,
              timeout: float | tuple[float, float] = LIST_TIMEOUT) -> tuple[list[dict], str]:
    """The pods of `namespace` (None: all namespaces) and the list's resourceVersion.

    Raises `ApiException` for an error status and urllib3 errors for transport failures.
    """
    response = open_get(api_client, pods_path(namespace), list_query(label_selector, field_selector),
                        timeout=timeout)
    return read_pod_list(response)


def read_pod_list(response: Any) -> tuple[list[dict], str]:
    """(items, resourceVersion) from an open PodList response."""
    body = read_json(response)
    if not isinstance(body, dict):
        raise ValueError("the server answered a pod list that is not a JSON object")
    items = body.get("items") or []
    resource_version = (body.get("metadata") or {}).get("resourceVersion") or ""
    return items, str(resource_version)


def list_namespaces(api_client: Any, *, timeout: float | tuple[float, float] = LIST_TIMEOUT) -> list[str]:
    """Names of all namespaces, sorted."""
    body = read_json(open_get(api_client, "/api/v1/namespaces", timeout=timeout))
    items = (body.get("items") or []) if isinstance(body, dict) else []
    return sorted(str((item.get("metadata") or {}).get("name") or "") for item in items)
