"""Turning a resource URL into (group, version, namespace, resource, name, subresource).

Key decision: the same rules as kube-apiserver's RequestInfoFactory, including its special case
that `/api/v1/namespaces/{name}/status` and `/finalize` are subresources of the namespace itself,
and the legacy `/watch/` path prefix.
"""

from __future__ import annotations

from dataclasses import dataclass

_NAMESPACE_SUBRESOURCES = frozenset({"status", "finalize"})


@dataclass(frozen=True)
class RequestInfo:
    group: str
    version: str
    namespace: str = ""
    plural: str = ""
    name: str = ""
    subresource: str = ""
    watch_path: bool = False  # legacy /watch/ prefix


def parse_resource_path(path: str) -> RequestInfo | None:
    """None when the path is not under /api/v1/... or /apis/{group}/{version}/...."""
    parts = [part for part in path.split("/") if part]
    if len(parts) >= 3 and parts[0] == "api":
        group, version, rest = "", parts[1], parts[2:]
    elif len(parts) >= 4 and parts[0] == "apis":
        group, version, rest = parts[1], parts[2], parts[3:]
    else:
        return None
    watch_path = rest[0] == "watch"
    if watch_path:
        rest = rest[1:]
        if not rest:
            return None
    namespace = ""
    if rest[0] == "namespaces" and len(rest) > 1:
        namespace = rest[1]
        if len(rest) > 2 and rest[2] not in _NAMESPACE_SUBRESOURCES:
            rest = rest[2:]
        else:  # the namespace object itself (or its status/finalize)
            return RequestInfo(group, version, "", "namespaces", namespace,
                               rest[2] if len(rest) > 2 else "", watch_path)
    if len(rest) > 3:
        return None
    return RequestInfo(group, version, namespace, rest[0],
                       rest[1] if len(rest) > 1 else "", rest[2] if len(rest) > 2 else "",
                       watch_path)
