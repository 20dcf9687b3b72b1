"""The pods/eviction subresource (a policy/v1 Eviction): what `kubectl drain` posts per pod.

Key decisions: as kube-apiserver's EvictionREST, an allowed eviction first marks the pod with
the DisruptionTarget condition (EvictionByEvictionAPI) and then deletes it gracefully with the
Eviction's deleteOptions; the answer is a Success Status with code 201. PodDisruptionBudgets,
the only thing that may refuse an eviction, are not served here, so every eviction of an
existing pod is allowed.
"""

from __future__ import annotations

from aiohttp import web

from kubetui.localcluster.apimachinery import errors
from kubetui.localcluster.apimachinery.clock import rfc3339
from kubetui.localcluster.apiserver.http_io import json_response, parse_int, read_object, request_dry_run
from kubetui.localcluster.apiserver.state import SubresourceRequest
from kubetui.localcluster.apimachinery.objectmeta import json_copy

_KINDS = {"policy/v1": "Eviction", "policy/v1beta1": "Eviction"}
DISRUPTION = {"type": "DisruptionTarget", "status": "True", "reason": "EvictionByEvictionAPI",
              "message": "Eviction API: evicting"}


async def handle_eviction(request: web.Request, sub: SubresourceRequest) -> web.StreamResponse:
    if request.method != "POST":
        raise errors.method_not_allowed()
    eviction = await read_object(request)
    api_version, kind = eviction.get("apiVersion"), eviction.get("kind")
    if (api_version or kind) and _KINDS.get(str(api_version)) != kind:
        raise errors.bad_request(f"not a Eviction object: {kind or 'unknown'}")
    meta = eviction.get("metadata") if isinstance(eviction.get("metadata"), dict) else {}
    if meta.get("name", "") != sub.name:
        raise errors.bad_request("name in URL does not match name in Eviction object")
    options = eviction.get("deleteOptions") if isinstance(eviction.get("deleteOptions"), dict) else {}
    dry_run = request_dry_run(request, options)
    store = sub.state.store
    if not dry_run:
        _mark_disrupted(store, sub.namespace, sub.name)
    grace = parse_int(str(options["gracePeriodSeconds"]), "gracePeriodSeconds") \
        if options.get("gracePeriodSeconds") is not None else None
    store.delete_outcome("pods", sub.namespace, sub.name, grace_period_seconds=grace,
                         propagation=options.get("propagationPolicy") or "Background",
                         dry_run=dry_run, preconditions=options.get("preconditions"))
    return json_response({"kind": "Status", "apiVersion": "v1", "metadata": {},
                          "status": "Success", "code": 201}, 201)


def _mark_disrupted(store, namespace: str, name: str) -> None:
    live = store.get("pods", namespace, name)
    if live is None or live["metadata"].get("deletionTimestamp"):
        return
    status = json_copy(live.get("status") or {})
    conditions = [c for c in status.get("conditions") or [] if c.get("type") != DISRUPTION["type"]]
    status["conditions"] = conditions + [dict(DISRUPTION, lastProbeTime=None,
                                              lastTransitionTime=rfc3339(store.clock()))]
    store.write_status("pods", live, status, manager="kube-apiserver")
