"""Forwarding local ports to a pod, as `kubectl port-forward` does, with our own client.

Key decisions:
* Listening is kubectl's: `localhost` means 127.0.0.1 and ::1 (either may fail alone), local port
  0 takes a free port and the IPv6 listener then takes the same; the lines are kubectl's
  (`Forwarding from 127.0.0.1:8080 -> 80`, `Handling connection for 8080`, `Unable to listen on
  port ...`), handed to `say(line, is_error)`.
* Each accepted connection gets a thread and its own WebSocket (forward_socket.py), which pumps
  both ways with `select` and never buffers more than one read: a slow side slows the other.
  The v4 protocol has no half-close, so once the local side closed, what the pod still sends is
  read for up to `LINGER_SECONDS` of silence (containerd gives the other direction 1 s too).
* The kubelet's error text on a connection is kubectl's klog line; `stop_on_error` then ends
  the whole forward with `lost connection to pod`, as kubectl 1.37 does (the CLI), or keeps it
  (the TUI, which shows the last error in its `:pf` view).
* Every blocking call returns within a second or two of `stop()`: listeners and connections
  wait in `select` with a timeout and a wake-up socket.
"""

from __future__ import annotations

import json
import os
import selectors
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from kubetui.errors import KubetuiError
from kubetui.model.forward_ports import ForwardedPort

READ_SIZE = 256 * 1024
LINGER_SECONDS = 1.0
POLL_SECONDS = 1.0
Say = Callable[[str, bool], None]  # (line, is_error)


@dataclass(frozen=True)
class Address:
    family: int
    host: str  # as bound: 127.0.0.1, ::1
    any_may_fail: bool  # `localhost`: one family failing is fine


def addresses(names: tuple[str, ...] | list[str]) -> list[Address]:
    """kubectl's --address: `localhost` is both loopbacks, an IP itself."""
    found = []
    for name in names:
        if name == "localhost":
            found += [Address(socket.AF_INET, "127.0.0.1", True), Address(socket.AF_INET6, "::1", True)]
        else:
            found.append(Address(socket.AF_INET6 if ":" in name else socket.AF_INET, name, False))
    return found


