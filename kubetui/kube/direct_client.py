"""One-shot GETs for `kubetui get`, without the kubernetes package: checked settings → one HTTPS connection.

Key decisions:
* Importing the official client costs ~0.3 s, more than `kubectl get` needs for a thousand
  objects, so where a context needs nothing more than a server, a CA, a bearer token (inline or
  from a tokenFile) and a client certificate, the CLI sends its GETs itself over one kept-alive connection, always verifying the
  server's certificate.
* The kubeconfig is read and checked by `kube.kubeconfig` and `kube.credentials`, as for the TUI,
  so a wrong one is the same line everywhere. Anything the settings ask for beyond the above
  (exec and auth-provider plugins, basic auth, impersonation, tls-server-name,
  insecure-skip-tls-verify, a proxy in the kubeconfig or the environment) makes
  `direct_connection` return None: the caller then connects through the official client
  (`contexts.connect`). So nothing works less well than through it.
* `kube.requesting.open_get` hands the request to `DirectClient.open_get`; non-2xx answers raise
  the official client's own `ApiException` (imported only then), so errors take one route.
"""

from __future__ import annotations

import os
import socket
import ssl
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

if TYPE_CHECKING:
    from kubetui.kube.credentials import ClientSettings

__all__ = ["DirectClient", "DirectResponse", "direct_connection"]

_PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
USER_AGENT = "kubetui"


def direct_connection(kubeconfig: str | None, context: str | None, namespace: str | None):
    """A `contexts.Connection` whose client is a `DirectClient`, or None (use `contexts.connect`).

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
    return Connection(api_client=DirectClient(settings.server, tls, headers), kubeconfig=config.label,
                      context=name, server=settings.server, namespace=settings.namespace,
                      contexts=context_infos(config))


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


class DirectResponse:
    """An answer read off the connection: status, headers and the whole body.

    The part of a urllib3 response that `requesting.read_json` and `ApiException` use.
    """

    def __init__(self, status: int, reason: str, headers: dict[str, str], data: bytes) -> None:
        self.status, self.reason, self.headers, self.data = status, reason, headers, data

    def read(self, amt: int | None = None) -> bytes:
        data, self.data = (self.data, b"") if amt is None else (self.data[:amt], self.data[amt:])
        return data

    def release_conn(self) -> None:
        """Nothing to release: the body was read whole, the connection is ready for the next GET."""

    def getheaders(self) -> dict[str, str]:
        return self.headers

    def close(self) -> None:
        pass


class DirectClient:
    """GETs to one API server over one kept-alive HTTP/1.1 connection (one CLI run, one thread).

    HTTP is spoken here over a plain (TLS) socket rather than through `http.client`, whose
    `email` parsing costs ~10 ms of imports: a GET answered with a Content-Length or a chunked
    body is all an API server sends back.
    """

    def __init__(self, server: str, ssl_context: ssl.SSLContext | None, headers: dict[str, str]) -> None:
        parts = urlsplit(server)
        self.server = server
        self._host = parts.hostname or ""
        self._port = parts.port or (443 if parts.scheme == "https" else 80)
        self._host_header = parts.netloc.rpartition("@")[2]
        self._prefix = parts.path.rstrip("/")
        self._context = ssl_context if parts.scheme == "https" else None
        self._headers = headers
        self._socket: socket.socket | None = None
        self._reader: Any = None

    def open_get(self, path: str, query: list[tuple[str, str]], *, timeout: Any = None,
                 accept: str = "application/json") -> DirectResponse:
        """Send `GET path?query`; the answer once it is 2xx, else `ApiException`."""
        target = self._prefix + path + (f"?{urlencode(query)}" if query else "")
        headers = {"Host": self._host_header, **self._headers, "Accept": accept}
        request = "".join([f"GET {target} HTTP/1.1\r\n", *(f"{k}: {v}\r\n" for k, v in headers.items()), "\r\n"])
        reused = self._socket is not None
        try:
            answer = self._exchange(request.encode("latin-1"), timeout)
        except (ConnectionResetError, BrokenPipeError, _Closed):
            if not reused:
                raise ConnectionResetError("the server closed the connection without an answer") from None
            answer = self._exchange(request.encode("latin-1"), timeout)  # the kept-alive one had gone
        if not 200 <= answer.status <= 299:
            from kubernetes.client.exceptions import ApiException  # errors only: the import is slow

            raise ApiException.from_response(http_resp=answer, body=None, data=None)
        return answer

    def _exchange(self, request: bytes, timeout: Any) -> DirectResponse:
        connect, read = _timeouts(timeout)
        try:
            if self._socket is None:
                self._connect(connect)
            self._socket.settimeout(read)
            self._socket.sendall(request)
            answer, keep = self._read_answer()
        except BaseException:
            self.close()  # half a request or half an answer: this connection is done
            raise
        if not keep:
            self.close()
        return answer

    def _connect(self, timeout: float | None) -> None:
        raw = socket.create_connection((self._host, self._port), timeout=timeout)
        try:
            raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._socket = self._context.wrap_socket(raw, server_hostname=self._host) if self._context else raw
        except BaseException:
            raw.close()
            raise
        self._reader = self._socket.makefile("rb")

    def _read_answer(self) -> tuple[DirectResponse, bool]:
        status_line = self._reader.readline(65537)
        if not status_line:
            raise _Closed()
        version, _, rest = status_line.decode("latin-1").rstrip("\r\n").partition(" ")
        code, _, reason = rest.partition(" ")
        if not version.startswith("HTTP/") or not code.isdigit():
            raise ConnectionError(f"not an HTTP answer: {status_line[:80]!r}")
        headers: dict[str, str] = {}
        while True:
            line = self._reader.readline(65537)
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower().endswith("chunked"):
            data = self._read_chunked()
        elif "content-length" in headers:
            data = self._read_exactly(int(headers["content-length"]))
        else:
            data, headers["connection"] = self._reader.read(), "close"  # the body ends with the connection
        keep = version != "HTTP/1.0" and headers.get("connection", "").lower() != "close"
        return DirectResponse(int(code), reason, headers, data), keep

    def _read_chunked(self) -> bytes:
        parts = []
        while True:
            size = int(self._reader.readline(65537).split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while self._reader.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(parts)
            parts.append(self._read_exactly(size))
            self._reader.readline(65537)  # the CRLF after the chunk

    def _read_exactly(self, size: int) -> bytes:
        data = self._reader.read(size)
        if len(data) != size:
            raise ConnectionResetError("the server closed the connection in the middle of an answer")
        return data

    def close(self) -> None:
        for closable in (self._reader, self._socket):
            if closable is not None:
                try:
                    closable.close()
                except OSError:
                    pass
        self._socket = self._reader = None


class _Closed(Exception):
    """The kept-alive connection was closed before an answer began."""


def _timeouts(timeout: Any) -> tuple[float | None, float | None]:
    if isinstance(timeout, tuple):
        return timeout[0], timeout[1]
    return timeout, timeout
