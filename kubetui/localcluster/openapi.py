"""A stub OpenAPI v3: just enough for kubectl's default (strict) field validation probe.

Key decisions: each group-version document lists, per resource, the item path's PATCH operation
with `x-kubernetes-group-version-kind` and the `fieldValidation` / `dryRun` query parameters.
That is what client-go's QueryParamVerifierV3 looks for before sending `fieldValidation=Strict`.
No schemas and no PATCH requestBody: kubectl's client-side apply then builds strategic merge
patches from its compiled-in types, which are exact for the built-in kinds served here.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from kubetui.localcluster.discovery import GIT_VERSION
from kubetui.localcluster.resources import ResourceRegistry, ResourceType

_QUERY_PARAMETERS = ("dryRun", "fieldManager", "fieldValidation", "force")


def _prefix(group: str, version: str) -> str:
    return f"apis/{group}/{version}" if group else f"api/{version}"


def _patch_operation(resource: ResourceType) -> dict[str, Any]:
    return {
        "operationId": f"patch{resource.kind}",
        "x-kubernetes-action": "patch",
        "x-kubernetes-group-version-kind": {"group": resource.group, "version": resource.version,
                                            "kind": resource.kind},
        "parameters": [{"name": name, "in": "query", "schema": {"type": "string",
                                                                "uniqueItems": True}}
                       for name in _QUERY_PARAMETERS],
        "responses": {"200": {"description": "OK"}, "201": {"description": "Created"}},
    }


def group_version_document(registry: ResourceRegistry, group: str, version: str) -> dict | None:
    resources = registry.in_group_version(group, version)
    if not resources:
        return None
    paths: dict[str, Any] = {}
    for resource in resources:
        scope = "/namespaces/{namespace}" if resource.namespaced else ""
        item = f"/{_prefix(group, version)}{scope}/{resource.plural}/{{name}}"
        paths[item] = {"patch": _patch_operation(resource)}
    return {"openapi": "3.0.0", "info": {"title": "Kubernetes", "version": GIT_VERSION},
            "paths": paths, "components": {"schemas": {}}}


def _hash(document: dict) -> str:
    return hashlib.sha512(orjson.dumps(document, option=orjson.OPT_SORT_KEYS)).hexdigest().upper()


def index(registry: ResourceRegistry) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for group, versions in registry.group_versions().items():
        for version in versions:
            document = group_version_document(registry, group, version)
            prefix = _prefix(group, version)
            paths[prefix] = {"serverRelativeURL": f"/openapi/v3/{prefix}?hash={_hash(document)}"}
    return {"paths": paths}
