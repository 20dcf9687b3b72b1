"""HTTP verbs on resources: get, list, watch, create, update, patch, delete, deletecollection,
the status subresource, and the hook other subresources (log, exec) plug into.

Key decisions: a request is parsed into a `RequestInfo`, authorized for the RBAC verb it maps
to, then answered from the store. Responses are serialized with orjson straight from the stored
dicts; bodies are read by `http_io`. Subresource handlers registered in
`ServerState.subresource_handlers[(plural, name)]` receive a `SubresourceRequest` with the
object already loaded and the caller already authorized.
"""

from __future__ import annotations

import orjson
from aiohttp import web

from kubetui.localcluster.apimachinery import errors, protobuf
from kubetui.localcluster.registry import tables
from kubetui.localcluster.apiserver.auth import User, authorize
from kubetui.localcluster.apiserver.http_io import (
    WARNING,
    field_manager,
    json_response,
    parse_bool,
    parse_int,
    read_object,
    request_dry_run,
)
from kubetui.localcluster.apiserver.state import ServerState, SubresourceRequest
from kubetui.localcluster.storage.listing import selector_objects
from kubetui.localcluster.apiserver.requestinfo import RequestInfo
from kubetui.localcluster.registry.resources import ResourceType
from kubetui.localcluster.apimachinery.schema import check_types
from kubetui.localcluster.apiserver.watching import WatchRequest, serve_watch

# Subresources that are views of the object itself, read and written with get/update/patch;
# the store decides which part of the object each one may change.
OBJECT_SUBRESOURCES = frozenset({"status", "ephemeralcontainers"})


def _check_type(resource: ResourceType, body: dict) -> None:
    api_version, kind = body.get("apiVersion"), body.get("kind")
    if api_version and api_version != resource.api_version:
        raise errors.bad_request(f"the API version in the data ({api_version}) does not match "
                                 f"the expected API version ({resource.api_version})")
    if kind and kind != resource.kind:
        raise errors.bad_request(f"the kind in the data ({kind}) does not match the expected "
                                 f"kind ({resource.kind})")


# Decode-time type checks (schema.py), as the apiserver's JSON decoding does them.
def _strict(request: web.Request) -> bool:
    """fieldValidation=Strict (kubectl's default) turns unknown fields into a 400."""
    return request.query.get("fieldValidation", "") == "Strict"


def _check_decoding(request: web.Request, resource: ResourceType, body: dict) -> None:
    check_types(resource.kind, body, strict=_strict(request), api_version=resource.api_version)


def _claim_namespace(resource: ResourceType, info: RequestInfo, body: dict) -> None:
    """The namespace comes from the URL; a different one in the body is a 400."""
    meta = body.setdefault("metadata", {})
    if not isinstance(meta, dict):
        raise errors.bad_request("metadata must be an object")
    if not resource.namespaced:
        return
    if meta.get("namespace") and meta["namespace"] != info.namespace:
        raise errors.bad_request("the namespace of the provided object does not match the "
                                 "namespace sent on the request")
    meta["namespace"] = info.namespace


def rbac_verb(request: web.Request, info: RequestInfo, resource: ResourceType) -> str:
    sub = resource.subresource(info.subresource) if info.subresource else None
    if sub is not None and sub.auth_verb:
        return sub.auth_verb
    method = request.method
    if method in ("GET", "HEAD"):
        if info.name:
            return "get"
        return "watch" if info.watch_path or parse_bool(request.query.get("watch"), "watch") else "list"
    if method == "POST":
        return "create"
    if method == "PUT":
        return "update"
    if method == "PATCH":
        return "patch"
    if method == "DELETE":
        return "delete" if info.name else "deletecollection"
    raise errors.method_not_allowed()


async def handle_resource(request: web.Request, state: ServerState, info: RequestInfo,
                          user: User) -> web.StreamResponse:
    resource = state.store.registry.lookup(info.group, info.version, info.plural)
    if resource is None or (info.namespace and not resource.namespaced):
        raise errors.path_not_found()
    if info.subresource and resource.subresource(info.subresource) is None:
        raise errors.path_not_found()
    if resource.warning:
        request[WARNING] = resource.warning
    verb = rbac_verb(request, info, resource)
    if not info.subresource and verb not in resource.verbs:
        raise errors.method_not_allowed()
    authorize(user, verb, resource.plural, resource.group, info.namespace, info.name,
              info.subresource)
    creator = state.create_handlers.get(resource.plural)
    if creator is not None and verb == "create" and not info.subresource:
        return await creator(request, user)
    if info.subresource and info.subresource not in OBJECT_SUBRESOURCES:
        return await _custom_subresource(request, state, resource, info, user)
    handler = _VERBS.get(verb)
    if handler is None or (info.subresource and verb not in ("get", "update", "patch")):
        raise errors.method_not_allowed()
    return await handler(request, state, resource, info)


