"""Discovery documents: /version, /api, /apis, and the per group-version resource lists.

Key decision: only legacy discovery is served. kubectl asks for aggregated discovery first, gets
plain `application/json`, and falls back by itself. The core APIResourceList's groupVersion is
exactly "v1" (not "/v1"), or kubectl cannot map resource names.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from kubetui.localcluster.registry.resources import ResourceRegistry, ResourceType

SERVER_MAJOR, SERVER_MINOR = "1", "37"
# A plain release version, the one the nodes' kubelets report: clients compare and parse it
# (kubectl's version skew warning), and a suffix would read as a pre-release build.
GIT_VERSION = f"v{SERVER_MAJOR}.{SERVER_MINOR}.0"


def version_info() -> dict[str, str]:
    return {
        "major": SERVER_MAJOR, "minor": SERVER_MINOR,
        "emulationMajor": SERVER_MAJOR, "emulationMinor": SERVER_MINOR,
        "minCompatibilityMajor": SERVER_MAJOR, "minCompatibilityMinor": str(int(SERVER_MINOR) - 1),
        "gitVersion": GIT_VERSION, "gitCommit": "0" * 40, "gitTreeState": "clean",
        "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.25.0", "compiler": "gc",
        "platform": "linux/amd64",
    }


def api_versions(server_address: str) -> dict[str, Any]:
    return {"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0",
                                             "serverAddress": server_address}]}


def _group(name: str, versions: list[str]) -> dict[str, Any]:
    listed = [{"groupVersion": f"{name}/{v}", "version": v} for v in versions]
    return {"name": name, "versions": listed, "preferredVersion": listed[0]}


def api_group_list(registry: ResourceRegistry) -> dict[str, Any]:
    groups = [_group(name, versions)
              for name, versions in registry.group_versions().items() if name]
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def api_group(registry: ResourceRegistry, name: str) -> dict[str, Any] | None:
    versions = registry.group_versions().get(name)
    if not name or not versions:
        return None
    return {"kind": "APIGroup", "apiVersion": "v1", **_group(name, versions)}


def _storage_hash(resource: ResourceType) -> str:
    digest = hashlib.sha256(f"{resource.api_version}/{resource.kind}".encode()).digest()
    return base64.b64encode(digest[:8]).decode()


def _resource_entries(resource: ResourceType) -> list[dict[str, Any]]:
    main: dict[str, Any] = {
        "name": resource.plural, "singularName": resource.singular,
        "namespaced": resource.namespaced, "kind": resource.kind, "verbs": list(resource.verbs),
    }
    if resource.short_names:
        main["shortNames"] = list(resource.short_names)
    if resource.categories:
        main["categories"] = list(resource.categories)
    main["storageVersionHash"] = _storage_hash(resource)
    entries = [main]
    for sub in resource.subresources:
        entry = {"name": f"{resource.plural}/{sub.name}", "singularName": "",
                 "namespaced": resource.namespaced, "kind": sub.kind or resource.kind,
                 "verbs": list(sub.verbs)}
        if sub.group and sub.version:  # e.g. deployments/scale: autoscaling/v1 Scale
            entry["group"], entry["version"] = sub.group, sub.version
        entries.append(entry)
    return entries


def api_resource_list(registry: ResourceRegistry, group: str, version: str) -> dict[str, Any] | None:
    resources = registry.in_group_version(group, version)
    if not resources:
        return None
    entries = [entry for resource in resources for entry in _resource_entries(resource)]
    return {"kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": f"{group}/{version}" if group else version, "resources": entries}
