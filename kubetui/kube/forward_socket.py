"""One forwarded connection's WebSocket: `pods/portforward` in the v4 channel protocol.

Key decisions: the v4 protocol carries one connection per port, so each local connection gets
its own WebSocket, opened with the connection's own credentials and TLS context (a
`Transport`'s, or what the official client's configuration gives when it needs its proxy). The
server's first frame on each of the port's two channels is the port number (2 bytes, little
endian); `open_port` reads both, so the caller sees only data (channel 0) and the kubelet's
error text (channel 1). An upgrade the server refuses is a KubetuiError in kubectl's words
(`error upgrading connection: ...`, the Status message the server sent).
"""

from __future__ import annotations

import json
import os
import ssl
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from kubetui.errors import KubetuiError, from_transport_error

DATA, ERROR = 0, 1
PROTOCOL = "v4.channel.k8s.io"
HANDSHAKE_SECONDS = 20.0
READ_SIZE = 256 * 1024
FRAME_SIZE = 32 * 1024
_CONTINUATION, _TEXT, _BINARY, _CLOSE, _PING = 0x0, 0x1, 0x2, 0x8, 0x9


class PortSocket:
    """The WebSocket of one forwarded connection, after the handshake: frames read and written here.

    websocket-client does the handshake (and a proxy's CONNECT); the frames are read straight
    off the socket through a buffer of `READ_SIZE` (its own reader asks the TLS layer for 16 KB
    at a time and joins the pieces), which more than doubles what a download reaches."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.sock = ws.sock
        self._buffer = bytearray()
        self._start = 0  # where the unread bytes of `_buffer` begin
        self._channel = -1  # of a fragmented message, for its continuation frames

    @property
    def socket(self) -> Any:
        return self.sock

    def pending(self) -> bool:
        """A frame can be read without waiting: whole in the buffer, or bytes inside the TLS
        object, where `select` cannot see them."""
        return self._frame(peek=True) is not None or (isinstance(self.sock, ssl.SSLSocket) and self.sock.pending() > 0)

    def read(self) -> tuple[int, bytes] | None:
        """The next (channel, payload); (-1, b"") for a control frame; None once closed."""
        while True:
            frame = self._frame()
            if frame is not None:
                break
            try:
                chunk = self.sock.recv(READ_SIZE)
            except (ConnectionError, OSError):
                return None
            if not chunk:
                return None
            if self._start:
                del self._buffer[:self._start]
                self._start = 0
            self._buffer += chunk
        final, opcode, payload = frame
        if opcode == _CLOSE:
            return None
        if opcode == _PING:
            self._write(0x8A, payload)  # the pong carries the ping's payload
            return -1, b""
        if opcode == _CONTINUATION and self._channel >= 0:
            channel = self._channel
        elif opcode in (_BINARY, _TEXT) and payload:
            channel, payload = payload[0], payload[1:]
        else:
            return -1, b""
        self._channel = -1 if final else channel
        return channel, payload

    def _frame(self, peek: bool = False) -> tuple[bool, int, bytes] | None:
        """(final, opcode, payload) of the frame at the buffer's start, if it is whole."""
        buffer, start = self._buffer, self._start
        available = len(buffer) - start
        if available < 2:
            return None
        first, second = buffer[start], buffer[start + 1]
        length, offset = second & 0x7F, start + 2
        if length == 126:
            if available < 4:
                return None
            length, offset = int.from_bytes(buffer[start + 2:start + 4], "big"), start + 4
        elif length == 127:
            if available < 10:
                return None
            length, offset = int.from_bytes(buffer[start + 2:start + 10], "big"), start + 10
        key = b""
        if second & 0x80:  # a server must not mask, but reading one costs nothing
            key, offset = bytes(buffer[offset:offset + 4]), offset + 4
        if len(buffer) < offset + length:
            return None
        if peek:
            return True, 0, b""
        payload = bytes(buffer[offset:offset + length])
        self._start = offset + length
        return bool(first & 0x80), first & 0x0F, _masked(payload, key) if key else payload

    def _write(self, head: int, payload: bytes) -> None:
        self.sock.sendall(_frame_bytes(head, payload))

    def send(self, data: bytes) -> None:
        """Data for the pod, in frames of at most `FRAME_SIZE` sent at once: an API server reads
        a message whole before the next, so big ones hold an upload back."""
        self.sock.sendall(b"".join(_frame_bytes(0x82, bytes([DATA]) + data[start:start + FRAME_SIZE])
                                   for start in range(0, len(data), FRAME_SIZE)))

    def close(self) -> None:
        try:
            self._write(0x88, (1000).to_bytes(2, "big"))
        except OSError:
            pass
        try:
            self.sock.close()
        except OSError:
            pass


