"""What `:TYPE` names: a resource type from the server's discovery, as kubectl resolves `get TYPE`.

Key decisions: discovery is read once per connection (`/api/v1`, then each group's preferred
version under `/apis`) and cached; a name matches a plural, a singular, a short name or a kind,
optionally qualified with its group (`deployments.apps`, `deploy.apps`), core and preferred
groups first, as kubectl's RESTMapper orders them. Subresources (`pods/log`) are not types.
An unknown name is refused with kubectl's words.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from kubetui.errors import KubetuiError
from kubetui.kube.api_requests import call
from kubetui.model.api_resource import ApiResource

__all__ = ["Discovery", "discovery_for"]

_lock = threading.Lock()
_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # api client -> Discovery


class Discovery:
    """The resource types one server serves."""

    def __init__(self, resources: list[ApiResource]) -> None:
        self.resources = resources

    @classmethod
    def read(cls, api_client: Any) -> Discovery:
        resources = _group_resources(api_client, "", "v1", call(api_client, "GET", "/api/v1"))
        groups = call(api_client, "GET", "/apis") or {}
        for group in groups.get("groups") or ():
            preferred = (group.get("preferredVersion") or {}).get("version") or ""
            if not preferred:
                continue
            try:
                listing = call(api_client, "GET", f"/apis/{group['name']}/{preferred}")
            except KubetuiError:
                continue  # an aggregated API that is down must not hide the others
            resources += _group_resources(api_client, group["name"], preferred, listing)
        return cls(resources)

    def resolve(self, text: str) -> ApiResource:
        """The type `text` names; raises `KubetuiError` in kubectl's words when none does."""
        name, _, group = text.strip().lower().partition(".")
        for resource in self.resources:
            if group and resource.group != group and not resource.group.startswith(group + "."):
                continue
            if name in (resource.plural, resource.singular, resource.kind.lower(), *resource.short_names):
                return resource
        raise KubetuiError(f'the server doesn\'t have a resource type "{text.strip()}"', "Unknown type")

    def find(self, group: str, plural: str) -> ApiResource | None:
        return next((r for r in self.resources if r.group == group and r.plural == plural), None)


def discovery_for(api_client: Any) -> Discovery:
    """The cached discovery of this connection (read on first use)."""
    with _lock:
        found = _cache.get(api_client)
    if found is None:
        found = Discovery.read(api_client)
        with _lock:
            _cache[api_client] = found
    return found


def _group_resources(api_client: Any, group: str, version: str, listing: Any) -> list[ApiResource]:
    resources = []
    for entry in (listing or {}).get("resources") or ():
        name = entry.get("name") or ""
        if "/" in name or "list" not in (entry.get("verbs") or ()):
            continue
        resources.append(ApiResource(
            group=group, version=version, plural=name, kind=entry.get("kind") or "",
            namespaced=bool(entry.get("namespaced")), singular=entry.get("singularName") or "",
            short_names=tuple(entry.get("shortNames") or ()), verbs=tuple(entry.get("verbs") or ())))
    return resources