def _shown(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def klog_error(message: str, local: int, remote: int) -> str:
    """kubectl's (klog's) line for an error on one forwarded connection."""
    now = datetime.now()
    quoted = json.dumps(message, ensure_ascii=False)
    return (f"E{now:%m%d %H:%M:%S}.{now.microsecond:06d} {os.getpid():>7} portforward.go:549] "
            f'"An error occurred forwarding" err={quoted} localPort={local} remotePort={remote}')


class PortForward:
    """One `port-forward`: its listeners, its connections, its counters."""

    def __init__(self, api_client: Any, namespace: str, pod: str, ports: list[ForwardedPort], *,
                 address_names: tuple[str, ...] = ("localhost",), say: Say | None = None,
                 stop_on_error: bool = True, server: str = "") -> None:
        self.api_client, self.namespace, self.pod, self.server = api_client, namespace, pod, server
        self.ports = list(ports)
        self.address_names = address_names
        self.say: Say = say or (lambda line, error: None)
        self.stop_on_error = stop_on_error
        self.connections = 0      # accepted so far
        self.active = 0           # open now
        self.last_error = ""
        self.failure = ""         # why the whole forward ended, "" while it runs or after stop()
        self._listeners: list[tuple[socket.socket, ForwardedPort]] = []
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._wake_read, self._wake_write = socket.socketpair()

    @property
    def running(self) -> bool:
        return bool(self._listeners) and not self._stopping.is_set()

    # ---- listening ----------------------------------------------------------------------------
    def listen(self) -> None:
        """Bind every port on every address; KubetuiError when no port could be bound.

        As client-go's `listenOnPort`: a port fails when an explicit address fails, or when
        neither loopback of `localhost` could be bound."""
        listened = False
        for index in range(len(self.ports)):
            problems: list[str] = []
            explicit_failed, loopback_bound, loopbacks = False, False, False
            for address in addresses(self.address_names):
                port = self.ports[index]
                loopbacks = loopbacks or address.any_may_fail
                listener = socket.socket(address.family, socket.SOCK_STREAM)
                try:
                    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    if address.family == socket.AF_INET6:
                        listener.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                    listener.bind((address.host, port.local))
                    listener.listen(128)
                except OSError as exc:
                    listener.close()
                    proto = "tcp4" if address.family == socket.AF_INET else "tcp6"
                    problems.append(f"unable to create listener: Error listen {proto} "
                                    f"{_shown(address.host)}:{port.local}: bind: {_go_errno(exc)}")
                    explicit_failed = explicit_failed or not address.any_may_fail
                    continue
                loopback_bound = loopback_bound or address.any_may_fail
                if port.local == 0:  # a free port; the next address takes the same one
                    port = self.ports[index] = ForwardedPort(listener.getsockname()[1], port.remote)
                listener.setblocking(False)
                self._listeners.append((listener, port))
                self.say(f"Forwarding from {_shown(address.host)}:{port.local} -> {port.remote}", False)
            if explicit_failed or (loopbacks and not loopback_bound):
                self.say(f"Unable to listen on port {self.ports[index].local}: Listeners failed to create "
                         f"with the following errors: [{' '.join(problems)}]", True)
            listened = listened or any(p == self.ports[index] for _, p in self._listeners)
        if not listened:
            shown = " ".join(f"{{{p.local} {p.remote}}}" for p in self.ports)
            raise KubetuiError(f"unable to listen on any of the requested ports: [{shown}]", "Port-forward")

    def serve(self) -> None:
        """Accept connections until `stop()` (blocking: a thread of its own)."""
        selector = selectors.DefaultSelector()
        for listener, port in self._listeners:
            selector.register(listener, selectors.EVENT_READ, port)
        selector.register(self._wake_read, selectors.EVENT_READ, None)
        try:
            while not self._stopping.is_set():
                for key, _ in selector.select(POLL_SECONDS):
                    if key.data is None:
                        continue
                    try:
                        client, _ = key.fileobj.accept()  # type: ignore[union-attr]
                    except OSError:
                        continue
                    self._accepted(client, key.data)
        finally:
            selector.close()
            for listener, _ in self._listeners:
                listener.close()

    def stop(self, failure: str = "") -> None:
        """Stop listening and end every connection (each within a poll)."""
        if failure and not self.failure:
            self.failure = failure
        self._stopping.set()
        try:
            self._wake_write.send(b"x")
        except OSError:
            pass

    def wait(self, timeout: float | None = None) -> bool:
        """Until stopped; True once it is."""
        return self._stopping.wait(timeout)

    # ---- one connection ----------------------------------------------------------------------
    def _accepted(self, client: socket.socket, port: ForwardedPort) -> None:
        with self._lock:
            self.connections += 1
            self.active += 1
        self.say(f"Handling connection for {port.local}", False)
        threading.Thread(target=self._connection, args=(client, port), daemon=True,
                         name=f"port-forward {port.local}->{port.remote}").start()

    def _connection(self, client: socket.socket, port: ForwardedPort) -> None:
        from kubetui.kube.forward_socket import open_port

        remote = None
        try:
            remote = open_port(self.api_client, self.namespace, self.pod, port.remote, self.server)
            error = _pump(client, remote, self._stopping)
            if error:
                self._failed(error, port)
        except KubetuiError as exc:
            self._failed(exc.message, port)
        except OSError as exc:  # the local client reset the connection
            self.last_error = str(exc)
        finally:
            if remote is not None:
                remote.close()
            client.close()
            with self._lock:
                self.active -= 1

    def _failed(self, message: str, port: ForwardedPort) -> None:
        self.last_error = message
        self.say(klog_error(message, port.local, port.remote), True)
        if self.stop_on_error:
            self.stop("lost connection to pod")


def _go_errno(exc: OSError) -> str:
    """Go's wording of a bind failure (lower case, as syscall.Errno prints)."""
    return (exc.strerror or str(exc)).lower()


def _pump(client: socket.socket, remote: Any, stopping: threading.Event) -> str:
    """Copy both ways until either side ends; the kubelet's error text, if it sent one."""
    error = b""
    local_open = True
    heard = time.monotonic()  # the last time the pod's side sent something (or the local side closed)
    remote_socket = remote.socket
    while not stopping.is_set():
        watched = [remote_socket] + ([client] if local_open else [])
        ready = [remote_socket] if remote.pending() else _select(watched, POLL_SECONDS if local_open else LINGER_SECONDS)
        if remote_socket in ready:
            frame = remote.read()
            if frame is None:
                break
            channel, payload = frame
            if channel == 0 and payload:
                client.sendall(payload)
                heard = time.monotonic()
            elif channel == 1:
                error += payload
        elif not local_open and time.monotonic() - heard >= LINGER_SECONDS:
            break
        if local_open and client in ready:
            data = client.recv(READ_SIZE)
            if data:
                remote.send(data)
            else:
                local_open = False
                heard = time.monotonic()
    return error.decode(errors="replace")


def _select(sockets: list, timeout: float) -> list:
    import select

    try:
        ready, _, _ = select.select(sockets, [], [], timeout)
    except (OSError, ValueError):  # a socket closed under us
        return []
    return ready