async def _custom_subresource(request: web.Request, state: ServerState,
                              resource: ResourceType, info: RequestInfo,
                              user: User) -> web.StreamResponse:
    handler = state.subresource_handlers.get((resource.plural, info.subresource))
    if handler is None:
        raise errors.path_not_found()
    obj = state.store.get(resource.plural, info.namespace, info.name)
    if obj is None:
        raise errors.not_found(resource.plural, info.name, resource.group)
    return await handler(request, SubresourceRequest(
        state, resource, info.namespace, info.name, info.subresource, obj, user))


async def _get(request, state, resource, info) -> web.StreamResponse:
    obj = state.store.get(resource.plural, info.namespace, info.name)
    if obj is None:
        raise errors.not_found(resource.plural, info.name, resource.group)
    if tables.wants_table(request.headers.get("Accept", "")):
        meta = {"resourceVersion": obj["metadata"]["resourceVersion"]}
        return json_response(tables.table(resource, [obj], state.store.clock(), meta,
                                          include_object=request.query.get("includeObject", "Metadata")))
    return web.Response(body=state.store.encoded(resource.plural, obj),
                        content_type="application/json")


def _selectors(request: web.Request, resource: ResourceType) -> tuple[str, str]:
    """The selector texts, checked here so a bad one is a 400 before any stream starts."""
    label_text = request.query.get("labelSelector", "")
    field_text = request.query.get("fieldSelector", "")
    _, fields = selector_objects(label_text, field_text)
    if fields is not None:
        fields.check_supported(resource.field_labels)
    return label_text, field_text


def _check_not_future(state: ServerState, text: str | None) -> None:
    """A list or watch from a resourceVersion this store has not reached (a client that saw
    another server, or this one before a restart) is refused as kube-apiserver does: 504."""
    requested = parse_int(text, "resourceVersion")
    current = state.store.resource_version
    if requested is not None and requested > current:
        raise errors.too_large_resource_version(requested, current)


async def _list(request, state, resource, info) -> web.StreamResponse:
    label_text, field_text = _selectors(request, resource)
    _check_not_future(state, request.query.get("resourceVersion"))
    limit = parse_int(request.query.get("limit"), "limit") or 0
    page = state.store.list_page(resource.plural, info.namespace or None, label_text, field_text,
                                 max(limit, 0), request.query.get("continue", ""))
    if tables.wants_table(request.headers.get("Accept", "")):
        body = tables.table(resource, page.items, state.store.clock(), page.list_metadata(),
                            include_object=request.query.get("includeObject", "Metadata"))
        return json_response(body)
    # Joined from each object's cached JSON: a 10,000-pod list costs one join, not a dump.
    head = orjson.dumps({"kind": resource.list_kind, "apiVersion": resource.api_version,
                         "metadata": page.list_metadata()})
    encoded = state.store.encoded
    items = b",".join([encoded(resource.plural, obj) for obj in page.items])
    return web.Response(body=b"".join((head[:-1], b',"items":[', items, b"]}")),
                        content_type="application/json")


async def _watch(request, state, resource, info) -> web.StreamResponse:
    label_text, field_text = _selectors(request, resource)
    query = request.query
    timeout = parse_int(query.get("timeoutSeconds"), "timeoutSeconds")
    if info.name:  # /watch/namespaces/x/pods/name
        field_text = ",".join(filter(None, [field_text, f"metadata.name={info.name}"]))
    watch = WatchRequest(
        resource, info.namespace or None, label_text, field_text,
        query.get("resourceVersion", ""),
        float(timeout) if timeout is not None and timeout > 0 else state.watch_max_seconds,
        parse_bool(query.get("allowWatchBookmarks"), "allowWatchBookmarks"),
        parse_bool(query.get("sendInitialEvents"), "sendInitialEvents"),
        tables.wants_table(request.headers.get("Accept", "")))
    _check_not_future(state, watch.resource_version)
    return await serve_watch(request, state.store, watch, state.bookmark_interval)


async def _create(request, state, resource, info) -> web.StreamResponse:
    if info.name or (resource.namespaced and not info.namespace):
        raise errors.method_not_allowed()
    body = await read_object(request)
    _check_type(resource, body)
    _check_decoding(request, resource, body)
    _claim_namespace(resource, info, body)
    created = state.store.create(resource.plural, body, dry_run=request_dry_run(request),
                                 manager=field_manager(request))
    return json_response(created, 201)


