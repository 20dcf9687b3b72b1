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
                  kill: bool = False, grace_period: int | None = None, dry_run: bool = False) -> str:
    """Delete (or, with ``kill``, force-delete at once) and return kubectl's line for it;
    ``grace_period`` is `--grace-period`, ``dry_run`` `--dry-run=server`.

    Raises `KubetuiError` with the server's words (403, 404, ...).
    """
    body: dict[str, Any] = {"propagationPolicy": "Background"}
    if kill:
        body = {"gracePeriodSeconds": 0, **body}
    elif grace_period is not None:
        body = {"gracePeriodSeconds": grace_period, **body}
    namespace = namespace if resource.namespaced else None
    query = [("dryRun", "All")] if dry_run else None
    call(api_client, "DELETE", resource_path(resource, namespace, name), query, body=body)
    return deleted_message(resource, namespace, name, kill=kill, dry_run="server" if dry_run else "")


def deleted_message(resource: ApiResource, namespace: str | None, name: str, *, kill: bool = False,
                    dry_run: str = "") -> str:
    """`pod "x" deleted from default namespace`, `namespace "x" deleted`, `... force deleted ...`,
    `... deleted (server dry run)`."""
    operation = "force deleted" if kill else "deleted"
    line = f'{resource.kind_text} "{name}" {operation}'
    line = f"{line} from {namespace} namespace" if resource.namespaced and namespace else line
    return f"{line} ({dry_run} dry run)" if dry_run == "server" else f"{line} (dry run)" if dry_run else line

