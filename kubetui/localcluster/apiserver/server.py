"""The aiohttp application: authentication, error translation, and routing.

Key decisions: one catch-all route; discovery, OpenAPI and health paths are answered here and
everything under /api/v1 and /apis/{group}/{version} goes to `http_routes`. The built-in
handlers (binding, eviction, the self reviews) are wired into the `ServerState` here, when the
app is built. Every error leaves as a `Status` body with the real code and reason; an
unexpected exception is logged and becomes a 500 Status, never a traceback page.
"""

from __future__ import annotations

import logging
from typing import Awaitable, Callable

from aiohttp import web

from kubetui.localcluster.registry import discovery, openapi
from kubetui.localcluster.apimachinery import errors
from kubetui.localcluster.apiserver.auth import User, impersonate
from kubetui.localcluster.apiserver.binding import handle_binding
from kubetui.localcluster.apiserver.eviction import handle_eviction
from kubetui.localcluster.apiserver.health import health_response
from kubetui.localcluster.apiserver.http_io import WARNING, json_response
from kubetui.localcluster.apiserver.http_routes import handle_resource
from kubetui.localcluster.apiserver.requestinfo import parse_resource_path
from kubetui.localcluster.apiserver.reviews import REVIEWS
from kubetui.localcluster.apiserver.state import ServerState

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 4 * 1024 * 1024  # the real server accepts ~3 MiB objects
STATE = web.AppKey("kubetui_state", ServerState)
USER = web.RequestKey("kubetui_user", User)
_NOT_FOUND = errors.path_not_found()


@web.middleware
async def status_errors(request: web.Request,
                        handler: Callable[[web.Request], Awaitable[web.StreamResponse]]):
    try:
        return await handler(request)
    except errors.ApiError as exc:
        response = json_response(exc.status(), exc.code)
        retry_after = (exc.details or {}).get("retryAfterSeconds")
        if retry_after:  # as kube-apiserver's responsewriters do for any such Status
            response.headers["Retry-After"] = str(retry_after)
        return response
    except web.HTTPException:
        raise
    except Exception as exc:
        log.exception("%s %s failed", request.method, request.path_qs)
        error = errors.ApiError(500, "InternalError", f"Internal error occurred: {exc}")
        return json_response(error.status(), 500)


@web.middleware
async def authenticate(request: web.Request,
                       handler: Callable[[web.Request], Awaitable[web.StreamResponse]]):
    user = request.app[STATE].auth.user_for(request.headers.get("Authorization"))
    request[USER] = impersonate(user, request.headers)
    return await handler(request)


def _non_resource(state: ServerState, path: str) -> object | None:
    registry = state.store.registry
    parts = [part for part in path.split("/") if part]
    if parts == ["version"]:  # kube-apiserver answers /version and /version/ (the Python client)
        return discovery.version_info()
    if parts == ["api"]:
        return discovery.api_versions(state.server_address)
    if parts == ["apis"]:
        return discovery.api_group_list(registry)
    if len(parts) == 2 and parts[0] == "api":
        return discovery.api_resource_list(registry, "", parts[1]) or _NOT_FOUND
    if len(parts) == 2 and parts[0] == "apis":
        return discovery.api_group(registry, parts[1]) or _NOT_FOUND
    if len(parts) == 3 and parts[0] == "apis":
        return discovery.api_resource_list(registry, parts[1], parts[2]) or _NOT_FOUND
    if parts == ["openapi", "v3"]:
        return openapi.index(registry)
    if parts[:2] == ["openapi", "v3"]:
        rest = parts[2:]
        if len(rest) == 2 and rest[0] == "api":
            return openapi.group_version_document(registry, "", rest[1]) or _NOT_FOUND
        if len(rest) == 3 and rest[0] == "apis":
            return openapi.group_version_document(registry, rest[1], rest[2]) or _NOT_FOUND
        return _NOT_FOUND
    if parts[:1] == ["openapi"]:
        return _NOT_FOUND  # /openapi/v2: kubectl falls back to its compiled-in types
    return None


async def dispatch(request: web.Request) -> web.StreamResponse:
    state = request.app[STATE]
    path = request.path
    if request.method == "GET":
        health = health_response(path, request.query)
        if health is not None:
            return health
    if request.method == "GET":
        answer = _non_resource(state, path)
        if isinstance(answer, errors.ApiError):
            raise answer
        if answer is not None:
            return json_response(answer)
    info = parse_resource_path(path)
    if info is None:
        raise _NOT_FOUND
    user: User = request[USER]
    return await handle_resource(request, state, info, user)


async def _close_watches(app: web.Application) -> None:
    app[STATE].store.changes.close_all("server shutting down")


def install_builtin_handlers(state: ServerState) -> None:
    """The subresources and answered kinds every server has; ones registered before win."""
    state.subresource_handlers.setdefault(("pods", "binding"), handle_binding)
    state.subresource_handlers.setdefault(("pods", "eviction"), handle_eviction)
    for kind, handler in REVIEWS.items():
        state.create_handlers.setdefault(kind, handler)


def build_app(state: ServerState) -> web.Application:
    install_builtin_handlers(state)
    app = web.Application(middlewares=[status_errors, authenticate, *state.middlewares],
                          client_max_size=MAX_BODY_BYTES)
    app[STATE] = state
    for method, path, handler in state.routes:
        app.router.add_route(method, path, handler)
    app.router.add_route("*", "/{tail:.*}", dispatch)
    app.on_shutdown.append(_close_watches)
    app.on_response_prepare.append(_add_warning)
    return app


async def _add_warning(request: web.Request, response: web.StreamResponse) -> None:
    """A deprecated resource's warning, on every answer about it (kubectl prints it once)."""
    warning = request.get(WARNING)
    if warning:
        response.headers["Warning"] = f'299 - "{warning}"'
