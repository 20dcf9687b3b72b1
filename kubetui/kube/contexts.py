"""Which cluster we talk to: kubeconfig discovery, contexts, and an ApiClient per context.

Follows kubectl's rules: `--kubeconfig`, else `$KUBECONFIG` (colon-separated files, merged),
else `~/.kube/config`; `--context` overrides current-context; `-n` overrides the context's
namespace, which defaults to `default`. kubetui never turns TLS verification off on its own; an
explicit `insecure-skip-tls-verify` set to true is honoured, as kubectl honours it, and the Connection
says so (`tls_verified`) for the header to show.

The official client costs ~0.3 s to import, so where the context needs nothing a `Transport`
cannot do (`kube.direct_transport`), a Connection builds its ApiClient when first asked for it
(`api_client`), and the probe and the first pod list go through that transport (`transport`):
the UI's first screen does not wait for the kubernetes package. Any other context (an exec or
auth-provider plugin, a proxy...) builds its client at once, so what fails in it is the first
thing the user hears.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kubetui.errors import KubetuiError
from kubetui.kube.configuring import build_api_client, quiet_insecure_warning
from kubetui.kube.credentials import resolve
from kubetui.kube.direct_transport import direct_transport
from kubetui.kube.kubeconfig import Kubeconfig, load

if TYPE_CHECKING:
    from kubetui.model.kubectl_equivalent import Where

NO_KUBECONFIG_MESSAGE = (
    "no kubeconfig found (looked at {where}). Point --kubeconfig or $KUBECONFIG at one, "
    "or run `kubetui demo` to try kubetui on a built-in local cluster."
)


@dataclass(frozen=True)
class ContextInfo:
    name: str
    cluster: str
    user: str
    namespace: str


@dataclass
class Connection:
    """An API client bound to one context, with what the UI shows about it."""

    kubeconfig: str
    context: str
    server: str
    namespace: str
    contexts: list[ContextInfo]
    tls_verified: bool = True  # False only where the kubeconfig says insecure-skip-tls-verify
    kubectl_context: str | None = None  # the kubeconfig's current-context: kubectl's without --context
    transport: Any = field(default=None, repr=False)  # a `Transport` serving this context too, or None
    _client: Any = field(default=None, repr=False)  # the client, once built
    _build_client: Callable[[], tuple[Any, Callable[[], None] | None]] | None = field(default=None, repr=False)
    _cleanup: Callable[[], None] | None = field(default=None, repr=False)
    _client_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def api_client(self) -> Any:
        """The client (an official ApiClient, or a `Transport`), built on first use."""
        client = self._client
        if client is None:
            with self._client_lock:
                if self._client is None and self._build_client is not None:
                    self._client, self._cleanup = self._build_client()
                client = self._client
        return client

    def close(self) -> None:
        with self._client_lock:
            client = self._client  # a client never built is not built only to be closed
        for closable in (client, self.transport):
            close = getattr(closable, "close", None)
            if close:
                try:
                    close()
                except Exception:  # closing a pool must never mask the real error
                    pass
        if self._cleanup:
            self._cleanup()

    def kubectl_where(self) -> Where:
        """What kubectl uses without `-n` and `--context`, for the kubectl lines kubetui shows:
        the namespace of this context in the kubeconfig (not `-n` given to kubetui), and this
        context only when the kubeconfig's current one is another."""
        from kubetui.model.kubectl_equivalent import Where  # the grammar stays off the start-up path

        namespace = next((info.namespace for info in self.contexts if info.name == self.context), "default")
        return Where(namespace, None if self.context == self.kubectl_context else self.context)


def kubeconfig_paths(explicit: str | None) -> list[str]:
    """The kubeconfig files kubectl would read, existing ones only.

    `explicit` is --kubeconfig, or a Connection's `kubeconfig` (several files joined by the path
    separator) when a context switch reads the same files again.
    """
    if explicit:
        candidates = [explicit] if Path(explicit).expanduser().exists() else explicit.split(os.pathsep)
        missing = [p for p in candidates if not Path(p).expanduser().exists()]
        if missing:
            raise KubetuiError(f"kubeconfig {missing[0]} does not exist", "No kubeconfig")
        return [str(Path(p).expanduser()) for p in candidates]
    if os.environ.get("KUBECONFIG"):
        candidates = [p for p in os.environ["KUBECONFIG"].split(os.pathsep) if p]
    else:
        candidates = [str(Path.home() / ".kube" / "config")]
    found = [str(Path(p).expanduser()) for p in candidates if Path(p).expanduser().exists()]
    if not found:
        raise KubetuiError(NO_KUBECONFIG_MESSAGE.format(where=", ".join(candidates)), "No kubeconfig")
    return found


def context_infos(config: Kubeconfig) -> list[ContextInfo]:
    infos = []
    for entry in config.contexts.values():
        body = entry.body
        infos.append(ContextInfo(name=entry.name, cluster=str(body.get("cluster") or ""),
                                 user=str(body.get("user") or ""),
                                 namespace=str(body.get("namespace") or "default")))
    return infos


def connect(kubeconfig: str | None = None, context: str | None = None, namespace: str | None = None) -> Connection:
    """A connection to a context; its ApiClient is built when first used. Does not talk to the
    server yet (see `probing.check`), but runs the context's exec credential plugin, if it has one."""
    config = load(kubeconfig_paths(kubeconfig))
    joined = config.label
    name = chosen_context(config, context)
    settings = resolve(config, name, namespace)
    client = cleanup = build = transport = None
    if settings.auth_provider:
        client = _legacy_auth_provider_client(joined, name)
        if not settings.tls_verified:
            quiet_insecure_warning(settings.server)
    elif settings.exec_plugin is None and (transport := direct_transport(settings)) is not None:
        build = _client_builder(settings)  # what could be wrong with it, building the transport has said
    else:
        client, files = build_api_client(settings)
        cleanup = files.remove
    return Connection(
        kubeconfig=joined,
        context=name,
        server=settings.server,
        namespace=settings.namespace,
        contexts=context_infos(config),
        tls_verified=settings.tls_verified,
        kubectl_context=config.current_context,
        transport=transport,
        _client=client,
        _build_client=build,
        _cleanup=cleanup,
    )


def _client_builder(settings) -> Callable[[], tuple[Any, Callable[[], None]]]:
    def build() -> tuple[Any, Callable[[], None]]:
        client, files = build_api_client(settings)
        return client, files.remove
    return build


def chosen_context(config: Kubeconfig, context: str | None) -> str:
    """`--context`, else current-context; KubetuiError when there is none or it is not defined."""
    name = context or config.current_context
    if not config.contexts:
        raise KubetuiError(f"kubeconfig {config.label} defines no contexts", "Bad kubeconfig")
    if name is None:
        raise KubetuiError(f"kubeconfig {config.label} has no current-context; pass --context", "No context")
    if name not in config.contexts:
        known = ", ".join(config.contexts)
        raise KubetuiError(f'context "{name}" does not exist (known: {known})', "No such context")
    return name


def _legacy_auth_provider_client(kubeconfig: str, context: str):
    """Users with the legacy oidc `auth-provider` keep the client's own loader, which implements
    its token refresh; everything else that loader reads has been checked already."""
    from kubernetes import config as kconfig

    try:
        return kconfig.new_client_from_config(config_file=kubeconfig, context=context, persist_config=False)
    except Exception as exc:  # the client's ConfigException and whatever its providers raise
        raise KubetuiError(f"context {context}: auth-provider failed: {exc}", "Bad kubeconfig") from None
