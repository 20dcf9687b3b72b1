"""Deleting one object as `kubectl delete` does, and killing one as `kubectl delete --grace-period=0
--force` does, reported in kubectl's words.

Key decisions: the DeleteOptions are kubectl's (`propagationPolicy: Background`, its default
`--cascade`; `gracePeriodSeconds: 0` for a kill), so dependents and finalizers behave as they do
for kubectl; nothing waits for the object to go: the live view shows it terminating, then gone.
"""

from __future__ import annotations

from typing import Any

from kubetui.kube.api_requests import call
from kubetui.kube.table_listing import resource_path
from kubetui.model.resource_names import ApiResource

__all__ = ["delete_object", "deleted_message"]


def delete_object(api_client: Any, resource: ApiResource, namespace: str | None, name: str, *,
                  kill: bool = False) -> str:
    """Delete (or, with ``kill``, force-delete at once) and return kubectl's line for it.

    Raises `KubetuiError` with the server's words (403, 404, ...).
    """
    body: dict[str, Any] = {"propagationPolicy": "Background"}
    if kill:
        body = {"gracePeriodSeconds": 0, **body}
    namespace = namespace if resource.namespaced else None
    call(api_client, "DELETE", resource_path(resource, namespace, name), body=body)
    return deleted_message(resource, namespace, name, kill=kill)


def deleted_message(resource: ApiResource, namespace: str | None, name: str, *, kill: bool = False) -> str:
    """`pod "x" deleted from default namespace`, `namespace "x" deleted`, `... force deleted ...`."""
    operation = "force deleted" if kill else "deleted"
    line = f'{resource.kind_text} "{name}" {operation}'
    return f"{line} from {namespace} namespace" if resource.namespaced and namespace else line

