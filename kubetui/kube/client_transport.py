"""A transport for an official `ApiClient` (the TUI's connection, or a kubeconfig the CLI cannot serve alone).

Key decisions:
* Where the client's configuration asks for nothing beyond a server, a CA, a client certificate
  and verification, requests go through `transport.Transport` (the apply panel's apply costs
  what `kubetui apply`'s does), with a TLS context made from the configuration's files and the
  headers `ApiClient.param_serialize` builds (token, user agent), both rebuilt every
  REFRESH_SECONDS, and at once after a 401: a token or client certificate an exec plugin (or
  the client's oidc loader) refreshes is picked up then.
* A proxy (the kubeconfig's or the environment's), a TLS server name, a pinned host name, socket
  options or insecure-skip-tls-verify are what the client's urllib3 pool does and the transport
  does not: such a client's requests go through that pool (`PoolTransport`), with the same
  answers and errors (`Answer`, `ApiError`).
"""

from __future__ import annotations

import os
import ssl
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import orjson

from kubetui.kube.transport import JSON, Answer, Headers, Timeout, Transport, raise_for_status, target

__all__ = ["PoolTransport", "transport_for"]

AUTH_SETTINGS = ["BearerToken"]
REFRESH_SECONDS = 30.0


def transport_for(api_client: Any) -> Any:
    """`api_client` itself when it is a transport (`direct_client`), else one for the official client."""
    if isinstance(api_client, (Transport, PoolTransport)):
        return api_client
    configuration = api_client.configuration

    def setting(name: str) -> Any:  # older clients lack some of them
        return getattr(configuration, name, None)

    scheme = urlsplit(configuration.host).scheme
    if (scheme not in ("https", "http") or setting("proxy") or setting("tls_server_name")
            or setting("assert_hostname") is not None or setting("socket_options")
            or setting("verify_ssl") is False):
        return PoolTransport(api_client)
    return Transport(configuration.host, _ClientCredentials(api_client, tls=scheme == "https"))


class _ClientCredentials:
    """(headers, TLS context) as the client's configuration has them, at most REFRESH_SECONDS old."""

    def __init__(self, api_client: Any, *, tls: bool) -> None:
        self.api_client = api_client
        self.tls = tls
        self._lock = threading.Lock()
        self._built = -REFRESH_SECONDS
        self._current: tuple[dict, ssl.SSLContext | None] = ({}, None)
        self._files: tuple = ()

    def renew(self) -> bool:
        """After a 401: the client's credentials now; whether the token changed."""
        with self._lock:
            before, self._built = self._current[0].get("Authorization"), -REFRESH_SECONDS
        return self()[0].get("Authorization") != before

    def __call__(self) -> tuple[dict, ssl.SSLContext | None]:
        with self._lock:
            if time.monotonic() - self._built >= REFRESH_SECONDS:
                # Runs the client's refresh hook (an exec plugin's, once its token expired).
                _method, _url, headers, _body, _post = self.api_client.param_serialize(
                    "GET", "/", auth_settings=AUTH_SETTINGS)
                context = self._current[1]
                if self.tls:
                    files = _signature(self.api_client.configuration)
                    if context is None or files != self._files:
                        context, self._files = _ssl_context(self.api_client.configuration), files
                self._current, self._built = (headers, context), time.monotonic()
            return self._current


def _signature(configuration: Any) -> tuple:
    """What the TLS files are now: a rewritten certificate (an exec plugin's new one) changes it."""
    found = []
    for name in ("ssl_ca_cert", "cert_file", "key_file"):
        path = getattr(configuration, name, None)
        try:
            stat = os.stat(path) if path else None
        except OSError:
            stat = None
        found.append((path, stat and (stat.st_mtime_ns, stat.st_size, stat.st_ino)))
    return tuple(found)


def _ssl_context(configuration: Any) -> ssl.SSLContext:
    def setting(name: str) -> Any:
        return getattr(configuration, name, None)

    context = ssl.create_default_context(cafile=setting("ssl_ca_cert"), cadata=setting("ca_cert_data"))
    if setting("cert_file"):
        context.load_cert_chain(setting("cert_file"), setting("key_file"))
    return context


class PoolTransport:
    """Requests through the official client's own urllib3 pool (its proxy and TLS settings)."""

    def __init__(self, api_client: Any) -> None:
        self.api_client = api_client
        self.server = api_client.configuration.host
        self._credentials = _ClientCredentials(api_client, tls=False)

    def request(self, method: str, path: str, query: list[tuple[str, str]] | None = None, body: Any = None, *,
                content_type: str = JSON, accept: str = JSON, timeout: Timeout = None) -> Answer:
        data = None if body is None else body if isinstance(body, bytes) else orjson.dumps(body)
        answer = self._send(method, target(path, query), data, content_type, accept, timeout)
        if answer.status == 401 and self._credentials.renew():  # a 401 was not processed: safe to send again
            answer = self._send(method, target(path, query), data, content_type, accept, timeout)
        return raise_for_status(answer)

    def _send(self, method: str, path: str, data: bytes | None, content_type: str, accept: str,
              timeout: Timeout) -> Answer:
        import urllib3

        headers = {**self._credentials()[0], "Accept": accept}
        if data is not None:
            headers["Content-Type"] = content_type
        connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
        response = self.api_client.rest_client.pool_manager.request(
            method, self.server.rstrip("/") + path, body=data, headers=headers,
            timeout=urllib3.Timeout(connect=connect, read=read), preload_content=False, retries=False)
        try:
            payload = response.data
        finally:
            response.release_conn()
        answer_headers = Headers((name.lower(), value) for name, value in response.headers.items())
        return Answer(response.status, response.reason or "", answer_headers, payload)

    def open_get(self, path: str, query: list[tuple[str, str]], *, timeout: Timeout = None,
                 accept: str = JSON) -> Answer:
        return self.request("GET", path, query, accept=accept, timeout=timeout)

    def close(self) -> None:
        """Nothing of ours to close: the pool is the client's, closed with it."""
