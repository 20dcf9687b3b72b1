"""GETs of any resource as `kubectl get` sends them: server-printed Tables or plain JSON, as dicts.

Key decisions: one request per list, without `limit` (one consistent snapshot, and no round
trip per 500 objects as kubectl's chunks cost), parsed by orjson through
`requesting.open_get`/`read_json`; the Table is asked for as kubectl asks, with
`includeObject=None` when the rows' metadata is not needed (no NAMESPACE column, no names to
print), which spares the server serializing every object's metadata.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from kubetui.kube.requesting import open_get, read_json
from kubetui.model.resource_names import ApiResource

__all__ = ["TABLE_ACCEPT", "get_json", "get_table", "resource_path"]

# kubectl's Accept for human-readable output: a Table, or the plain object from a server that
# cannot print one.
TABLE_ACCEPT = ("application/json;as=Table;v=v1;g=meta.k8s.io,"
                "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json")
GET_TIMEOUT = (10.0, 60.0)


def resource_path(resource: ApiResource, namespace: str | None, name: str | None = None) -> str:
    """`/api/v1/pods`, `/apis/apps/v1/namespaces/x/deployments/y`: a namespace of None lists
    across all namespaces, and cluster-scoped kinds ignore it."""
    base = f"/apis/{resource.group}/{resource.version}" if resource.group else f"/api/{resource.version}"
    if resource.namespaced and namespace is not None:
        base = f"{base}/namespaces/{quote(namespace, safe='')}"
    path = f"{base}/{resource.plural}"
    return f"{path}/{quote(name, safe='')}" if name is not None else path


def _query(label_selector: str | None, field_selector: str | None) -> list[tuple[str, str]]:
    query = []
    if label_selector:
        query.append(("labelSelector", label_selector))
    if field_selector:
        query.append(("fieldSelector", field_selector))
    return query


def get_table(api_client: Any, resource: ApiResource, namespace: str | None, *, name: str | None = None,
              label_selector: str | None = None, field_selector: str | None = None,
              with_metadata: bool = True) -> dict:
    """The server-printed Table of a list (or of one object when `name` is given)."""
    query = _query(label_selector, field_selector)
    if not with_metadata:
        query.append(("includeObject", "None"))
    response = open_get(api_client, resource_path(resource, namespace, name), query, timeout=GET_TIMEOUT,
                        accept=TABLE_ACCEPT)
    return _object(read_json(response))


def get_json(api_client: Any, resource: ApiResource, namespace: str | None, *, name: str | None = None,
             label_selector: str | None = None, field_selector: str | None = None) -> dict:
    """The plain JSON of a list (or of one object when `name` is given)."""
    response = open_get(api_client, resource_path(resource, namespace, name),
                        _query(label_selector, field_selector), timeout=GET_TIMEOUT)
    return _object(read_json(response))


def _object(body: Any) -> dict:
    if not isinstance(body, dict):
        raise ValueError("the server answered something that is not a JSON object")
    return body
