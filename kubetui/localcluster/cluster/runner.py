"""LocalCluster: the local API server on its own event loop in a daemon thread.

Key decisions: the server owns a private asyncio loop, so a synchronous caller (CLI, tests, the
TUI's demo mode) can start it, talk to it over HTTPS like any client, and reach the store safely
only through `call()`, which runs a function on the loop thread. Certificates and tokens are new
at every start. Later pieces (kubelet simulation, controllers, exec) plug in with
`add_startup_hook` and `register_subresource` (the `ExtensionPoints` of extension_points.py);
new knobs go into `ClusterOptions` (options.py) with defaults.
"""

from __future__ import annotations

import asyncio
import errno
import inspect
import threading
from pathlib import Path
from typing import Any, Callable

from aiohttp import web

from kubetui.localcluster.cluster import addons, certs, kubeconfig, simulation
from kubetui.localcluster.cluster.extension_points import Hook
from kubetui.localcluster.cluster.options import ClusterOptions
from kubetui.localcluster.apiserver import attach_ws, exec_ws, portforward_ws
from kubetui.localcluster.apiserver.auth import Authenticator
from kubetui.localcluster.apimachinery.clock import utc_now
from kubetui.localcluster.apiserver.server import build_app
from kubetui.localcluster.apiserver.state import ServerState, SubresourceHandler
from kubetui.localcluster.storage.store import Store

HOST = "127.0.0.1"  # never anything else: the server must not be reachable from the network


class ClusterStartError(RuntimeError):
    """The server could not start (port in use, ...); the message says why."""


