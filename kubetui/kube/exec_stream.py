"""Opening an exec stream with the official client, and reading its frames ourselves.

The stream is `kubernetes.stream.stream(connect_get_namespaced_pod_exec, …,
_preload_content=False, binary=True)`, a `WSClient`. We write through its `write_channel`, but
read frames straight off its WebSocket (`ws.sock.recv_data_frame`): `WSClient.update()` copies
every stdout byte into a capture buffer that is never emptied (`capture_all` cannot be switched
off through `stream()`) and appends to a `bytes` per channel — a `cat` of a big file would
grow memory without end, the Freelens #1655 failure. Reading frames one by one keeps memory
flat and lets the caller decide how much to read before yielding.
"""

from __future__ import annotations

import json
import select
import ssl
from dataclasses import dataclass

from kubetui.kube.exec_errors import connect_error

STDIN, STDOUT, STDERR, STATUS, RESIZE, CLOSE = 0, 1, 2, 3, 4, 255
SHELLS = (("/bin/bash",), ("/bin/sh",))
SOCKET_TIMEOUT_SECONDS = 20  # a frame announced but never completed counts as a lost connection


@dataclass(frozen=True)
class ExecTarget:
    """Where and what to run. An empty `command` means an interactive shell (bash, else sh)."""

    namespace: str
    pod: str
    container: str
    command: tuple = ()
    tty: bool = True

    @property
    def where(self) -> str:
        return f"{self.pod}/{self.container}"

    @property
    def title(self) -> str:
        return f"{self.pod}/{self.container}"


def open_stream(api_client, target: ExecTarget, command: tuple, *, stdin: bool):
    """Connect (blocking: call it from a worker thread); raises KubetuiError saying why not."""
    import websocket
    from kubernetes.client import ApiClient, CoreV1Api
    from kubernetes.stream import stream

    # The client builds its WebSocket without a timeout; websocket-client's default applies to
    # the handshake, so a server that accepts and never answers cannot hang the thread forever.
    if websocket.getdefaulttimeout() is None:
        websocket.setdefaulttimeout(SOCKET_TIMEOUT_SECONDS)
    # stream() swaps `call_api` on the ApiClient it is given for the duration of the call, so a
    # pod watch sharing that client in another thread would go out as a WebSocket (and vice
    # versa: "Handshake status 200 OK"), kubernetes-client/python#928. A private client per
    # stream, sharing only the configuration (credentials, CA), cannot race with anything.
    private = ApiClient(configuration=api_client.configuration)
    try:
        ws = stream(
            CoreV1Api(private).connect_get_namespaced_pod_exec,
            target.pod,
            target.namespace,
            container=target.container,
            command=list(command),
            stdin=stdin,
            stdout=True,
            stderr=not target.tty,  # with a TTY stderr is merged into stdout, as kubectl asks
            tty=target.tty,
            _preload_content=False,
            binary=True,
        )
    except Exception as exc:  # ApiException wrapping the handshake failure, socket errors
        raise connect_error(exc, target.where) from None
    finally:
        private.close()
    ws.sock.settimeout(SOCKET_TIMEOUT_SECONDS)
    return ws


def send_resize(ws, cols: int, rows: int) -> None:
    """Channel 4: the remotecommand TerminalSize JSON."""
    ws.write_channel(RESIZE, json.dumps({"Width": cols, "Height": rows}).encode())


def socket_of(ws):
    return ws.sock.sock


def readable(ws, wake, timeout: float) -> tuple[bool, bool]:
    """Wait until the stream has data or `wake` (a socket) is readable: (stream readable, woken)."""
    sock = socket_of(ws)
    if isinstance(sock, ssl.SSLSocket) and sock.pending():
        return True, False  # decrypted bytes already inside the SSL object: select cannot see them
    fds = [sock] if wake is None else [sock, wake]
    ready, _, _ = select.select(fds, [], [], timeout)
    return sock in ready, wake is not None and wake in ready


def more_ready(ws) -> bool:
    """Another frame can be read without waiting."""
    sock = socket_of(ws)
    if isinstance(sock, ssl.SSLSocket) and sock.pending():
        return True
    ready, _, _ = select.select([sock], [], [], 0)
    return bool(ready)


def read_frame(ws) -> tuple[int, bytes] | None:
    """The next (channel, payload); (-1, b"") for control frames; None once the server closed."""
    from websocket import ABNF

    opcode, frame = ws.sock.recv_data_frame(True)
    if opcode == ABNF.OPCODE_CLOSE:
        return None
    if opcode not in (ABNF.OPCODE_BINARY, ABNF.OPCODE_TEXT) or not frame.data:
        return -1, b""
    data = frame.data if isinstance(frame.data, bytes) else frame.data.encode()
    return data[0], data[1:]


def read_pod(api_client, namespace: str, name: str) -> dict:
    """The pod as it is now (its containers' states decide what can be exec'd into)."""
    return _read_pod(api_client, namespace, name, missing_ok=False)


def pod_now(api_client, namespace: str, name: str) -> dict | None:
    """The pod as it is now, or None when it no longer exists (404); other failures raise."""
    return _read_pod(api_client, namespace, name, missing_ok=True)


def _read_pod(api_client, namespace: str, name: str, missing_ok: bool) -> dict | None:
    import orjson
    from kubernetes.client import CoreV1Api

    from kubetui.errors import from_api_exception

    try:
        response = CoreV1Api(api_client).read_namespaced_pod(name, namespace, _preload_content=False,
                                                              _request_timeout=10)
        return orjson.loads(response.data)
    except Exception as exc:  # ApiException (404 when it was just deleted), transport errors
        if missing_ok and getattr(exc, "status", None) == 404:
            return None
        raise from_api_exception(exc) from None
