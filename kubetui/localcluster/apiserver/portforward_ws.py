"""`pods/portforward` over WebSocket, in the two framings clients speak.

* `SPDY/3.1+portforward.k8s.io` (kubectl 1.30 and later): SPDY/3.1 frames tunneled in binary
  messages (spdy_frames.py). Each forwarded connection is a pair of streams the client opens
  (`streamtype` error and data, the same `requestid`); the server replies to each, dials the
  port once both are there, and closes the pair with FIN after writing any failure on the
  error stream, as the kubelet's httpstream handler does.
* `v4.channel.k8s.io` (also `v4.base64.channel.k8s.io`, or no subprotocol), the Python client's
  `portforward`: the `ports` query parameter names the ports, port i owns channels 2i (data)
  and 2i+1 (error), and the first frame on each channel is the port, 2 bytes little-endian.
  One connection per port per WebSocket; the socket closes once every port's connection ended.

Errors the API server gives before upgrading are answered before upgrading (a pod without a
node, bad `ports`); a port nothing listens on is the kubelet's text on the error stream
(portforward_dial.py). One task per WebSocket reads and answers in order, so a client that does
not read holds the programs back (backpressure, no buffering without end). Every connection's
requests reach the container's log (access lines), with the kubelet simulation running.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web

from kubetui.localcluster.apimachinery import errors
from kubetui.localcluster.storage.changes import DELETED
from kubetui.localcluster.apimachinery.clock import utc_now
from kubetui.localcluster.apiserver.state import SubresourceRequest
from kubetui.localcluster.node.portforward_dial import Connection, Node, Unreachable, dial
from kubetui.localcluster.runtime.redis_server import Keyspace
from kubetui.localcluster.apiserver.spdy_frames import (
    DATA_KIND,
    GOAWAY,
    PING,
    RST_STREAM,
    SYN_STREAM,
    FrameReader,
    FrameWriter,
    ProtocolError,
)
from kubetui.model.exec_ends import running_instance

log = logging.getLogger(__name__)
SPDY_TUNNEL = "SPDY/3.1+portforward.k8s.io"
V4_BINARY, V4_BASE64 = "v4.channel.k8s.io", "v4.base64.channel.k8s.io"
PROTOCOLS = (SPDY_TUNNEL, V4_BINARY, V4_BASE64)
CHUNK = 64 * 1024  # bytes per DATA frame or channel message


def parse_ports(query) -> list[int]:
    """The `ports` query parameter (repeated or comma-separated), as the kubelet reads it."""
    values = query.getall("ports", [])
    if not values:
        raise errors.bad_request('query parameter "port" is required')
    ports = []
    for value in values:
        for text in value.split(","):
            if not text.isdigit():
                raise errors.bad_request(f'unable to parse "{value}" as a port: strconv.ParseUint: parsing '
                                         f'"{text}": invalid syntax')
            if int(text) > 65535:
                raise errors.bad_request(f'unable to parse "{value}" as a port: strconv.ParseUint: parsing '
                                         f'"{text}": value out of range')
            if int(text) < 1:
                raise errors.bad_request(f'port "{value}" must be > 0')
            ports.append(int(text))
    return ports


async def serve(request: web.Request, sub: SubresourceRequest, node: Node) -> web.StreamResponse:
    """The handler's body: checks, upgrade, then one of the two framings."""
    pod = sub.obj
    if not (pod.get("spec") or {}).get("nodeName"):
        raise errors.bad_request(f"pod {sub.name} does not have a host assigned")
    ws = web.WebSocketResponse(protocols=PROTOCOLS, max_msg_size=0)
    if not ws.can_prepare(request).ok:
        raise errors.bad_request(
            "unable to upgrade connection: this local cluster forwards ports over WebSocket only "
            f"({SPDY_TUNNEL} as kubectl tunnels it, or {V4_BINARY}), not plain SPDY")
    ports = [] if _protocol_of(request) == SPDY_TUNNEL else parse_ports(request.query)
    await ws.prepare(request)
    try:
        if ws.ws_protocol == SPDY_TUNNEL:
            await _SpdyTunnel(ws, pod, node).run()
        else:
            await _Channels(ws, pod, node, ports, base64_frames=ws.ws_protocol == V4_BASE64).run()
    except (ConnectionError, RuntimeError, ProtocolError) as problem:
        log.debug("port-forward to %s/%s ended: %s", sub.namespace, sub.name, problem)
    if not ws.closed:
        await ws.close()
    return ws