class LocalCluster:
    def __init__(self, options: ClusterOptions | None = None) -> None:
        self.options = options or ClusterOptions()
        self.store: Store | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.port = 0
        self.token = ""
        self.viewer_token = ""
        self.ca_pem = b""
        self.subresource_handlers: dict[tuple[str, str], SubresourceHandler] = {}
        self._startup_hooks: list[Hook] = []
        self._shutdown_hooks: list[Hook] = []
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._ready = threading.Event()
        self._start_error: BaseException | None = None
        self.middlewares: list = []
        self.routes: list[tuple[str, str, Any]] = []
        self.faults: Any = None       # FaultInjector, set by addons.install
        self.controllers: Any = None  # ControllerManager while running with controllers
        self.churn: Any = None        # SyntheticChurn while running with synthetic pods
        addons.install(self)
        self.simulation: Any = None    # simulation.Simulation while the node simulation runs
        simulation.install(self)
        execs = exec_ws.install(self)  # pods/exec (exec_ws.py reads options.host_exec)
        portforward_ws.install(self, execs)  # pods/portforward, its programs reading what exec sees
        attach_ws.install(self, execs)  # pods/attach: the output from the LogBook, or an attached shell

    # ------------------------------------------------------------ extension
    def add_startup_hook(self, hook: Hook) -> None:
        """`hook(cluster)` runs on the loop thread after the store exists and before the first
        request is accepted; it may return an awaitable."""
        self._startup_hooks.append(hook)

    def add_shutdown_hook(self, hook: Hook) -> None:
        self._shutdown_hooks.append(hook)

    def add_middleware(self, middleware: Any) -> None:
        """An aiohttp middleware run after authentication (fault injection)."""
        self.middlewares.append(middleware)

    def add_route(self, method: str, path: str, handler: Any) -> None:
        """A route matched before the API catch-all (e.g. /debug/faults)."""
        self.routes.append((method, path, handler))

    def register_subresource(self, plural: str, name: str, handler: SubresourceHandler) -> None:
        """Serve `/{plural}/{obj}/{name}` (e.g. pods/log, pods/exec) with `handler`."""
        self.subresource_handlers[(plural, name)] = handler

    # ------------------------------------------------------------ lifecycle
    @property
    def url(self) -> str:
        return f"https://{HOST}:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> "LocalCluster":
        if self.running:
            raise ClusterStartError("the local cluster is already running")
        certificate = certs.generate()
        self.ca_pem = certificate.cert_pem
        auth = Authenticator()
        self.token, self.viewer_token = auth.admin_token, auth.viewer_token
        self._ready.clear()
        self._start_error = None
        self._thread = threading.Thread(target=self._run, args=(certificate, auth),
                                        name="kubetui-localcluster", daemon=True)
        self._thread.start()
        options = self.options
        # Building synthetic objects happens before the server is ready: allow for it, as a
        # busy machine builds 10,000 pods and their owners in well over the base 30 s.
        synthetic = options.pods + options.deployments + options.replicasets
        if not self._ready.wait(options.start_timeout + synthetic / 200):
            raise ClusterStartError("the local API server did not start in time")
        if self._start_error is not None:
            self._thread.join(5)
            raise _start_failure(self._start_error, self.options.port) from self._start_error
        return self

    def stop(self) -> None:
        loop, thread = self.loop, self._thread
        if loop is None or thread is None or not thread.is_alive():
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(15)

    def __enter__(self) -> "LocalCluster":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def call(self, fn: Callable[..., Any], *args: Any, timeout: float = 30.0) -> Any:
        """Run `fn(*args)` on the server loop thread (awaiting it if it returns an awaitable)."""
        if self.loop is None or not self.running:
            raise RuntimeError("the local cluster is not running")
        if threading.current_thread() is self._thread:
            raise RuntimeError("call() from the loop thread would deadlock; call fn directly")

        async def invoke() -> Any:
            result = fn(*args)
            return await result if inspect.isawaitable(result) else result

        return asyncio.run_coroutine_threadsafe(invoke(), self.loop).result(timeout)

    def write_kubeconfig(self, path: str | Path, namespace: str = "default") -> Path:
        document = kubeconfig.kubeconfig_document(self.url, self.ca_pem, self.token,
                                                  self.viewer_token, namespace)
        return kubeconfig.write_kubeconfig(path, document)

    # -------------------------------------------------------------- internals
    def _run(self, certificate: certs.ServingCertificate, auth: Authenticator) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self.loop = loop
        try:
            loop.run_until_complete(self._serve(certificate, auth))
        except BaseException as exc:  # reported to start() in the caller's thread
            self._start_error = exc
            self._ready.set()
            loop.run_until_complete(self._shutdown())  # startup hooks may have run
            loop.close()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self._shutdown())
            loop.close()

    async def _serve(self, certificate: certs.ServingCertificate, auth: Authenticator) -> None:
        from kubetui.localcluster.cluster.bootstrap import bootstrap

        self.store = Store(window=self.options.watch_window, retention=self.options.watch_retention,
                           clock=self.options.clock or utc_now)
        bootstrap(self.store)
        state = ServerState(self.store, auth, bookmark_interval=self.options.bookmark_interval,
                            watch_max_seconds=self.options.watch_max_seconds,
                            subresource_handlers=self.subresource_handlers,
                            middlewares=self.middlewares, routes=self.routes)
        for hook in self._startup_hooks:
            result = hook(self)
            if inspect.isawaitable(result):
                await result
        self._runner = web.AppRunner(build_app(state), access_log=None, handle_signals=False,
                                     shutdown_timeout=3.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, HOST, self.options.port,
                           ssl_context=certificate.server_context(), backlog=512)
        await site.start()
        self.port = self._runner.addresses[0][1]
        state.server_address = f"{HOST}:{self.port}"

    async def _shutdown(self) -> None:
        for hook in self._shutdown_hooks:
            try:
                result = hook(self)
                if inspect.isawaitable(result):
                    await result
            except Exception:  # shutting down regardless
                pass
        await self._cleanup()

    async def _cleanup(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def _start_failure(error: BaseException, port: int) -> ClusterStartError:
    if isinstance(error, OSError) and error.errno == errno.EADDRINUSE:
        return ClusterStartError(f"cannot listen on {HOST}:{port}: the port is already in use")
    if isinstance(error, OSError):
        return ClusterStartError(f"cannot listen on {HOST}:{port}: {error.strerror or error}")
    return ClusterStartError(f"the local API server failed to start: {error}")
