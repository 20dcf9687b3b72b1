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
import ssl
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from kubetui.errors import KubetuiError, from_transport_error

DATA, ERROR = 0, 1
PROTOCOL = "v4.channel.k8s.io"
HANDSHAKE_SECONDS = 20.0


class PortSocket:
    """The WebSocket of one forwarded connection, after the port frames."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    @property
    def socket(self) -> Any:
        return self.ws.sock

    def pending(self) -> bool:
        """Decrypted bytes wait inside the TLS object, where `select` cannot see them."""
        sock = self.ws.sock
        return isinstance(sock, ssl.SSLSocket) and sock.pending() > 0

    def read(self) -> tuple[int, bytes] | None:
        """The next (channel, payload); (-1, b"") for a control frame; None once closed."""
        from websocket import ABNF, WebSocketConnectionClosedException

        try:
            opcode, frame = self.ws.recv_data_frame(True)
        except (WebSocketConnectionClosedException, ConnectionError, OSError):
            return None
        if opcode == ABNF.OPCODE_CLOSE:
            return None
        data = frame.data if isinstance(frame.data, bytes) else str(frame.data).encode()
        if opcode != ABNF.OPCODE_BINARY or not data:
            return -1, b""
        return data[0], data[1:]

    def send(self, data: bytes) -> None:
        self.ws.send_binary(bytes([DATA]) + data)

    def close(self) -> None:
        try:
            self.ws.close(timeout=1)
        except Exception:  # already gone: nothing to tell anyone
            pass


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
