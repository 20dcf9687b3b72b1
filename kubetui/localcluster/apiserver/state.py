"""What every request handler of the API server shares: the server's state, and the shapes of
the handlers that plug into it (subresources such as pods/log, and answered-not-stored kinds).

Key decision: this module knows no handler. The built-in ones (binding, eviction, the self
reviews) are wired in by `server.build_app`, so a handler can import the state it receives
without the state importing the handler back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Awaitable, Callable

from aiohttp import web

from kubetui.localcluster.apiserver.auth import Authenticator, User
from kubetui.localcluster.registry.resources import ResourceType
from kubetui.localcluster.storage.store import Store


@dataclass
class SubresourceRequest:
    """What a registered subresource handler gets (the pod for pods/log, pods/exec...)."""

    state: "ServerState"
    resource: ResourceType
    namespace: str
    name: str
    subresource: str
    obj: dict
    user: User


SubresourceHandler = Callable[[web.Request, SubresourceRequest], Awaitable[web.StreamResponse]]
# Kinds that are answered rather than stored (the self reviews): POST goes to the handler.
CreateHandler = Callable[[web.Request, User], Awaitable[web.StreamResponse]]


@dataclass
class ServerState:
    store: Store
    auth: Authenticator
    server_address: str = "127.0.0.1:0"
    bookmark_interval: float = 10.0
    watch_max_seconds: float = 1800.0
    subresource_handlers: dict[tuple[str, str], SubresourceHandler] = field(default_factory=dict)
    create_handlers: dict[str, CreateHandler] = field(default_factory=dict)
    # Extension points (used by addons.py: fault injection and /debug/faults): middlewares run
    # after authentication; routes are matched before the catch-all.
    middlewares: list = field(default_factory=list)
    routes: list[tuple[str, str, Callable]] = field(default_factory=list)
