"""Connections served by `kube.transport` alone, without the kubernetes package: checked settings → Transport.

Key decisions:
* Importing the official client costs ~0.3 s, more than `kubectl get` needs for a thousand
  objects, so where a context needs nothing more than a server, a CA, a bearer token (inline or
  from a tokenFile) and a client certificate, the CLI (`kubetui get`, `kubetui apply`) sends its
  requests through a `Transport`, always verifying the server's certificate.
* The kubeconfig is read and checked by `kube.kubeconfig` and `kube.credentials`, as for the TUI,
  so a wrong one is the same line everywhere. Anything the settings ask for beyond the above
  (exec and auth-provider plugins, basic auth, impersonation, tls-server-name,
  insecure-skip-tls-verify, a proxy in the kubeconfig or the environment) makes
  `direct_connection` return None: the caller then connects through the official client
  (`contexts.connect`). So nothing works less well than through it.
"""

from __future__ import annotations

import os
import ssl
from typing import TYPE_CHECKING

from kubetui.kube.transport import Transport, fixed

if TYPE_CHECKING:
    from kubetui.kube.contexts import Connection
    from kubetui.kube.credentials import ClientSettings

__all__ = ["connect", "direct_connection"]

_PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
USER_AGENT = "kubetui"


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

    if any(os.environ.get(name) for name in _PROXY_VARIABLES):
        return None
    config = load(kubeconfig_paths(kubeconfig))
    name = chosen_context(config, context)
    settings = resolve(config, name, namespace)
    if not _served_directly(settings):
        return None
    headers = {"User-Agent": USER_AGENT}
    if settings.authorization:
        headers["Authorization"] = settings.authorization
    tls = _ssl_context(settings) if settings.server.startswith("https:") else None
    return Connection(api_client=Transport(settings.server, fixed(headers, tls)), kubeconfig=config.label,
                      context=name, server=settings.server, namespace=settings.namespace,
                      contexts=context_infos(config), kubectl_context=config.current_context)


def _served_directly(settings: ClientSettings) -> bool:
    """Whether the settings ask for nothing but a server, a CA, a bearer token and a client certificate."""
    return not (settings.exec_plugin or settings.auth_provider or settings.impersonation
                or not settings.tls_verified or settings.tls_server_name or settings.proxy_url
                or (settings.authorization and not settings.authorization.startswith("Bearer ")))


def _ssl_context(settings: ClientSettings) -> ssl.SSLContext:
    from kubetui.kube.configuring import PemFiles, load_client_certificate

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies the chain and the host name
    if settings.ca_pem is not None:
        context.load_verify_locations(cadata=settings.ca_pem.decode("ascii"))
    else:
        context.load_default_certs()
    if settings.client_cert_pem is not None:
        files = PemFiles()  # `load_cert_chain` reads only files; they are needed for this one call
        try:
            load_client_certificate(context, files.write("client.crt", settings.client_cert_pem),
                                    files.write("client.key", settings.client_key_pem), settings.user_label)
        finally:
            files.remove()
    return context