async def _update(request, state, resource, info) -> web.StreamResponse:
    body = await read_object(request)
    _check_type(resource, body)
    if not info.subresource:
        _check_decoding(request, resource, body)
    _claim_namespace(resource, info, body)
    name = body["metadata"].get("name")
    if name and name != info.name:
        raise errors.bad_request(
            f"the name of the object ({name}) does not match the name on the URL ({info.name})")
    body["metadata"]["name"] = info.name
    updated = state.store.update(resource.plural, body, subresource=info.subresource or None,
                                 dry_run=request_dry_run(request), manager=field_manager(request))
    return json_response(updated)


async def _patch(request, state, resource, info) -> web.StreamResponse:
    media_type = request.content_type if request.headers.get("Content-Type") else ""
    force = request.query.get("force")
    apply = media_type == "application/apply-patch+yaml"
    if force is not None and not apply:
        raise errors.invalid("PatchOptions", "", [{"reason": "FieldValueForbidden", "field": "force",
                             "message": "Forbidden: may not be specified for non-apply patch"}],
                             group="meta.k8s.io")
    obj, created = state.store.patch(
        resource.plural, info.namespace, info.name, await request.read(), media_type,
        subresource=info.subresource or None,
        manager=request.query.get("fieldManager", "") if apply else field_manager(request),
        force=parse_bool(force, "force"), dry_run=request_dry_run(request),
        decode_check=None if info.subresource else (
            lambda patched: _check_decoding(request, resource, patched)))
    return json_response(obj, 201 if created else 200)


async def _delete_options(request: web.Request) -> dict:
    raw = await request.read()
    options: dict = {}
    if request.content_type == protobuf.PROTOBUF and raw:  # typed clients: kubectl drain
        options = protobuf.decode(raw)
    elif raw.strip():
        try:
            options = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise errors.bad_request(f"invalid DeleteOptions: {exc}") from None
        if not isinstance(options, dict):
            raise errors.bad_request("invalid DeleteOptions: not an object")
    query = request.query
    grace = parse_int(query.get("gracePeriodSeconds"), "gracePeriodSeconds")
    if grace is not None:
        options["gracePeriodSeconds"] = grace
    if query.get("propagationPolicy"):
        options["propagationPolicy"] = query["propagationPolicy"]
    if query.get("orphanDependents") is not None and "propagationPolicy" not in options:
        orphan = parse_bool(query.get("orphanDependents"), "orphanDependents")
        options["propagationPolicy"] = "Orphan" if orphan else "Background"
    options["dryRun"] = request_dry_run(request, options)
    return options


def _delete_one(state: ServerState, resource: ResourceType, namespace: str, name: str,
                options: dict) -> tuple[dict, bool]:
    grace = options.get("gracePeriodSeconds")
    return state.store.delete_outcome(
        resource.plural, namespace, name,
        grace_period_seconds=int(grace) if isinstance(grace, (int, float)) else None,
        propagation=options.get("propagationPolicy") or "Background",
        dry_run=options["dryRun"], preconditions=options.get("preconditions"))


async def _delete(request, state, resource, info) -> web.StreamResponse:
    options = await _delete_options(request)
    obj, gone = _delete_one(state, resource, info.namespace, info.name, options)
    if not gone:
        return json_response(obj, 202)
    if resource.return_deleted_object:
        return json_response(obj)
    details = {"name": info.name, "group": resource.group, "kind": resource.plural,
               "uid": obj["metadata"].get("uid", "")}
    if not resource.group:
        del details["group"]
    return json_response({"kind": "Status", "apiVersion": "v1", "metadata": {},
                          "status": "Success", "details": details})


async def _delete_collection(request, state, resource, info) -> web.StreamResponse:
    label_text, field_text = _selectors(request, resource)
    options = await _delete_options(request)
    targets, _ = state.store.list(resource.plural, info.namespace or None, label_text, field_text)
    deleted = []
    for obj in targets:
        meta = obj["metadata"]
        if state.store.get(resource.plural, meta.get("namespace"), meta["name"]) is not None:
            deleted.append(_delete_one(state, resource, meta.get("namespace", ""), meta["name"],
                                       options)[0])
    return json_response({"kind": resource.list_kind, "apiVersion": resource.api_version,
                          "metadata": {"resourceVersion": str(state.store.resource_version)},
                          "items": deleted})


_VERBS = {"get": _get, "list": _list, "watch": _watch, "create": _create, "update": _update,
          "patch": _patch, "delete": _delete, "deletecollection": _delete_collection}
