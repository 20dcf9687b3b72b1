"""`kubectl describe`, computed from plain objects: the text kubectl prints, line for line.

kubectl describes client-side: it fetches the object, its events and a few related objects,
then writes them through a tab-aligned `PrefixWriter`. This package is that second half: give
it the object (a dict as the API returned it), what `kube.describing` fetched next to it
(`Related`), `now` and the time zone, and it returns the text. Kinds with a describer of their
own here: Pod, ReplicaSet, Deployment, Node, Namespace, Service, ConfigMap, Secret (the
generic layout would print its values), Job, CronJob, ServiceAccount, Endpoints and
EndpointSlice; every other kind (Events included, as in kubectl) gets
kubectl's generic describer. Pure: no I/O, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from kubetui.model.describe.batch import describe_cronjob, describe_job
from kubetui.model.describe.endpoints import describe_endpoint_slice, describe_endpoints, describe_service_account
from kubetui.model.describe.generic import describe_generic
from kubetui.model.describe.node import describe_node
from kubetui.model.describe.pod import pod_describer_text
from kubetui.model.describe.simple_kinds import (
    describe_config_map, describe_namespace, describe_secret, describe_service)
from kubetui.model.describe.workloads import describe_deployment, describe_replica_set, split_replica_sets
from kubetui.model.event_search import WITHOUT_EVENTS  # kinds whose describer shows no events

__all__ = ["DESCRIBED_KINDS", "WITHOUT_EVENTS", "Related", "describe"]

# Describers that read only the object and its events: (object, events, now, tz) -> text.
_MORE = {
    ("batch", "Job"): describe_job,
    ("batch", "CronJob"): describe_cronjob,
    ("", "ServiceAccount"): lambda obj, events, now, tz: describe_service_account(obj, events, now),
    ("", "Endpoints"): lambda obj, events, now, tz: describe_endpoints(obj, events, now),
    ("discovery.k8s.io", "EndpointSlice"): lambda obj, events, now, tz: describe_endpoint_slice(obj, events, now),
}

# (API group, kind) → what `kube.describing` fetches for it besides the object and its events.
DESCRIBED_KINDS = {
    ("", "Pod"): (),
    ("apps", "ReplicaSet"): ("pods",),
    ("apps", "Deployment"): ("replica_sets",),
    ("", "Node"): ("pods", "lease"),
    ("", "Namespace"): ("quotas", "limit_ranges"),
    ("", "Service"): ("endpoint_slices",),
    ("", "ConfigMap"): (),
    ("", "Secret"): (),
    ("batch", "Job"): (),
    ("batch", "CronJob"): (),
    ("", "ServiceAccount"): (),
    ("", "Endpoints"): (),
    ("discovery.k8s.io", "EndpointSlice"): (),
}


@dataclass
class Related:
    """What a describer reads besides the object. `events` None: events were not asked for."""

    events: list[dict] | None = None
    pods: list[dict] | None = None                 # ReplicaSet: its selector's pods; Node: the pods on it
    pods_error: str | None = None                  # why the pods could not be listed (kubectl's words)
    replica_sets: list[dict] = field(default_factory=list)   # Deployment: its selector's replica sets
    lease: dict | None = None                      # Node: its Lease in kube-node-lease
    lease_error: str | None = None                 # ... or why it could not be read
    quotas: list[dict] | None = None               # Namespace: None when the server has no quotas
    limit_ranges: list[dict] | None = None         # Namespace: None when the server has no limit ranges
    endpoint_slices: list[dict] = field(default_factory=list)  # Service: its EndpointSlices


def describe(group: str, kind: str, obj: dict, related: Related, now: datetime, tz: tzinfo | None = None) -> str:
    """The text `kubectl describe` prints for `obj` (of `kind` in API `group`); timestamps are
    shown in `tz` (None: the local zone, as kubectl shows them), ages counted to `now`."""
    events = related.events
    key = (group, kind)
    if key == ("", "Pod"):
        return pod_describer_text(obj, events, now, tz)
    if key == ("apps", "ReplicaSet"):
        return describe_replica_set(obj, related.pods, related.pods_error, events, now, tz)
    if key == ("apps", "Deployment"):
        old, new = split_replica_sets(obj, related.replica_sets)
        return describe_deployment(obj, old, new, events, now, tz)
    if key == ("", "Node"):
        return describe_node(obj, related.pods if related.pods_error is None else None, events, now,
                             lease=related.lease, lease_error=related.lease_error, tz=tz)
    if key == ("", "Namespace"):
        return describe_namespace(obj, related.quotas, related.limit_ranges, tz)
    if key == ("", "Service"):
        return describe_service(obj, related.endpoint_slices, events, now)
    if key == ("", "ConfigMap"):
        return describe_config_map(obj, events, now)
    if key == ("", "Secret"):
        return describe_secret(obj)
    if key in _MORE:
        return _MORE[key](obj, events, now, tz)
    return describe_generic(obj, events, now)
