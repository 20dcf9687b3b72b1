"""The names of a kind's objects, for completion: one list request, metadata only where served.

Key decision: kubectl's own metadata-only Accept (`PartialObjectMetadataList`, falling back to
plain JSON for a server that cannot send it) and a `limit`, so completing a name never pulls
every object's spec and status across the wire.
"""

from __future__ import annotations

from typing import Any

from kubetui.kube.api_requests import call_json
from kubetui.kube.table_listing import resource_path
from kubetui.model.resource_names import ApiResource

__all__ = ["object_names"]

METADATA_ACCEPT = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json"
LIMIT = 500
TIMEOUT = (5.0, 10.0)


def object_names(api_client: Any, resource: ApiResource, namespace: str | None) -> list[str]:
    """Sorted names of (up to `LIMIT`) objects of ``resource`` in ``namespace`` (None: all)."""
    body = call_json(api_client, "GET", resource_path(resource, namespace), [("limit", str(LIMIT))],
                     accept=METADATA_ACCEPT, timeout=TIMEOUT)
    items = (body or {}).get("items") or [] if isinstance(body, dict) else []
    return sorted({str((item.get("metadata") or {}).get("name") or "") for item in items if isinstance(item, dict)}
                  - {""})
