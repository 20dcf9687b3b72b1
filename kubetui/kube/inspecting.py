"""What the inspect tabs show of one object: kubectl describe's text, `kubectl get -o yaml`'s,
and the manifest to edit it from.

Key decisions: each call reads the object afresh (the tabs poll), through the GETs of `kubetui
describe` and `kubetui get -o yaml`, so the text is kubectl's own; errors are translated here,
once, into the server's words. The manifest to edit leaves out what the server writes
(`model.object_diff.strip_noise`: status, uid, resourceVersion, managedFields,
creationTimestamp, generation, selfLink), so a dry run and an apply of it change only what the
user edits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kubetui.errors import from_api_exception
from kubetui.kube.describing import describe_object, get_object
from kubetui.kube.pod_output import object_text, printable
from kubetui.model.object_diff import strip_noise
from kubetui.model.resource_names import ApiResource

__all__ = ["describe_text", "editable_yaml", "read_object", "yaml_text"]


def read_object(api_client: Any, server: str, resource: ApiResource, namespace: str | None, name: str) -> dict:
    try:
        return get_object(api_client, resource, namespace if resource.namespaced else None, name)
    except Exception as exc:
        raise from_api_exception(exc, server) from None


def describe_text(api_client: Any, server: str, resource: ApiResource, namespace: str | None, name: str, *,
                  now: datetime | None = None) -> str:
    """What `kubectl describe KIND NAME` prints now (events included, as for one object)."""
    obj = read_object(api_client, server, resource, namespace, name)
    try:
        return describe_object(api_client, server, resource, obj, now=now)
    except Exception as exc:
        raise from_api_exception(exc, server) from None


def yaml_text(obj: dict, resource: ApiResource, *, managed_fields: bool = False) -> str:
    """`kubectl get KIND NAME -o yaml` of ``obj`` (`--show-managed-fields` when asked)."""
    if managed_fields:
        document = {**obj, "apiVersion": obj.get("apiVersion") or resource.api_version,
                    "kind": obj.get("kind") or resource.kind}
    else:
        document = printable(obj, resource.api_version, resource.kind)
    return object_text(document, "yaml")


def editable_yaml(obj: dict, resource: ApiResource) -> str:
    """``obj`` as a manifest to edit and apply: without status and the server's bookkeeping."""
    return object_text(strip_noise(printable(obj, resource.api_version, resource.kind)), "yaml")
