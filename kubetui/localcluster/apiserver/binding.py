"""Binding a pod to a node (what the scheduler does), in-process and as `pods/{name}/binding`.

Key decision: like kube-apiserver's binding storage, a bind sets spec.nodeName and the
PodScheduled=True condition in one write that bypasses the pod update strategy, so it does not
bump metadata.generation (a spec update would) and is allowed although pod specs are otherwise
immutable. Binding an already bound or terminating pod is a 409 with the real wording.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from kubetui.localcluster.apimachinery import errors
from kubetui.localcluster.storage.changes import MODIFIED
from kubetui.localcluster.apimachinery.clock import rfc3339
from kubetui.localcluster.apimachinery.objectmeta import json_copy

if TYPE_CHECKING:
    from kubetui.localcluster.apiserver.http_routes import SubresourceRequest
    from kubetui.localcluster.storage.store import Store


def bind_pod(store: "Store", namespace: str, name: str, node: str,
             annotations: dict | None = None) -> dict:
    resource = store.resource("pods")
    live = store.get("pods", namespace, name)
    if live is None:
        raise errors.not_found("pods", name)
    bound_to = (live.get("spec") or {}).get("nodeName")
    if bound_to:
        raise errors.conflict("pods", name, f'pod {name} is already assigned to node "{bound_to}"')
    if live["metadata"].get("deletionTimestamp"):
        raise errors.conflict("pods", name, f"pod {name} is being deleted, cannot be assigned to a host")
    new = dict(live)  # spec is replaced, status copied: the stored snapshot stays untouched
    new["metadata"] = json_copy(live["metadata"])
    if annotations:
        new["metadata"].setdefault("annotations", {}).update(annotations)
    new["spec"] = dict(live.get("spec") or {}, nodeName=node)
    status = new["status"] = json_copy(live.get("status") or {})
    conditions = [c for c in status.get("conditions") or [] if c.get("type") != "PodScheduled"]
    status["conditions"] = conditions + [{
        "type": "PodScheduled", "status": "True", "lastProbeTime": None,
        "lastTransitionTime": rfc3339(store.clock())}]
    store._commit(resource, MODIFIED, new, live)
    return new


async def handle_binding(request: web.Request, sub: "SubresourceRequest") -> web.StreamResponse:
    """POST pods/{name}/binding with a v1 Binding: 201 and a Success Status, like the real one."""
    from kubetui.localcluster.apiserver.http_routes import json_response, read_object

    if request.method != "POST":
        raise errors.method_not_allowed()
    binding = await read_object(request)
    target = binding.get("target") if isinstance(binding.get("target"), dict) else {}
    if not target.get("name"):
        raise errors.invalid("Binding", sub.name, [{
            "reason": "FieldValueRequired", "field": "target.name",
            "message": "Required value"}])
    annotations = (binding.get("metadata") or {}).get("annotations")
    if "All" not in request.query.getall("dryRun", []):
        bind_pod(sub.state.store, sub.namespace, sub.name, target["name"],
                 annotations if isinstance(annotations, dict) else None)
    return json_response({"kind": "Status", "apiVersion": "v1", "metadata": {},
                          "status": "Success", "code": 201}, 201)
