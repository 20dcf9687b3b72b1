"""Where a forwarded port leads: containerd's dial of localhost:PORT in the pod's network namespace.

containerd (`sandbox_portforward_linux.go`) dials `localhost:PORT` inside the sandbox's network
namespace, tcp4 first and then tcp6, and the kubelet writes what failed on the pair's error
stream, wrapped twice; kubectl prints that text. What listens is what `ss` shows in the pod (the
simulated shell's context: one network namespace, where the first program to bind a port holds
it), and the program behind the socket answers: nginx and httpd (http_servers.py), redis
(redis_server.py). Any other listener accepts and stays silent, as a server speaking a
protocol the cluster does not simulate would look to a client that waits to be greeted.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Protocol

from kubetui.localcluster.runtime.http_servers import HttpConnection, httpd_flavor, nginx_flavor
from kubetui.localcluster.runtime.redis_server import Keyspace, RedisConnection
from kubetui.localcluster.sandbox.rootfs import build_rootfs
from kubetui.localcluster.sandbox.layers import Layers


class Connection(Protocol):
    """A program's end of one TCP connection: `receive` answers bytes with bytes, `end` is the
    client's FIN; `closed` once the program closed its side."""

    closed: bool

    def receive(self, data: bytes) -> bytes: ...

    def end(self) -> bytes: ...


class Silent:
    """A listener whose protocol nobody simulates: it reads and never writes."""

    def __init__(self) -> None:
        self.closed = False

    def receive(self, data: bytes) -> bytes:
        return b""

    def end(self) -> bytes:
        self.closed = True
        return b""


class Unreachable(Exception):
    """The port leads nowhere; the message is the kubelet's, as kubectl prints it."""


@dataclass(frozen=True)
class Node:
    """What the node gives a connection: the container's context (the sandbox), its log, the
    clock, and the keyspace of a redis container instance."""

    context: Callable[[str], dict]
    log: Callable[[str, str, str], None]  # (container, line, stream)
    now: Callable[[], datetime]
    keyspace: Callable[[str], Keyspace]


def sandbox_id(pod: dict) -> str:
    """The pod sandbox's 64-hex ID, stable for the pod (containerd's are random)."""
    uid = (pod.get("metadata") or {}).get("uid", "")
    return hashlib.sha256(f"sandbox/{uid}".encode()).hexdigest()


def netns_path(pod: dict) -> str:
    if (pod.get("spec") or {}).get("hostNetwork"):
        return "host"
    digest = hashlib.sha256(f"netns/{(pod.get('metadata') or {}).get('uid', '')}".encode()).digest()
    return f"/var/run/netns/cni-{uuid.UUID(bytes=digest[:16], version=4)}"


def forwarding_error(pod: dict, port: int, problem: str) -> str:
    """The kubelet's wrapping (`uid` is empty: the CRI streaming server passes none)."""
    return f"error forwarding port {port} to pod {sandbox_id(pod)}, uid : {problem}"


def _families(address: str) -> set[int]:
    return {4, 6} if address in ("*", "") else ({6} if address.startswith("[") else {4})


def dial(pod: dict, port: int, node: Node) -> Connection:
    """Connect to `port` of the pod, or raise Unreachable with what the kubelet reports."""
    sandbox = sandbox_id(pod)
    status = pod.get("status") or {}
    containers = (pod.get("spec") or {}).get("containers") or []
    if status.get("phase") in ("Succeeded", "Failed") or not containers:
        raise Unreachable(forwarding_error(pod, port, f'network namespace for sandbox "{sandbox}" is closed'))
    sockets = [s for s in node.context(containers[0]["name"])["sockets"]
               if s.get("proto", "tcp") == "tcp" and s.get("port") == port]
    for family, peer in ((4, "127.0.0.1"), (6, "::1")):
        for socket in sockets:
            if family in _families(str(socket.get("address", ""))):
                return _program(socket, peer, node)
    refused = (f"dial tcp4 127.0.0.1:{port}: connect: connection refused IPv6 "
               f"dial tcp6 [::1]:{port}: connect: connection refused ")
    raise Unreachable(forwarding_error(
        pod, port, f'failed to execute portforward in network namespace "{netns_path(pod)}": failed to connect '
                   f'to localhost:{port} inside namespace "{sandbox}", IPv4: {refused}'))


def _env(context: dict, name: str, default: str) -> str:
    return next((value for key, value in context.get("env", []) if key == name), default)


def _program(socket: dict, peer: str, node: Node) -> Connection:
    container, process = socket["container"], socket.get("process", "")

    def log(line: str, stream: str) -> None:
        node.log(container, line, stream)

    if process in ("nginx", "httpd"):
        def files():  # what the container holds at the moment of each request
            context = node.context(container)
            fs = build_rootfs(context)
            Layers(fs, context).load()
            return fs

        context = node.context(container)
        flavor = (nginx_flavor(_env(context, "NGINX_VERSION", "1.27.3")) if process == "nginx"
                  else httpd_flavor(_env(context, "HTTPD_VERSION", "2.4.62")))
        return HttpConnection(flavor, files, log, node.now, peer)
    if process == "redis-server":
        version = _env(node.context(container), "REDIS_VERSION", "7.4.1")
        return RedisConnection(node.keyspace(container), version)
    return Silent()
