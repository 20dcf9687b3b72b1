"""OpenAPI v3 (/openapi/v3 and one document per group-version): the schemas of what is
served, for `kubectl explain`, and what kubectl's strict field validation probes for.

Key decisions: the component schemas are Kubernetes 1.37's own (openapi_schemas.json.gz, made
by tools/make_openapi_schemas.py), and a group-version document carries the schemas its kinds
reach, found by their `x-kubernetes-group-version-kind` as kubectl finds them. Each resource's
item path lists the PATCH operation with its GVK and the `fieldValidation` / `dryRun` query
parameters, which is what client-go's QueryParamVerifierV3 looks for before sending
`fieldValidation=Strict`. There is deliberately no PATCH requestBody: kubectl's client-side apply
then keeps building strategic merge patches from its compiled-in types, which are exact for the
built-in kinds served here.
"""

from __future__ import annotations

import gzip
import hashlib
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator

import orjson

from kubetui.localcluster.registry.discovery import GIT_VERSION
from kubetui.localcluster.registry.resources import ResourceRegistry, ResourceType

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


@lru_cache(maxsize=1)
def _schemas() -> dict[str, dict]:
    data = resources.files("kubetui.localcluster.registry").joinpath("openapi_schemas.json.gz").read_bytes()
    return orjson.loads(gzip.decompress(data))


@lru_cache(maxsize=1)
def _by_kind() -> dict[tuple[str, str, str], str]:
    """(group, version, kind) -> schema name; the first listed GVK wins (DeleteOptions has many)."""
    found: dict[tuple[str, str, str], str] = {}
    for name, schema in _schemas().items():
        for gvk in schema.get("x-kubernetes-group-version-kind") or []:
            found.setdefault((gvk.get("group", ""), gvk.get("version", ""), gvk.get("kind", "")), name)
    return found


def _references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value.rsplit("/", 1)[-1]
            else:
                yield from _references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value)


def _kinds(resources_: list[ResourceType]) -> list[tuple[str, str, str]]:
    """The kinds a group-version document describes: each resource and its list, the kinds of
    its subresources, and Status / DeleteOptions that every delete path refers to."""
    kinds = [("", "v1", "Status"), ("", "v1", "DeleteOptions")]
    for resource in resources_:
        kinds += [(resource.group, resource.version, resource.kind),
                  (resource.group, resource.version, resource.list_kind)]
        for sub in resource.subresources:
            if sub.group and sub.version:
                kinds.append((sub.group, sub.version, sub.kind))
    return kinds


def _component_schemas(resources_: list[ResourceType]) -> dict[str, dict]:
    schemas, by_kind = _schemas(), _by_kind()
    kept: dict[str, dict] = {}
    pending = [by_kind[kind] for kind in _kinds(resources_) if kind in by_kind]
    while pending:
        name = pending.pop()
        if name in kept or name not in schemas:
            continue
        kept[name] = schemas[name]
        pending.extend(_references(schemas[name]))
    return dict(sorted(kept.items()))


def group_version_document(registry: ResourceRegistry, group: str, version: str) -> dict | None:
    served = list(registry.in_group_version(group, version))
    if not served:
        return None
    paths: dict[str, Any] = {}
    for resource in served:
        scope = "/namespaces/{namespace}" if resource.namespaced else ""
        item = f"/{_prefix(group, version)}{scope}/{resource.plural}/{{name}}"
        paths[item] = {"patch": _patch_operation(resource)}
    return {"openapi": "3.0.0", "info": {"title": "Kubernetes", "version": GIT_VERSION},
            "paths": paths, "components": {"schemas": _component_schemas(served)}}


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
