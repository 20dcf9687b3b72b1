"""The server's resource types from discovery, cached per server, for `kubetui get TYPE` and applying.

Key decisions:
* Legacy discovery (`/api`, `/api/v1`, `/apis`, `/apis/GROUP/VERSION`), which every server
  serves; the lists are kept in kubectl's priority order (core first, then the groups in the
  server's order, each group's preferred version first), which `model.resource_names` relies on.
* The lists are cached per server in our cache directory for six hours, as kubectl caches its
  discovery, so a run normally sends no discovery request at all; a type that is not found in
  a cached copy is looked up once more after a fresh discovery (kubectl's deferred mapper does
  the same), so a new CRD is found at once. A group version that fails to answer is left out,
  as kubectl leaves it out, instead of failing every type.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Any

from kubetui.kube.requesting import open_get, read_json
from kubetui.model.resource_names import (ApiResource, UnknownResourceType, for_kind, resolve,
                                          resources_from_discovery)

__all__ = ["CACHE_TTL_SECONDS", "Discovery", "cache_file", "fetch_resource_lists"]

CACHE_TTL_SECONDS = 6 * 3600
DISCOVERY_TIMEOUT = (10.0, 30.0)


def cache_file(server: str) -> Path:
    """`$XDG_CACHE_HOME/kubetui/discovery/<host_port>.json` (or ~/.cache/...), the server named
    as kubectl names its discovery cache directory."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kubetui" / "discovery"
    host = server.split("://", 1)[-1].rstrip("/").replace(":", "_")
    return base / (re.sub(r"[^\w.-]", "_", host) + ".json")


class Discovery:
    """Resource types of one server: from the cache while it is fresh, else from the server."""

    def __init__(self, api_client: Any, server: str, *, cache: Path | None = None,
                 ttl: float = CACHE_TTL_SECONDS) -> None:
        self.api_client = api_client
        self.server = server
        self.cache = cache if cache is not None else cache_file(server)
        self.ttl = ttl
        self._resources: list[ApiResource] | None = None
        self._fresh = False  # fetched from the server during this run

    def resources(self) -> list[ApiResource]:
        if self._resources is None:
            lists = self._cached_lists()
            if lists is None:
                return self.refresh()
            self._resources = resources_from_discovery(lists)
        return self._resources

    def refresh(self) -> list[ApiResource]:
        lists = fetch_resource_lists(self.api_client)
        self._write_cache(lists)
        self._resources, self._fresh = resources_from_discovery(lists), True
        return self._resources

    def resolve(self, arg: str) -> ApiResource:
        """The resource `arg` names; raises `UnknownResourceType` after a fresh discovery."""
        try:
            return resolve(arg, self.resources())
        except UnknownResourceType:
            if self._fresh:
                raise
            return resolve(arg, self.refresh())

    def for_kind(self, api_version: str, kind: str) -> ApiResource | None:
        """The resource of a manifest's apiVersion and kind; None once a fresh discovery has not
        found it either."""
        found = for_kind(api_version, kind, self.resources())
        if found is None and not self._fresh:
            found = for_kind(api_version, kind, self.refresh())
        return found

    # ------------------------------------------------------------------ cache
    def _cached_lists(self) -> list[dict] | None:
        try:
            document = json.loads(self.cache.read_bytes())  # a few KB: the stdlib's json is enough
        except (OSError, ValueError):
            return None
        if (not isinstance(document, dict) or document.get("server") != self.server
                or not isinstance(document.get("lists"), list)
                or not 0 <= time.time() - float(document.get("fetched") or 0) < self.ttl):
            return None
        return document["lists"]

    def _write_cache(self, lists: list[dict]) -> None:
        document = {"server": self.server, "fetched": time.time(), "lists": lists}
        import tempfile

        try:
            self.cache.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle, temporary = tempfile.mkstemp(dir=self.cache.parent, prefix=".discovery-")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(document, out, separators=(",", ":"))
            os.replace(temporary, self.cache)  # readers see the old file or the new, never half
        except OSError:
            pass  # a read-only cache directory only costs a discovery per run


def fetch_resource_lists(api_client: Any) -> list[dict]:
    """Every APIResourceList of the server, in kubectl's priority order."""
    lists = []
    core = _get(api_client, "/api")
    for version in (core or {}).get("versions") or ["v1"]:
        _append(lists, _get(api_client, f"/api/{version}"))
    groups = _get(api_client, "/apis")
    for group in (groups or {}).get("groups") or ():
        versions = [v.get("groupVersion") for v in group.get("versions") or () if v.get("groupVersion")]
        preferred = (group.get("preferredVersion") or {}).get("groupVersion")
        if preferred in versions:
            versions.remove(preferred)
            versions.insert(0, preferred)
        for group_version in versions:
            _append(lists, _get(api_client, f"/apis/{group_version}", optional=True))
    return lists


def _append(lists: list[dict], resource_list: Any) -> None:
    if isinstance(resource_list, dict) and resource_list.get("groupVersion"):
        lists.append(resource_list)


def _get(api_client: Any, path: str, *, optional: bool = False) -> Any:
    try:
        return read_json(open_get(api_client, path, timeout=DISCOVERY_TIMEOUT))
    except Exception as exc:  # a broken aggregated API must not hide every other group
        if optional and getattr(exc, "status", None):
            return None
        raise
