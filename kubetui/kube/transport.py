"""HTTP to one API server: a small pool of kept-alive connections, verified TLS, auth, JSON, errors.

Key decisions:
* Every request of `kubetui get` and `kubetui apply` (and the apply panel's, through
  `client_transport`) goes out here. The official client's request path (the generated
  ApiClient, urllib3) costs ~0.3 s to import and more CPU per request than a local API server
  spends answering it; `http.client` costs 2-3x the CPU per request of the framing below (its
  headers go through the `email` parser) and ~10 ms of imports. An API server answers with a
  Content-Length or a chunked body (or nothing: 204, 304), which is all this reads.
* TLS always verifies the chain and the host name: whoever builds a Transport hands it such a
  context, or None for a plain-http server (`kubectl proxy`). What a context asks for beyond
  that (a proxy, a TLS server name, insecure-skip-tls-verify) is not served here.
* Credentials (headers, TLS context) come from a callable asked before each request, so a token
  an exec plugin refreshes is sent from then on; kept-alive connections made with an older TLS
  context are dropped. After a 401 the callable's `renew()`, when it has one, may give new
  ones at once, and the request goes once more with them.
* A server's `Warning: 299` texts (deprecated APIs) go to `on_warning`, which the CLI prints
  on stderr as kubectl does.
* A non-2xx answer raises `ApiError`, which carries what the official client's `ApiException`
  carries (status, reason, the Status body, the headers with Retry-After) without importing it;
  a transport failure raises as it came. Nothing else is sent again here but a request (not a
  POST) on a kept-alive connection that the server had closed before answering.
"""

from __future__ import annotations

import re
import select
import socket
import ssl
import threading
import weakref
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

import orjson

__all__ = ["JSON", "Answer", "ApiError", "Credentials", "Headers", "Transport", "fixed", "server_warnings",
           "target"]

JSON = "application/json"
POOL_SIZE = 8          # kept-alive connections at most: one per worker of an apply
MAX_HEADERS = 100      # as http.client: a longer header block is not an API server's
MAX_LINE = 65536

Credentials = Callable[[], tuple[Mapping[str, str], "ssl.SSLContext | None"]]
Timeout = float | tuple[float | None, float | None] | None


class Headers(dict):
    """An answer's headers by lower-case name; `get` takes any case, as urllib3's and http.client's do."""

    def get(self, name: str, default: Any = None) -> Any:
        return super().get(name.lower(), default)


class Answer:
    """A 2xx answer read whole: status, reason, headers and body."""

    __slots__ = ("data", "headers", "reason", "status")

    def __init__(self, status: int, reason: str, headers: Headers, data: bytes) -> None:
        self.status, self.reason, self.headers, self.data = status, reason, headers, data

    def json(self) -> Any:
        return orjson.loads(self.data) if self.data else {}

    def release_conn(self) -> None:
        """Nothing to release: the body was read whole (`requesting.read_json` calls this)."""


class ApiError(Exception):
    """A non-2xx answer, with what the official client's `ApiException` holds: `status`,
    `reason`, `body` (the Status, as text) and `headers`, so `kubetui.errors` and `apply_retry`
    read both alike."""

    def __init__(self, status: int, reason: str, body: str, headers: Mapping[str, str]) -> None:
        super().__init__(status, reason)
        self.status, self.reason, self.body, self.headers = status, reason, body, headers

    def __str__(self) -> str:  # the official client's layout
        return (f"({self.status})\nReason: {self.reason}\nHTTP response headers: {dict(self.headers)}\n"
                + (f"HTTP response body: {self.body}\n" if self.body else ""))


_WARNING = re.compile(r'\s*299\s+\S+\s+"((?:[^"\\]|\\.)*)"(?:\s+"[^"]*")?\s*(?:,|$)')


def server_warnings(header: str) -> list[str]:
    """The texts of a `Warning` header's 299 warnings (deprecations, as client-go shows them)."""
    texts, position = [], 0
    while position < len(header):
        match = _WARNING.match(header, position)
        if match is None:
            break
        texts.append(re.sub(r"\\(.)", r"\1", match.group(1)))
        position = match.end()
    return texts


def target(path: str, query: list[tuple[str, str]] | None) -> str:
    return path + ("?" + urlencode(query) if query else "")


