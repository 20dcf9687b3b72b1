"""One-shot GETs for `kubetui get`, without the kubernetes package: kubeconfig → one HTTPS connection.

Key decisions:
* Importing the official client costs ~0.3 s, more than `kubectl get` needs for a thousand
  objects, so for the kubeconfig shapes most clusters use (a server, a CA, a bearer token or
  client certificates, insecure-skip-tls-verify) the CLI reads the kubeconfig itself and sends
  its GETs over one kept-alive connection.
* Anything else (exec and auth-provider plugins, token files, basic auth, impersonation,
  tls-server-name, proxies) and any shape not understood makes `direct_connection` return
  None: the caller then connects through the official client (`contexts.connect`), which reads
  every shape and words every problem. So nothing works less well than before.
* `kube.requesting.open_get` hands the request to `DirectClient.open_get`; non-2xx answers raise
  the official client's own `ApiException` (imported only then), so errors take one route.
"""

from __future__ import annotations

import base64
import binascii
import os
import socket
import ssl
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from kubetui.errors import KubetuiError

__all__ = ["DirectClient", "DirectResponse", "direct_connection"]

_CLUSTER_KEYS = {"server", "certificate-authority", "certificate-authority-data", "insecure-skip-tls-verify",
                 "extensions", "disable-compression"}
_USER_KEYS = {"token", "client-certificate", "client-certificate-data", "client-key", "client-key-data",
              "extensions"}
_PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
USER_AGENT = "kubetui"


class _Unsupported(Exception):
    """A kubeconfig shape this module leaves to the official client."""


def direct_connection(kubeconfig: str | None, context: str | None, namespace: str | None):
    """A `contexts.Connection` whose client is a `DirectClient`, or None (use `contexts.connect`)."""
    from kubetui.kube.contexts import Connection, ContextInfo, kubeconfig_paths

    if any(os.environ.get(name) for name in _PROXY_VARIABLES):
        return None
    try:
        paths = kubeconfig_paths(kubeconfig)
        merged = _merged(paths)
        name = context or merged["current-context"]
        settings = _settings(merged, name)
    except (KubetuiError, _Unsupported, OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    contexts = [ContextInfo(n, str(body.get("cluster") or ""), str(body.get("user") or ""),
                            str(body.get("namespace") or "default")) for n, (body, _) in merged["contexts"].items()]
    client = DirectClient(settings["server"], settings["ssl_context"], settings["headers"])
    return Connection(api_client=client, kubeconfig=os.pathsep.join(paths), context=name,
                      server=settings["server"], namespace=namespace or settings["namespace"], contexts=contexts)


def _merged(paths: list[str]) -> dict:
    """kubectl's merge: the first file naming a cluster, user or context wins; so does the first
    current-context. Each entry keeps the directory its relative paths resolve against."""
    import yaml

    merged: dict[str, Any] = {"clusters": {}, "users": {}, "contexts": {}, "current-context": ""}
    for path in paths:
        with open(path, "rb") as handle:
            try:
                document = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
            except yaml.YAMLError:  # the official client's loader words what is wrong with it
                raise _Unsupported("a kubeconfig that is not valid YAML") from None
        base = str(Path(path).parent)
        for section, key in (("clusters", "cluster"), ("users", "user"), ("contexts", "context")):
            for entry in document.get(section) or ():
                body = entry.get(key)
                if not isinstance(body, dict):
                    raise _Unsupported(f"{section} entry without a body")
                merged[section].setdefault(str(entry["name"]), (body, base))
        merged["current-context"] = merged["current-context"] or str(document.get("current-context") or "")
    return merged


def _settings(merged: dict, name: str) -> dict:
    context, _ = merged["contexts"][name]
    cluster, cluster_dir = merged["clusters"][context["cluster"]]
    if not context.get("user"):
        raise _Unsupported("a context without a user: the official client words that")
    user, user_dir = merged["users"][context["user"]]
    if set(cluster) - _CLUSTER_KEYS or set(user) - _USER_KEYS or set(context) - {"cluster", "user", "namespace",
                                                                                 "extensions"}:
        raise _Unsupported("a kubeconfig setting the official client handles")
    server = str(cluster["server"]).rstrip("/")
    if urlsplit(server).scheme not in ("https", "http"):
        raise _Unsupported("not an http(s) server")
    headers = {"User-Agent": USER_AGENT}
    if user.get("token"):
        headers["Authorization"] = f"Bearer {user['token']}"
    return {"server": server, "headers": headers, "namespace": str(context.get("namespace") or "default"),
            "ssl_context": _ssl_context(cluster, cluster_dir, user, user_dir) if server.startswith("https") else None}


def _ssl_context(cluster: dict, cluster_dir: str, user: dict, user_dir: str) -> ssl.SSLContext:
    insecure = cluster.get("insecure-skip-tls-verify", False)
    if not isinstance(insecure, bool):
        raise _Unsupported("insecure-skip-tls-verify is not a boolean")
    ca = _pem(cluster, "certificate-authority", cluster_dir)
    if insecure and ca is not None:
        raise _Unsupported("a CA with insecure-skip-tls-verify: the official client words that refusal")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    elif ca is not None:
        context.load_verify_locations(cadata=ca.decode("ascii"))
    else:
        context.load_default_certs()
    cert, key = _pem(user, "client-certificate", user_dir), _pem(user, "client-key", user_dir)
    if (cert is None) != (key is None):
        raise _Unsupported("a client certificate without its key")
    if cert is not None and key is not None:
        _load_client_certificate(context, cert, key)
    return context


def _pem(body: dict, key: str, base_dir: str) -> bytes | None:
    """`key-data` (base64) or `key` (a file, relative to the kubeconfig's directory)."""
    data = body.get(f"{key}-data")
    if data:
        try:
            return base64.b64decode(str(data), validate=True)
        except (binascii.Error, ValueError):
            raise _Unsupported(f"{key}-data is not base64") from None
    path = body.get(key)
    if path:
        return (Path(base_dir) / Path(str(path)).expanduser()).read_bytes()
    return None


def _load_client_certificate(context: ssl.SSLContext, cert: bytes, key: bytes) -> None:
    """`load_cert_chain` only reads files: a private folder holds them for that one call."""
    import tempfile

    folder = tempfile.mkdtemp(prefix="kubetui-tls-")  # mode 0700
    try:
        cert_path, key_path = os.path.join(folder, "client.crt"), os.path.join(folder, "client.key")
        for path, data in ((cert_path, cert), (key_path, key)):
            with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
                handle.write(data)
        context.load_cert_chain(cert_path, key_path)
    finally:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


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
