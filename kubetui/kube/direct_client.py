"""One-shot GETs for `kubetui get`, without the kubernetes package: kubeconfig → http.client.

Key decisions:
* Importing the official client costs ~0.3 s, more than `kubectl get` needs for a thousand
  objects, so for the kubeconfig shapes most clusters use (a server, a CA, a bearer token or
  client certificates, insecure-skip-tls-verify) the CLI reads the kubeconfig itself and sends
  its GETs over one kept-alive `http.client` connection.
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
import http.client
import os
import shutil
import ssl
import tempfile
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
            document = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
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
    user, user_dir = merged["users"][context["user"]] if context.get("user") else ({}, "")
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
    folder = tempfile.mkdtemp(prefix="kubetui-tls-")  # mode 0700
    try:
        cert_path, key_path = os.path.join(folder, "client.crt"), os.path.join(folder, "client.key")
        for path, data in ((cert_path, cert), (key_path, key)):
            with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
                handle.write(data)
        context.load_cert_chain(cert_path, key_path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class DirectResponse:
    """The part of a urllib3 response that `requesting.read_json` and the errors use."""

    def __init__(self, response: http.client.HTTPResponse) -> None:
        self._response = response
        self.status = response.status
        self.reason = response.reason
        self.headers = response.headers
        self._data: bytes | None = None

    @property
    def data(self) -> bytes:
        if self._data is None:
            self._data = self._response.read()
        return self._data

    def read(self, amt: int | None = None) -> bytes:
        return self._response.read(amt)

    def release_conn(self) -> None:
        """Read what is left, so the kept-alive connection can carry the next request."""
        if self._data is None:
            self._data = self._response.read()

    def close(self) -> None:
        self._response.close()


class DirectClient:
    """GETs to one API server over one kept-alive connection (not thread-safe: one CLI run)."""

    def __init__(self, server: str, ssl_context: ssl.SSLContext | None, headers: dict[str, str]) -> None:
        parts = urlsplit(server)
        self.server = server
        self._secure = parts.scheme == "https"
        self._host = parts.hostname or ""
        self._port = parts.port or (443 if self._secure else 80)
        self._prefix = parts.path.rstrip("/")
        self._context = ssl_context
        self._headers = headers
        self._connection: http.client.HTTPConnection | None = None

    def open_get(self, path: str, query: list[tuple[str, str]], *, timeout: Any = None,
                 accept: str = "application/json") -> DirectResponse:
        """Send `GET path?query`; the unread response once it answered 2xx, else `ApiException`."""
        url = self._prefix + path + (f"?{urlencode(query)}" if query else "")
        headers = {**self._headers, "Accept": accept}
        reused = self._connection is not None
        try:
            response = self._send(url, headers, timeout)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            if not reused:
                raise
            self.close()  # the server closed the kept-alive connection meanwhile: once more, afresh
            response = self._send(url, headers, timeout)
        answer = DirectResponse(response)
        if not 200 <= answer.status <= 299:
            answer.release_conn()
            from kubernetes.client.exceptions import ApiException  # errors only: the import is slow

            raise ApiException.from_response(http_resp=answer, body=None, data=None)
        return answer

    def _send(self, url: str, headers: dict[str, str], timeout: Any) -> http.client.HTTPResponse:
        connect, read = _timeouts(timeout)
        if self._connection is None:
            if self._secure:
                self._connection = http.client.HTTPSConnection(self._host, self._port, timeout=connect,
                                                               context=self._context)
            else:
                self._connection = http.client.HTTPConnection(self._host, self._port, timeout=connect)
        connection = self._connection
        try:
            if connection.sock is None:  # new, or closed by the server after its last answer
                connection.timeout = connect
                connection.connect()
            connection.sock.settimeout(read)
            connection.request("GET", url, headers=headers)
            return connection.getresponse()
        except BaseException:
            self.close()  # half a request or an unread answer: this connection is done
            raise

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _timeouts(timeout: Any) -> tuple[float | None, float | None]:
    if isinstance(timeout, tuple):
        return timeout[0], timeout[1]
    return timeout, timeout