def _frame_bytes(head: int, payload: bytes) -> bytes:
    """One masked client frame (`head`: FIN and the opcode)."""
    size = len(payload)
    if size < 126:
        header = bytes([head, 0x80 | size])
    elif size < 1 << 16:
        header = bytes([head, 0x80 | 126]) + size.to_bytes(2, "big")
    else:
        header = bytes([head, 0x80 | 127]) + size.to_bytes(8, "big")
    key = os.urandom(4)  # RFC 6455: a fresh, unpredictable key for every frame
    return header + key + _masked(payload, key)


def _masked(payload: bytes, key: bytes) -> bytes:
    """XOR with the 4-byte key, over the whole payload at once (Python's big integers)."""
    size = len(payload)
    repeated = key * (size // 4) + key[:size % 4]
    return (int.from_bytes(payload, "little") ^ int.from_bytes(repeated, "little")).to_bytes(size, "little")


def _url(server: str, path: str, query: list[tuple[str, str]]) -> str:
    parts = urlsplit(server)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/") + path, urlencode(query), ""))


def _connect(api_client: Any, url_path: str, query: list[tuple[str, str]]) -> Any:
    from websocket import WebSocket

    from kubetui.kube.client_transport import transport_for
    from kubetui.kube.transport import Transport

    transport = transport_for(api_client)
    if isinstance(transport, Transport):
        headers, tls = transport.credentials()
        ws = WebSocket(sslopt={"context": tls} if tls is not None else {}, skip_utf8_validation=True)
        ws.connect(_url(transport.server, url_path, query), subprotocols=[PROTOCOL], timeout=HANDSHAKE_SECONDS,
                   header=[f"{name}: {value}" for name, value in headers.items()
                           if name.lower() in ("authorization", "user-agent")])
        return ws
    from kubernetes.stream.ws_client import create_websocket  # a proxy, a TLS server name...

    configuration = api_client.configuration
    _method, _url_text, headers, _body, _post = api_client.param_serialize("GET", "/", auth_settings=["BearerToken"])
    wanted = {"sec-websocket-protocol": PROTOCOL}
    if headers.get("Authorization"):
        wanted["authorization"] = headers["Authorization"]
    return create_websocket(configuration, _url(configuration.host, url_path, query), headers=wanted)


def open_port(api_client: Any, namespace: str, pod: str, port: int, server: str = "") -> PortSocket:
    """A connection to `port` of the pod (blocking: call it from a worker thread)."""
    from websocket import WebSocketBadStatusException

    path = f"/api/v1/namespaces/{namespace}/pods/{pod}/portforward"
    try:
        ws = _connect(api_client, path, [("ports", str(port))])
    except WebSocketBadStatusException as exc:
        body = getattr(exc, "resp_body", b"") or b""
        try:
            message = json.loads(body).get("message") or ""
        except (ValueError, AttributeError):
            message = body.decode(errors="replace").strip() if isinstance(body, bytes) else str(body)
        raise KubetuiError(f"error upgrading connection: unable to upgrade connection: {message or exc}",
                           "Port-forward") from None
    except KubetuiError:
        raise
    except Exception as exc:  # refused, TLS, timeout
        raise from_transport_error(exc, server) from None
    ws.sock.settimeout(HANDSHAKE_SECONDS)
    socket = PortSocket(ws)
    seen: set[int] = set()
    while seen != {DATA, ERROR}:
        frame = socket.read()
        if frame is None:
            raise KubetuiError("error upgrading connection: the server closed the port-forward stream",
                               "Port-forward")
        channel, payload = frame
        if channel in (DATA, ERROR) and channel not in seen and len(payload) == 2:
            seen.add(channel)
    ws.sock.settimeout(None)
    return socket
