"""The `pods/{name}/binding` subresource: a posted v1 Binding, bound through `Store.bind`.

Key decision: the HTTP side only reads and checks the Binding and answers like the real one
(201 and a Success Status); what a bind writes is storage's (storage/binding.py), shared with
the in-process scheduler.
"""

from __future__ import annotations

from aiohttp import web

from kubetui.localcluster.apimachinery import errors
from kubetui.localcluster.apiserver.http_io import json_response, read_object
from kubetui.localcluster.apiserver.state import SubresourceRequest


async def handle_binding(request: web.Request, sub: SubresourceRequest) -> web.StreamResponse:
    """POST pods/{name}/binding with a v1 Binding: 201 and a Success Status, like the real one."""
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
        sub.state.store.bind(sub.namespace, sub.name, target["name"],
                             annotations if isinstance(annotations, dict) else None)
    return json_response({"kind": "Status", "apiVersion": "v1", "metadata": {},
                          "status": "Success", "code": 201}, 201)