def raise_for_status(answer: Answer) -> Answer:
    if not 200 <= answer.status <= 299:
        raise ApiError(answer.status, answer.reason, answer.data.decode("utf-8", "replace"), answer.headers)
    return answer


def fixed(headers: Mapping[str, str], tls: ssl.SSLContext | None) -> Credentials:
    """Credentials that never change (a token or client certificate from the kubeconfig)."""
    pair = (dict(headers), tls)
    return lambda: pair


class Transport:
    """Requests to the API server at `server`, from any thread."""

    def __init__(self, server: str, credentials: Credentials, *, pool_size: int = POOL_SIZE) -> None:
        parts = urlsplit(server)
        self.server = server
        self._host = parts.hostname or ""
        self._port = parts.port or (443 if parts.scheme == "https" else 80)
        self._host_header = parts.netloc.rpartition("@")[2]
        self._prefix = parts.path.rstrip("/")
        self._credentials = credentials
        self._pool_size = pool_size
        self._lock = threading.Lock()
        self._idle: list[_Connection] = []
        self._block: tuple[Any, bytes] = (None, b"")  # (headers it was made from, their encoding)
        self.on_warning: Callable[[str], None] | None = None  # gets each `Warning: 299` text the server sends
        weakref.finalize(self, _close_all, self._idle)

    def credentials(self) -> tuple[Mapping[str, str], ssl.SSLContext | None]:
        """The headers and TLS context a request would go with now (a stream's upgrade uses them)."""
        return self._credentials()

    def request(self, method: str, path: str, query: list[tuple[str, str]] | None = None, body: Any = None, *,
                content_type: str = JSON, accept: str = JSON, timeout: Timeout = None) -> Answer:
        """Send `method path?query` (with `body`: bytes as they are, anything else as JSON);
        the answer once it is 2xx, else `ApiError`."""
        data = None if body is None else body if isinstance(body, bytes) else orjson.dumps(body)
        head = f"{method} {self._prefix}{target(path, query)} HTTP/1.1\r\nAccept: {accept}\r\n"
        if data is not None:
            head += f"Content-Type: {content_type}\r\nContent-Length: {len(data)}\r\n"
        head_bytes, body_bytes = head.encode("latin-1"), data or b""
        headers, tls = self._credentials()
        answer = self._exchange(method, head_bytes + self._header_block(headers) + body_bytes, tls, timeout)
        if answer.status == 401 and self._renewed():  # a 401 was not processed: safe to send again
            headers, tls = self._credentials()
            answer = self._exchange(method, head_bytes + self._header_block(headers) + body_bytes, tls, timeout)
        warning = answer.headers.get("warning")
        if warning and self.on_warning is not None:
            for text in server_warnings(warning):
                self.on_warning(text)
        return raise_for_status(answer)

    def _exchange(self, method: str, request: bytes, tls: ssl.SSLContext | None, timeout: Timeout) -> Answer:
        while True:
            connection, reused = self._checkout(tls)
            try:
                answer, keep = connection.exchange(request, timeout)
            except _Closed:
                connection.close()
                if reused and method != "POST":
                    continue  # it had been closed while idle: the request never reached the server
                raise ConnectionResetError("the server closed the connection without an answer") from None
            except BaseException:
                connection.close()  # half a request or half an answer: this connection is done
                raise
            self._checkin(connection, keep)
            return answer

    def _renewed(self) -> bool:
        """Whether the credentials could be renewed after a 401 (an exec plugin's expired token)."""
        renew = getattr(self._credentials, "renew", None)
        return bool(renew and renew())

    def open_get(self, path: str, query: list[tuple[str, str]], *, timeout: Timeout = None,
                 accept: str = JSON) -> Answer:
        """`requesting.open_get` for this transport."""
        return self.request("GET", path, query, accept=accept, timeout=timeout)

    def close(self) -> None:
        """Close the idle connections; a later request opens a new one."""
        with self._lock:
            _close_all(self._idle)

    def _header_block(self, headers: Mapping[str, str]) -> bytes:
        made_from, block = self._block
        if made_from is not headers:  # new credentials: encode (and check) them once
            lines = [f"Host: {self._host_header}", *(f"{name}: {value}" for name, value in headers.items())]
            if any("\r" in line or "\n" in line for line in lines):
                raise ValueError("a request header (the token?) holds a line break")
            block = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
            self._block = (headers, block)
        return block

    def _checkout(self, tls: ssl.SSLContext | None) -> tuple[_Connection, bool]:
        with self._lock:
            while self._idle:
                connection = self._idle.pop()
                if connection.tls is tls and not connection.closed_while_idle():
                    return connection, True
                connection.close()
        return _Connection(self._host, self._port, tls), False

    def _checkin(self, connection: _Connection, keep: bool) -> None:
        if keep:
            with self._lock:
                if len(self._idle) < self._pool_size:
                    self._idle.append(connection)
                    return
        connection.close()