def _protocol_of(request: web.Request) -> str:
    """The subprotocol the upgrade will choose (aiohttp's rule: the client's first we speak)."""
    offered = [p.strip() for p in request.headers.get("Sec-WebSocket-Protocol", "").split(",")]
    return next((p for p in offered if p in PROTOCOLS), "")


async def _send(ws: web.WebSocketResponse, data: bytes) -> None:
    if not ws.closed:
        await ws.send_bytes(data)


# ---------------------------------------------------------------------- v4 channels
class _Channels:
    def __init__(self, ws: web.WebSocketResponse, pod: dict, node: Node, ports: list[int],
                 base64_frames: bool) -> None:
        self.ws, self.pod, self.node, self.ports, self.base64 = ws, pod, node, ports, base64_frames
        self.connections: list[Connection | None] = []

    async def _channel(self, channel: int, payload: bytes) -> None:
        if self.base64:
            await self.ws.send_str(chr(ord("0") + channel) + base64.b64encode(payload).decode())
        else:
            await _send(self.ws, bytes([channel]) + payload)

    async def run(self) -> None:
        for index, port in enumerate(self.ports):
            prefix = port.to_bytes(2, "little")
            await self._channel(2 * index, prefix)
            await self._channel(2 * index + 1, prefix)
        for index, port in enumerate(self.ports):
            try:
                self.connections.append(dial(self.pod, port, self.node))
            except Unreachable as failure:
                self.connections.append(None)
                await self._channel(2 * index + 1, str(failure).encode())
        try:
            async for message in self.ws:
                if not any(self.connections):
                    break
                if message.type == WSMsgType.BINARY and message.data:
                    channel, payload = message.data[0], message.data[1:]
                elif message.type == WSMsgType.TEXT and message.data:
                    channel, payload = ord(message.data[0]) - ord("0"), base64.b64decode(message.data[1:])
                else:
                    continue
                index = channel // 2
                if channel % 2 or not 0 <= index < len(self.connections):
                    continue  # error channels are the server's to write
                await self._answer(index, self.connections[index].receive(payload)  # type: ignore[union-attr]
                                   if self.connections[index] else b"")
                if not any(self.connections):
                    break
        finally:
            for connection in self.connections:
                if connection is not None:
                    connection.end()

    async def _answer(self, index: int, reply: bytes) -> None:
        for start in range(0, len(reply), CHUNK):
            await self._channel(2 * index, reply[start:start + CHUNK])
        connection = self.connections[index]
        if connection is not None and connection.closed:
            self.connections[index] = None


# ---------------------------------------------------------------------- SPDY in WebSocket
@dataclass
class _Pair:
    """One forwarded connection: its two streams and, once both came, the program's end."""

    port: int
    data: int = 0
    error: int = 0
    connection: Connection | None = None
    streams: set[int] = field(default_factory=set)


