"""What `kubectl describe` reads for one object, fetched as plain JSON: the object, its events,
and the related objects its describer needs (`model.describe.Related`).

Key decisions:
* The same requests kubectl sends, with its selectors: events by `involvedObject` name,
  namespace, kind and UID (a pod's without the kind, a mirror pod's by its config UID, a
  node's twice: by UID and by name; `model.event_search`); a ReplicaSet's and a Deployment's pods or replica sets
  by their label selector; the pods on a node by `spec.nodeName` without the terminated
  phases; a namespace's quotas and limit ranges; a service's EndpointSlices by
  `kubernetes.io/service-name`; a node's Lease. Lists are read in one request each (the
  order is the server's either way).
* Failures are handled as kubectl handles them: a related list the server does not serve
  (404) is left out, a failed events search shows no events, a lease that cannot be read is
  printed with kubectl's error words; anything else fails the describe like kubectl's.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from kubetui.kube.requesting import open_get, read_json
from kubetui.kube.table_listing import GET_TIMEOUT, get_json, resource_path
from kubetui.model.resource_names import ApiResource

if TYPE_CHECKING:
    from kubetui.model.describe import Related

# kubetui.model.describe is imported where a description is made: `kubetui describe` imports
# it in a thread while its first GETs (through this module) are out.

__all__ = ["EVENTS", "describe_object", "fetch_related", "get_object", "list_objects"]

EVENTS = ApiResource(group="", version="v1", plural="events", singular="event", kind="Event", namespaced=True)
_PODS = ApiResource(group="", version="v1", plural="pods", singular="pod", kind="Pod", namespaced=True)


def get_object(api_client: Any, resource: ApiResource, namespace: str | None, name: str) -> dict:
    return get_json(api_client, resource, namespace, name=name)


def list_objects(api_client: Any, resource: ApiResource, namespace: str | None, *,
                 label_selector: str | None = None) -> list[dict]:
    body = get_json(api_client, resource, namespace, label_selector=label_selector)
    return [item for item in body.get("items") or () if isinstance(item, dict)]


def describe_object(api_client: Any, server: str, resource: ApiResource, obj: dict, *, show_events: bool = True,
                    now: datetime | None = None) -> str:
    """kubectl's description of `obj` (already fetched), with what it needs fetched around it."""
    from kubetui.model.describe import describe

    related = fetch_related(api_client, server, resource, obj, show_events=show_events)
    return describe(resource.group, resource.kind, obj, related, now or datetime.now(timezone.utc))


def fetch_related(api_client: Any, server: str, resource: ApiResource, obj: dict, *,
                  show_events: bool = True) -> Related:
    from kubetui.model.describe import DESCRIBED_KINDS, WITHOUT_EVENTS, Related
    from kubetui.model.describe.fields import label_selector_string

    needs = DESCRIBED_KINDS.get((resource.group, resource.kind), ())
    meta = obj.get("metadata") or {}
    namespace = meta.get("namespace") or None
    related = Related()
    if "pods" in needs and resource.kind == "ReplicaSet":
        selector = label_selector_string((obj.get("spec") or {}).get("selector"))
        try:
            related.pods = _list(api_client, _PODS, namespace, label_selector=selector)
        except Exception as exc:  # kubectl prints the error in the Pods Status line
            from kubetui.kube.kubectl_errors import server_message

            related.pods_error = server_message(exc, server, "list pods")
    if "replica_sets" in needs:
        selector = label_selector_string((obj.get("spec") or {}).get("selector"))
        rs = ApiResource(group="apps", version="v1", plural="replicasets", singular="replicaset",
                         kind="ReplicaSet", namespaced=True)
        try:
            related.replica_sets = _list(api_client, rs, namespace, label_selector=selector)
        except Exception:  # kubectl leaves the replica sets out when they cannot be listed
            related.replica_sets = []
    if resource.kind == "Node" and not resource.group:
        _node_related(api_client, server, obj, related)
    if "quotas" in needs:
        related.quotas = _optional_list(api_client, "resourcequotas", "ResourceQuota", meta.get("name"))
        related.limit_ranges = _optional_list(api_client, "limitranges", "LimitRange", meta.get("name"))
    if "endpoint_slices" in needs:
        slices = ApiResource(group="discovery.k8s.io", version="v1", plural="endpointslices",
                             singular="endpointslice", kind="EndpointSlice", namespaced=True)
        try:
            related.endpoint_slices = _list(api_client, slices, namespace,
                                            label_selector=f"kubernetes.io/service-name={meta.get('name') or ''}")
        except Exception:  # kubectl ignores this error: the endpoints show <none>
            related.endpoint_slices = []
    if show_events and (resource.group, resource.kind) not in WITHOUT_EVENTS:
        related.events = _events_for(api_client, resource, obj)
    return related


def _node_related(api_client: Any, server: str, node: dict, related: Related) -> None:
    name = (node.get("metadata") or {}).get("name") or ""
    selector = f"spec.nodeName={name},status.phase!=Succeeded,status.phase!=Failed"
    try:
        body = read_json(open_get(api_client, "/api/v1/pods", [("fieldSelector", selector)], timeout=GET_TIMEOUT))
        related.pods = [item for item in body.get("items") or () if isinstance(item, dict)]
    except Exception as exc:
        if getattr(exc, "status", None) != 403:
            raise  # kubectl fails the whole describe, except when pods are forbidden
        related.pods, related.pods_error = None, "forbidden"
    try:
        related.lease = read_json(open_get(
            api_client, f"/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/{name}", timeout=GET_TIMEOUT))
    except Exception as exc:
        from kubetui.kube.kubectl_errors import server_message

        related.lease_error = server_message(exc, server, f"get leases.coordination.k8s.io {name}")


def _optional_list(api_client: Any, plural: str, kind: str, namespace: str | None) -> list[dict] | None:
    """A namespace's quotas or limit ranges; None when the server does not serve them."""
    resource = ApiResource(group="", version="v1", plural=plural, singular=kind.lower(), kind=kind, namespaced=True)
    try:
        return _list(api_client, resource, namespace)
    except Exception as exc:
        if getattr(exc, "status", None) == 404:
            return None
        raise


def _events_for(api_client: Any, resource: ApiResource, obj: dict) -> list[dict]:
    """`searchEvents`: the events whose involvedObject is `obj` (errors: no events)."""
    from kubetui.model.event_search import event_search

    search = event_search(resource.group, resource.kind, obj)
    path = resource_path(EVENTS, search.namespace or None)
    events: list[dict] = []
    for selector in search.selectors():
        try:
            body = read_json(open_get(api_client, path, [("fieldSelector", selector)], timeout=GET_TIMEOUT))
        except Exception:  # kubectl describes the object without events when the search fails
            continue
        events += [item for item in body.get("items") or () if isinstance(item, dict)]
    return events


def _list(api_client: Any, resource: ApiResource, namespace: str | None, *,
          label_selector: str | None = None) -> list[dict]:
    return list_objects(api_client, resource, namespace, label_selector=label_selector)
