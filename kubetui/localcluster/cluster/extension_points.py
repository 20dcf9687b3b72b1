"""What a piece that plugs into a local cluster sees of it: its options, its store once it
runs, and the hooks, middlewares, routes and subresource handlers it may add.

Key decision: a Protocol, which `LocalCluster` (runner.py) satisfies, so addons.py and
simulation.py are written against these few names and never import the runner that imports
them.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol

from kubetui.localcluster.apiserver.state import SubresourceHandler
from kubetui.localcluster.cluster.options import ClusterOptions
from kubetui.localcluster.storage.store import Store

Hook = Callable[["ExtensionPoints"], Any]


class ExtensionPoints(Protocol):
    options: ClusterOptions
    store: Store | None  # set when the cluster starts, before the startup hooks run
    token: str
    ca_pem: bytes
    # What the plugged-in pieces leave on the cluster for tests and the exec helper to reach.
    faults: Any
    controllers: Any
    churn: Any
    simulation: Any

    def add_startup_hook(self, hook: Hook) -> None: ...

    def add_shutdown_hook(self, hook: Hook) -> None: ...

    def add_middleware(self, middleware: Any) -> None: ...

    def add_route(self, method: str, path: str, handler: Any) -> None: ...

    def register_subresource(self, plural: str, name: str, handler: SubresourceHandler) -> None: ...