class _Connection:
    """One HTTP/1.1 connection, opened by its first request."""

    def __init__(self, host: str, port: int, tls: ssl.SSLContext | None) -> None:
        self.host, self.port, self.tls = host, port, tls
        self.socket: socket.socket | None = None
        self.reader: Any = None

    def exchange(self, request: bytes, timeout: Timeout) -> tuple[Answer, bool]:
        """Send the request, read the answer whole: (answer, whether the connection stays open).
        Raises `_Closed` when the connection ended before the first byte of an answer."""
        connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
        if self.socket is None:
            self._connect(connect)
        self.socket.settimeout(read)
        try:
            self.socket.sendall(request)
            status_line = self.reader.readline(MAX_LINE)
        except (ConnectionResetError, BrokenPipeError):
            raise _Closed() from None
        if not status_line:
            raise _Closed()
        return self._answer(status_line)

    def closed_while_idle(self) -> bool:
        """Readable while idle means the server closed it (or sent what no request asked for)."""
        if self.socket is None:
            return False
        poller = select.poll()
        poller.register(self.socket, select.POLLIN)
        return bool(poller.poll(0))

    def close(self) -> None:
        for closable in (self.reader, self.socket):
            if closable is not None:
                try:
                    closable.close()
                except OSError:
                    pass
        self.socket = self.reader = None

    def _connect(self, timeout: float | None) -> None:
        raw = socket.create_connection((self.host, self.port), timeout=timeout)
        try:
            raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.socket = self.tls.wrap_socket(raw, server_hostname=self.host) if self.tls else raw
        except BaseException:
            raw.close()
            raise
        self.reader = self.socket.makefile("rb")

    def _answer(self, status_line: bytes) -> tuple[Answer, bool]:
        while True:
            version, status, reason = _status(status_line)
            headers = self._headers()
            if not 100 <= status <= 199:
                break
            status_line = self.reader.readline(MAX_LINE)  # an interim answer (102 Processing): the real one follows
        if status in (204, 304):
            data = b""
        elif headers.get("transfer-encoding", "").lower().endswith("chunked"):
            data = self._chunked()
        elif "content-length" in headers:
            data = self._exactly(int(headers["content-length"]))
        else:
            data, headers["connection"] = self.reader.read(), "close"  # the body ends with the connection
        keep = version != "HTTP/1.0" and headers.get("connection", "").lower() != "close"
        return Answer(status, reason, headers, data), keep

    def _headers(self) -> Headers:
        headers = Headers()
        for _ in range(MAX_HEADERS + 1):
            line = self.reader.readline(MAX_LINE)
            if line in (b"\r\n", b"\n", b""):
                return headers
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        raise ConnectionError(f"the server sent more than {MAX_HEADERS} headers")

    def _chunked(self) -> bytes:
        parts = []
        while True:
            size = int(self.reader.readline(MAX_LINE).split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while self.reader.readline(MAX_LINE) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(parts)
            parts.append(self._exactly(size))
            self.reader.readline(MAX_LINE)  # the CRLF after the chunk

    def _exactly(self, size: int) -> bytes:
        data = self.reader.read(size)
        if len(data) != size:
            raise ConnectionResetError("the server closed the connection in the middle of an answer")
        return data


class _Closed(Exception):
    """The connection ended before an answer began."""


def _status(line: bytes) -> tuple[str, int, str]:
    version, _, rest = line.decode("latin-1").rstrip("\r\n").partition(" ")
    code, _, reason = rest.partition(" ")
    if not version.startswith("HTTP/") or not code.isdigit():
        raise ConnectionError(f"not an HTTP answer: {line[:80]!r}")
    return version, int(code), reason


def _close_all(connections: list[_Connection]) -> None:
    while connections:
        connections.pop().close()
