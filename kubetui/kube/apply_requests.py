"""The HTTP requests of applying: server-side apply, create, read, replace, delete, list pages.

Key decision: the DynamicClient resolves kinds (discovery), but requests skip the official
client's request path, whose client-side CPU per call (parameter sanitising, auth rebuilt from
a configuration that re-reads the proxy environment each time, urllib3's pool bookkeeping and
response wrapping) exceeds what the server spends answering; applying 1,000 objects is 2,000
calls. So:
* the URL prefix, auth and default headers come from `ApiClient.param_serialize`, as the
  generated methods build them, rebuilt every HEADERS_FOR seconds (a token an exec plugin
  refreshes is picked up then);
* requests go over keep-alive `http.client` connections made with the client's TLS settings
  (CA, client certificate, verification), one request per connection at a time. When the
  configuration asks for what only urllib3 does here (a proxy, a TLS server name or pinned
  hostname, socket options), they go through the client's urllib3 pool instead;
* bodies and answers go through orjson; a non-2xx answer raises `ApiException` with the Status
  body and the headers (Retry-After); a transport failure raises as it came.
Nothing here retries: `apply_retry` decides what is sent again.
"""

from __future__ import annotations

import http.client
import ssl
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

import orjson
import urllib3
from kubernetes.client.exceptions import ApiException
from urllib3.util.wait import wait_for_read

JSON = "application/json"
APPLY_PATCH = "application/apply-patch+yaml"  # JSON is YAML: the server takes it as is
AUTH_SETTINGS = ["BearerToken"]
HEADERS_FOR = 30.0


class Wire:
    """Requests to one cluster as `field_manager`, each answered with (status, object)."""

    def __init__(self, api_client: Any, field_manager: str, timeout: float) -> None:
        self.api_client = api_client
        self.field_manager = field_manager
        self.timeout = timeout
        self._lock = threading.Lock()
        self._built = -HEADERS_FOR
        self._base, self._headers = "", {}
        self._idle: list[http.client.HTTPSConnection] = []
        self._connect = _direct_connections(api_client.configuration, timeout)
        weakref.finalize(self, _close_all, self._idle)

    def close(self) -> None:
        _close_all(self._idle)

    def _prepared(self) -> tuple[str, dict]:
        """(base URL, headers) as the client builds them, at most HEADERS_FOR seconds old."""
        with self._lock:
            if time.monotonic() - self._built >= HEADERS_FOR:
                _method, url, headers, _body, _post = self.api_client.param_serialize(
                    "GET", "/", header_params={"Accept": JSON}, auth_settings=AUTH_SETTINGS)
                self._base, self._headers, self._built = url[:-1], headers, time.monotonic()
            return self._base, self._headers

    def send(self, method: str, path: str, query: list[tuple[str, str]] | None = None, body: Any = None,
             content_type: str = JSON) -> tuple[int, dict]:
        base, headers = self._prepared()
        if body is not None:
            headers = {**headers, "Content-Type": content_type}
        target = path + ("?" + urlencode(query) if query else "")
        data = orjson.dumps(body) if body is not None else None
        if self._connect is not None:
            status, reason, answer_headers, payload = self._send_direct(
                method, urlsplit(base).path + target, data, headers)
        else:
            response = self.api_client.rest_client.pool_manager.request(
                method, base + target, body=data, headers=headers, timeout=urllib3.Timeout(total=self.timeout),
                preload_content=False, retries=False)
            try:
                payload = response.data
            finally:
                response.release_conn()
            status, reason, answer_headers = response.status, response.reason, response.headers
        if not 200 <= status <= 299:
            error = ApiException(status=status, reason=reason)
            error.body, error.headers = payload.decode("utf-8", "replace"), answer_headers
            raise error
        return status, orjson.loads(payload) if payload else {}

    def _send_direct(self, method: str, target: str, data: bytes | None, headers: dict) -> tuple:
        connection = None
        with self._lock:
            while self._idle and connection is None:
                connection = self._idle.pop()
                if connection.sock is None or wait_for_read(connection.sock, timeout=0.0):
                    connection.close()  # closed by the server while idle (readable means EOF here)
                    connection = None
        if connection is None:
            connection = self._connect()
        try:
            connection.request(method, target, body=data, headers=headers)
            response = connection.getresponse()
            payload = response.read()
        except BaseException:
            connection.close()
            raise
        if response.will_close:
            connection.close()
        else:
            with self._lock:
                self._idle.append(connection)
        return response.status, response.reason, response.headers, payload

    def _write_query(self, dry_run: bool, **more: str) -> list[tuple[str, str]]:
        query = [("fieldManager", self.field_manager)]
        if dry_run:
            query.append(("dryRun", "All"))
        return query + list(more.items())

    def apply(self, item_path: str, body: dict, *, dry_run: bool, force: bool) -> tuple[int, dict]:
        """Server-side apply: 201 when it created the object."""
        more = {"force": "true"} if force else {}
        return self.send("PATCH", item_path, self._write_query(dry_run, **more), body, APPLY_PATCH)

    def create(self, collection_path: str, body: dict, *, dry_run: bool) -> tuple[int, dict]:
        return self.send("POST", collection_path, self._write_query(dry_run), body)

    def get(self, item_path: str) -> dict:
        return self.send("GET", item_path)[1]

    def replace(self, item_path: str, body: dict) -> dict:
        return self.send("PUT", item_path, self._write_query(False), body)[1]

    def delete(self, item_path: str, uid: str | None = None) -> dict:
        body: dict = {"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Background"}
        if uid:
            body["preconditions"] = {"uid": uid}
        return self.send("DELETE", item_path, body=body)[1]

    def list_page(self, collection_path: str, limit: int, token: str = "") -> dict:
        """One page of a list; its metadata has the collection's resourceVersion, and (when
        more follow) the `continue` token and `remainingItemCount`."""
        query = [("limit", str(limit))] + ([("continue", token)] if token else [])
        return self.send("GET", collection_path, query)[1]


def _direct_connections(configuration: Any, timeout: float) -> Callable[[], http.client.HTTPSConnection] | None:
    """A maker of HTTPS connections with the configuration's TLS settings, or None when it asks
    for something only the client's urllib3 pool handles here."""
    def setting(name: str) -> Any:  # older clients lack some of them
        return getattr(configuration, name, None)

    url = urlsplit(configuration.host)
    if (url.scheme != "https" or setting("proxy") or setting("tls_server_name")
            or setting("assert_hostname") is not None or setting("socket_options")):
        return None
    context = ssl.create_default_context(cafile=setting("ssl_ca_cert"), cadata=setting("ca_cert_data"))
    if setting("verify_ssl") is False:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if setting("cert_file"):
        context.load_cert_chain(setting("cert_file"), setting("key_file"))
    host, port = url.hostname, url.port or 443
    return lambda: http.client.HTTPSConnection(host, port, timeout=timeout, context=context)


def _close_all(connections: list) -> None:
    while connections:
        connections.pop().close()
