"""The `scale` subresource of deployments and replicasets (autoscaling/v1 Scale).

Key decision: a Scale is a view computed from the live object on every request and never stored;
writing it just sets `spec.replicas` on the parent through the store, so resourceVersion checks,
generation, managedFields and watch events are the parent's, exactly as on a real cluster.
`kubectl scale` sends a merge patch `{"spec":{"replicas":N}}` here.
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

from aiohttp import web

from kubetui.localcluster.apimachinery import errors
from kubetui.localcluster.apiserver.http_io import json_response, parse_bool, read_object
from kubetui.localcluster.apiserver.state import SubresourceRequest
from kubetui.localcluster.apimachinery.patch_bodies import APPLY, apply_patch_body, parse_apply_body
from kubetui.model.label_selectors import format_label_selector
from kubetui.localcluster.registry.resources import ResourceRegistry, Subresource

SCALABLE = ("deployments", "replicasets")
SCALE_API_VERSION = "autoscaling/v1"


def scale_of(obj: dict) -> dict:
    """The Scale view of a deployment or replicaset."""
    meta = obj["metadata"]
    scale_meta = {key: meta[key] for key in
                  ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
                  if key in meta}
    return {
        "kind": "Scale",
        "apiVersion": SCALE_API_VERSION,
        "metadata": scale_meta,
        "spec": {"replicas": int((obj.get("spec") or {}).get("replicas") or 0)},
        "status": {"replicas": int((obj.get("status") or {}).get("replicas") or 0),
                   "selector": _selector_text(obj)},
    }


def _selector_text(obj: dict) -> str:
    text = format_label_selector((obj.get("spec") or {}).get("selector"))
    return "" if text == "<none>" else text


def get_scale(store, plural: str, namespace: str, name: str) -> dict:
    return scale_of(_live(store, plural, namespace, name))


def replace_scale(store, plural: str, namespace: str, name: str, body: Any, *,
                  manager: str | None = None, dry_run: bool = False) -> dict:
    """PUT: the body is a whole Scale; a resourceVersion in it is a precondition."""
    live = _live(store, plural, namespace, name)
    scale = body if isinstance(body, dict) else None
    if scale is None:
        raise errors.bad_request("the request body must be a Scale object")
    meta = scale.get("metadata") if isinstance(scale.get("metadata"), dict) else {}
    if meta.get("name") and meta["name"] != name:
        raise errors.bad_request(
            f"the name of the object ({meta['name']}) does not match the name on the URL ({name})")
    wanted_rv = meta.get("resourceVersion")
    if wanted_rv and wanted_rv != live["metadata"]["resourceVersion"]:
        raise errors.conflict(plural, name, group="apps")
    return _write_replicas(store, plural, live, scale, manager=manager, dry_run=dry_run)


def patch_scale(store, plural: str, namespace: str, name: str, body: Any, content_type: str, *,
                manager: str | None = None, dry_run: bool = False) -> dict:
    """PATCH with any patch type, applied to the Scale view, not to the parent."""
    live = _live(store, plural, namespace, name)
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    current = scale_of(live)
    if media_type == APPLY:
        config = parse_apply_body(body)
        patched = copy.deepcopy(current)
        if isinstance(config.get("spec"), dict) and "replicas" in config["spec"]:
            patched["spec"]["replicas"] = config["spec"]["replicas"]
    else:
        patched = apply_patch_body(copy.deepcopy(current), body, media_type)
    patched_rv = (patched.get("metadata") or {}).get("resourceVersion")
    if patched_rv and patched_rv != live["metadata"]["resourceVersion"]:
        raise errors.conflict(plural, name, group="apps")
    return _write_replicas(store, plural, live, patched, manager=manager, dry_run=dry_run)


def _write_replicas(store, plural: str, live: dict, scale: dict, *, manager: str | None,
                    dry_run: bool) -> dict:
    spec = scale.get("spec")
    replicas = spec.get("replicas", 0) if isinstance(spec, dict) else 0
    name = live["metadata"]["name"]
    if isinstance(replicas, bool) or not isinstance(replicas, int):
        raise errors.invalid("Scale", name, [{
            "reason": "FieldValueTypeInvalid", "field": "spec.replicas",
            "message": f"Invalid value: {replicas!r}: must be an integer"}], group="autoscaling")
    if replicas < 0:
        raise errors.invalid("Scale", name, [{
            "reason": "FieldValueInvalid", "field": "spec.replicas",
            "message": f"Invalid value: {replicas}: must be greater than or equal to 0"}],
            group="autoscaling")
    if int((live.get("spec") or {}).get("replicas") or 0) == replicas:
        return scale_of(live)
    changed = copy.deepcopy(live)
    changed.setdefault("spec", {})["replicas"] = replicas
    updated = store.update(plural, changed, manager=manager, dry_run=dry_run)
    return scale_of(updated)


def _live(store, plural: str, namespace: str, name: str) -> dict:
    if plural not in SCALABLE:
        raise errors.path_not_found()
    live = store.get(plural, namespace, name)
    if live is None:
        raise errors.not_found(plural, name, "apps")
    return live


SCALE_SUBRESOURCE = Subresource("scale", "Scale", ("get", "patch", "update"),
                                group="autoscaling", version="v1")


def add_scale_to_registry(registry: ResourceRegistry) -> None:
    """List `deployments/scale` and `replicasets/scale` (autoscaling/v1 Scale) in discovery;
    kubectl scale finds the Scale's group and version there."""
    for plural in SCALABLE:
        resource = registry.get(plural)
        if resource is None or resource.subresource("scale") is not None:
            continue
        registry.register(dataclasses.replace(
            resource, subresources=resource.subresources + (SCALE_SUBRESOURCE,)))


async def handle_scale(request: web.Request, sub: SubresourceRequest) -> web.StreamResponse:
    """The `ServerState.subresource_handlers` entry for (deployments|replicasets, "scale")."""
    store = sub.state.store
    args = (store, sub.resource.plural, sub.namespace, sub.name)
    if request.method in ("GET", "HEAD"):
        return json_response(get_scale(*args))
    manager = request.query.get("fieldManager") or (
        request.headers.get("User-Agent", "unknown").split("/", 1)[0][:128] or "unknown")
    dry_run = "All" in request.query.getall("dryRun", [])
    if request.method == "PUT":
        body = await read_object(request)
        return json_response(replace_scale(*args, body, manager=manager, dry_run=dry_run))
    if request.method == "PATCH":
        if request.query.get("force") is not None:
            parse_bool(request.query.get("force"), "force")
        content_type = request.content_type if request.headers.get("Content-Type") else ""
        return json_response(patch_scale(*args, await request.read(), content_type,
                                         manager=manager, dry_run=dry_run))
    raise errors.method_not_allowed()
