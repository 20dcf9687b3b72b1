"""A `kube.transport.Transport` for the settings it can serve alone, without the kubernetes package.

Key decisions:
* Importing the official client costs ~0.3 s, more than `kubectl get` needs for a thousand
  objects, so where a context needs nothing more than a server, a CA, a bearer token (inline or
  from a tokenFile) and a client certificate, requests can go through a `Transport`, always
  verifying the server's certificate.
* Anything the settings ask for beyond that (exec and auth-provider plugins, basic auth,
  impersonation, tls-server-name, insecure-skip-tls-verify, a proxy in the kubeconfig or the
  environment) gets None: the caller uses the official client, so nothing works less well.
"""

from __future__ import annotations

import os
import ssl
from typing import TYPE_CHECKING

from kubetui.kube.transport import Transport, fixed

if TYPE_CHECKING:
    from kubetui.kube.credentials import ClientSettings

__all__ = ["USER_AGENT", "direct_transport"]

_PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
USER_AGENT = "kubetui"


def direct_transport(settings: ClientSettings) -> Transport | None:
    """A Transport sending what the official client would send for `settings`, or None."""
    if any(os.environ.get(name) for name in _PROXY_VARIABLES) or not _served_directly(settings):
        return None
    headers = {"User-Agent": USER_AGENT}
    if settings.authorization:
        headers["Authorization"] = settings.authorization
    tls = _ssl_context(settings) if settings.server.startswith("https:") else None
    return Transport(settings.server, fixed(headers, tls))


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
