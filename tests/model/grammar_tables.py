"""Resource tables for the command-line grammar tests.

`LOCAL` is built from the discovery documents the local API server serves (the same pure
functions answer /api/v1 and /apis/apps/v1), so the names the tests resolve are the names kubectl
resolves against that server. `WITH_CRD` adds what a cluster with a custom resource and a second
`events` group lists, for the resolution rules the local server cannot show.
"""

from __future__ import annotations

from kubetui.localcluster.registry.discovery import api_resource_list
from kubetui.localcluster.registry.resources import default_registry
from kubetui.model.kubectl_grammar import ResourceTable, Target


def local_discovery() -> list[dict]:
    registry = default_registry()
    return [api_resource_list(registry, group, version)
            for group, versions in registry.group_versions().items() for version in versions]


CRONTABS = {
    "kind": "APIResourceList", "groupVersion": "stable.example.com/v1",
    "resources": [
        {"name": "crontabs", "singularName": "crontab", "namespaced": True, "kind": "CronTab",
         "verbs": ["get", "list", "watch", "create", "delete"], "shortNames": ["ct"], "categories": ["all"]},
        {"name": "crontabs/status", "singularName": "", "namespaced": True, "kind": "CronTab",
         "verbs": ["get", "patch"]},
    ],
}
NEW_EVENTS = {
    "kind": "APIResourceList", "groupVersion": "events.k8s.io/v1",
    "resources": [{"name": "events", "singularName": "event", "namespaced": True, "kind": "Event",
                   "verbs": ["get", "list"], "shortNames": ["ev"]}],
}

LOCAL = ResourceTable.from_discovery(local_discovery())
WITH_CRD = ResourceTable.from_discovery([*local_discovery(), NEW_EVENTS, CRONTABS])


def kind(name: str, table: ResourceTable = LOCAL):
    return table.resolve(name)


def target(resource: str, name: str | None = None, table: ResourceTable = LOCAL) -> Target:
    return Target(kind(resource, table), name)