class _SpdyTunnel:
    def __init__(self, ws: web.WebSocketResponse, pod: dict, node: Node) -> None:
        self.ws, self.pod, self.node = ws, pod, node
        self.reader, self.writer = FrameReader(), FrameWriter()
        self.pairs: dict[str, _Pair] = {}   # by requestid
        self.streams: dict[int, _Pair] = {}  # by stream id, both of a pair's

    async def run(self) -> None:
        try:
            async for message in self.ws:
                if message.type != WSMsgType.BINARY:
                    continue
                out: list[bytes] = []
                for frame in self.reader.feed(message.data):
                    if frame.kind == GOAWAY:
                        return
                    await self._frame(frame, out)
                if out:
                    await _send(self.ws, b"".join(out))
        finally:
            for pair in self.pairs.values():
                if pair.connection is not None:
                    pair.connection.end()

    async def _frame(self, frame, out: list[bytes]) -> None:
        if frame.kind == SYN_STREAM:
            out.append(self.writer.syn_reply(frame.stream_id))
            self._opened(frame, out)
        elif frame.kind == DATA_KIND:
            pair = self.streams.get(frame.stream_id)
            if pair is None or frame.stream_id != pair.data or pair.connection is None:
                return
            reply = pair.connection.receive(frame.data) if frame.data else b""
            if frame.fin:
                reply += pair.connection.end()
            await self._reply(pair, reply, out)
            if frame.fin or pair.connection.closed:
                self._finish(pair, out)
        elif frame.kind == RST_STREAM:
            pair = self.streams.get(frame.stream_id)
            if pair is not None:
                if pair.connection is not None:
                    pair.connection.end()
                self._forget(pair)
        elif frame.kind == PING:
            out.append(self.writer.ping(frame.value))

    def _opened(self, frame, out: list[bytes]) -> None:
        headers = frame.headers
        kind, request_id = headers.get("streamtype", ""), headers.get("requestid", "")
        try:
            port = int(headers.get("port", ""))
        except ValueError:
            out.append(self.writer.rst_stream(frame.stream_id, 1))
            return
        pair = self.pairs.setdefault(request_id or f"port-{port}", _Pair(port))
        if kind == "error":
            pair.error = frame.stream_id
        elif kind == "data":
            pair.data = frame.stream_id
        else:
            out.append(self.writer.rst_stream(frame.stream_id, 1))
            return
        pair.streams.add(frame.stream_id)
        self.streams[frame.stream_id] = pair
        if pair.data and pair.error:
            try:
                pair.connection = dial(self.pod, pair.port, self.node)
            except Unreachable as failure:
                out.append(self.writer.data(pair.error, str(failure).encode()))
                self._finish(pair, out)

    async def _reply(self, pair: _Pair, reply: bytes, out: list[bytes]) -> None:
        if len(reply) <= CHUNK:
            if reply:
                out.append(self.writer.data(pair.data, reply))
            return
        if out:  # what came before goes first
            await _send(self.ws, b"".join(out))
            out.clear()
        for start in range(0, len(reply), CHUNK):
            await _send(self.ws, self.writer.data(pair.data, reply[start:start + CHUNK]))

    def _finish(self, pair: _Pair, out: list[bytes]) -> None:
        """The kubelet closes both streams: the error stream first, then the data stream."""
        out.append(self.writer.data(pair.error, fin=True))
        out.append(self.writer.data(pair.data, fin=True))
        self._forget(pair)

    def _forget(self, pair: _Pair) -> None:
        for stream_id in pair.streams:
            self.streams.pop(stream_id, None)
        for key in [key for key, value in self.pairs.items() if value is pair]:
            del self.pairs[key]


# ---------------------------------------------------------------------- wiring
class PortForwardService:
    """Serves pods/portforward for one LocalCluster. The programs read the container as exec
    sessions see it (`ExecService.container_context`); their log lines go to the kubelet's
    LogBook; a redis container instance keeps its keyspace here until the pod goes."""

    def __init__(self, cluster, exec_service) -> None:
        self.cluster, self.exec_service = cluster, exec_service
        self.keyspaces: dict[tuple[str, str, str], Keyspace] = {}

    async def handle(self, request: web.Request, sub: SubresourceRequest) -> web.StreamResponse:
        return await serve(request, sub, self._node(sub))

    def _node(self, sub: SubresourceRequest) -> Node:
        store, first = sub.state.store, sub.obj
        uid = (first.get("metadata") or {}).get("uid", "")

        def live() -> dict:
            pod = store.get("pods", sub.namespace, sub.name)
            return pod if pod is not None and pod["metadata"].get("uid") == uid else first

        def context(container: str) -> dict:
            return self.exec_service.container_context(store, live(), container)

        def write(container: str, line: str, stream: str) -> None:
            simulation = self.cluster.simulation
            instance = running_instance(live(), container)
            book = getattr(simulation, "logbook", None)
            entry = book.get(instance) if book is not None and instance else None
            if entry is not None:
                entry.write(simulation.clock.wall_now(), line, stream)

        def keyspace(container: str) -> Keyspace:
            key = (uid, container, running_instance(live(), container) or "")
            return self.keyspaces.setdefault(key, Keyspace())

        def now():
            simulation = self.cluster.simulation
            return simulation.clock.wall_now() if simulation is not None else utc_now()

        return Node(context, write, now, keyspace)

    def forget(self, event_type: str, plural: str, obj: dict) -> None:
        """Store listener: a redis keyspace goes with its container instance or its pod."""
        if plural != "pods":
            return
        uid = (obj.get("metadata") or {}).get("uid", "")
        for key in [key for key in self.keyspaces if key[0] == uid]:
            if event_type == DELETED or running_instance(obj, key[1]) != key[2]:
                del self.keyspaces[key]


def install(cluster, exec_service) -> PortForwardService:
    """Serve pods/portforward on `cluster` (a LocalCluster, before start)."""
    service = PortForwardService(cluster, exec_service)
    cluster.register_subresource("pods", "portforward", service.handle)
    cluster.add_startup_hook(lambda running: running.store.add_listener(service.forget))
    return service
