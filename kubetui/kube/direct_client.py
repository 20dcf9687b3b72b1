"""Connections served by `kube.transport` alone, without the kubernetes package: checked settings → Transport.

The CLI (`kubetui get`, `kubetui apply`) sends its requests through a `Transport` where the
context allows it (`direct_transport`); otherwise `direct_connection` returns None and the caller
connects through the official client (`contexts.connect`). The kubeconfig is read and checked by
`kube.kubeconfig` and `kube.credentials`, as for the TUI, so a wrong one is the same line everywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kubetui.kube.direct_transport import direct_transport

if TYPE_CHECKING:
    from kubetui.kube.contexts import Connection

__all__ = ["connect", "direct_connection"]


def connect(kubeconfig: str | None, context: str | None, namespace: str | None) -> Connection:
    """`direct_connection` where the kubeconfig allows, else the official client's (`contexts.connect`)."""
    conn = direct_connection(kubeconfig, context, namespace)
    if conn is not None:
        return conn
    from kubetui.kube.contexts import connect as official

    return official(kubeconfig, context, namespace)


def direct_connection(kubeconfig: str | None, context: str | None, namespace: str | None) -> Connection | None:
    """A `contexts.Connection` whose client is a `Transport`, or None (use `contexts.connect`).

    A kubeconfig that is wrong raises the KubetuiError that `contexts.connect` raises.
    """
    from kubetui.kube.contexts import Connection, chosen_context, context_infos, kubeconfig_paths
    from kubetui.kube.credentials import resolve
    from kubetui.kube.kubeconfig import load

    config = load(kubeconfig_paths(kubeconfig))
    name = chosen_context(config, context)
    settings = resolve(config, name, namespace)
    transport = direct_transport(settings)
    if transport is None:
        return None
    return Connection(_client=transport, kubeconfig=config.label,
                      context=name, server=settings.server, namespace=settings.namespace,
                      contexts=context_infos(config), kubectl_context=config.current_context)
