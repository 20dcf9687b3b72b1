"""`pods/exec` over WebSocket (v5.channel.k8s.io, v4.channel.k8s.io), as kube-apiserver does.

Frames are binary with the channel in the first byte: 0 stdin, 1 stdout, 2 stderr, 3 status
(JSON, server to client, then the server closes), 4 resize (`{"Width":…,"Height":…}`,
applied at once with TIOCSWINSZ), and in v5 `\\xff\\x00` closing stdin. Errors the real API
server gives before upgrading are answered before upgrading (kubectl then retries with SPDY
and gets the same answer, which is what it prints); a program missing from the image is
reported after the upgrade, on channel 3, like containerd does, so clients can fall back.

What runs is the simulated shell (`python -m kubetui.localcluster.shell`) with a context
built from the pod, what its containers' programs wrote (shared_files.py) and the layer files
that keep each container instance's and shared volume's changes between sessions
(exec_state.py); with `host_exec` (opt-in, never the default) the argv runs for real on
the host in a scratch directory per container. One task pumps child output to the socket,
another socket input to the child; the child's whole session is killed when the socket
closes, or when its container stops or the pod goes (exec_reaper.py), and the handler never
blocks the loop. The exit status is sent only after all output has reached the client, however
slowly it reads (the child is held back by backpressure, exec_process.py). The simulated shell
bounds its own memory and CPU time (sandbox/bounds.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import signal
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from aiohttp import WSMsgType, web

from kubetui.localcluster.apimachinery import errors
from kubetui.localcluster.node.exec_process import ExecProcess
from kubetui.localcluster.storage.changes import DELETED
from kubetui.localcluster.node.exec_reaper import ExecReaper
from kubetui.localcluster.node.exec_state import ContainerState, PodFiles
from kubetui.localcluster.node.exec_target import (
    ExecOptions,
    choose_container,
    container_running,
    exit_status,
    node_ip,
    not_running_text,
    parse_options,
    runtime_failure_status,
    success_status,
)
from kubetui.localcluster.apiserver.state import SubresourceRequest
from kubetui.localcluster.sandbox.context import build_context
from kubetui.localcluster.sandbox.launch import find_executable
from kubetui.localcluster.sandbox.bounds import DEFAULT_CPU_SECONDS
from kubetui.localcluster.sandbox.etcfiles import pod_hostname
from kubetui.model.exec_ends import running_instance

log = logging.getLogger(__name__)
PROTOCOLS = ("v5.channel.k8s.io", "v4.channel.k8s.io")
STDIN, STATUS, RESIZE, CLOSE = 0, 3, 4, 255
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[3])
_HOST_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# Makes the pty the controlling terminal of a host command, then becomes that command.
_CTTY_EXEC = (
    "import fcntl, os, signal, sys, termios\n"
    "for name in ('SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGTERM'):\n"
    "    signal.signal(getattr(signal, name), signal.SIG_DFL)\n"
    "try:\n    fcntl.ioctl(0, termios.TIOCSCTTY, 0)\nexcept OSError:\n    pass\n"
    "try:\n    os.execvp(sys.argv[1], sys.argv[1:])\n"
    "except OSError as error:\n"
    "    sys.stderr.write(f'{sys.argv[1]}: {error.strerror}\\n')\n    sys.exit(127)\n"
)


@dataclass
class Launch:
    argv: list[str]
    env: dict[str, str]
    cwd: str
    failure: str | None = None  # the runtime's reason the program cannot start
    context_file: str | None = None


class ExecService:
    """Serves pods/exec for one LocalCluster; `close()` at shutdown kills what is left."""

    def __init__(self, host_exec: bool = False, cpu_seconds: float = DEFAULT_CPU_SECONDS,
                 pod_files: PodFiles | None = None):
        self.host_exec = host_exec
        self.cpu_seconds = cpu_seconds
        self.reaper = ExecReaper()  # a store listener once the cluster runs (install)
        self.pod_files = pod_files or (lambda uid: ({}, {}))
        self._root: str | None = None
        self._next_pid: dict[tuple[str, str], int] = {}
        self._children: set[ExecProcess] = set()

    # ---- the handler ----------------------------------------------------------------------
    async def handle(self, request: web.Request, sub: SubresourceRequest) -> web.StreamResponse:
        return await self.serve(request, sub, parse_options(request.query))

    async def serve(self, request: web.Request, sub: SubresourceRequest, options: ExecOptions,
                    exited: Callable[[int], None] | None = None) -> web.StreamResponse:
        """Run ``options.command`` in the container and stream it over the upgraded request
        (exec; and attach, for a container whose program is a shell reading its stdin);
        ``exited(code)`` when the program ends by itself, not when the client leaves."""
        pod = sub.obj
        container = choose_container(pod, options.container)["name"]
        if not container_running(pod, container):
            return web.Response(status=500, text=not_running_text(container),
                                content_type="text/plain")
        ws = web.WebSocketResponse(protocols=PROTOCOLS)
        if not ws.can_prepare(request).ok:
            if "spdy" not in request.headers.get("Upgrade", "").lower():
                raise errors.bad_request("Upgrade request required")
            raise errors.bad_request(
                "unable to upgrade connection: this local cluster speaks the WebSocket exec "
                "protocol (v5.channel.k8s.io, v4.channel.k8s.io) only, not SPDY")
        launch = (self._host_launch(pod, container, options) if self.host_exec
                  else self._simulated_launch(sub, pod, container, options))
        try:
            await ws.prepare(request)
            if launch.failure:
                await _send(ws, STATUS, _status_json(runtime_failure_status(launch.failure)))
            else:
                await self._session(ws, launch, options, sub, container, exited)
        except Exception as error:  # after the upgrade a Status body can no longer be sent
            log.exception("exec session for %s/%s failed", sub.namespace, sub.name)
            await _send(ws, STATUS, _status_json(runtime_failure_status(f"exec: {error}")))
        finally:
            if launch.context_file:
                _remove(launch.context_file)
        if not ws.closed:
            await ws.close()
        return ws

    # ---- what to run ------------------------------------------------------------------------
    def _workdir(self) -> str:
        if self._root is None:
            self._root = tempfile.mkdtemp(prefix="kubetui-exec-")
        return self._root

    def container_context(self, store, pod: dict, container: str, exec_pid: int | None = None) -> dict:
        """What a process in `container` finds now: the simulated shell's context (its files,
        what the pod's programs and earlier sessions wrote, the sockets of the pod), which the
        programs answering a port-forward read too."""
        namespace = (pod.get("metadata") or {}).get("namespace") or "default"
        node = _safe_get(store, "nodes", None, (pod.get("spec") or {}).get("nodeName", ""))
        volumes, containers = self.pod_files((pod.get("metadata") or {}).get("uid", ""))
        state = ContainerState(self._workdir(), pod)
        return build_context(
            pod, container, node_ip(pod, node),
            lookup=lambda plural, name: _safe_get(store, plural, namespace, name),
            services=_safe_list(store, "services", namespace), exec_pid=exec_pid,
            cpu_seconds=self.cpu_seconds, written=containers.get(container),
            volume_files=volumes, layer=state.container_layer(container),
            volume_layers=state.volume_layers())

    def _simulated_launch(self, sub: SubresourceRequest, pod: dict, container: str,
                          options: ExecOptions) -> Launch:
        key = ((pod.get("metadata") or {}).get("uid", sub.name), container)
        context = self.container_context(sub.state.store, pod, container, self._next_pid.get(key))
        self._next_pid[key] = int(context["exec_pid"]) + 10
        failure = find_executable(context, options.command[0])
        fd, path = tempfile.mkstemp(prefix="context-", suffix=".json", dir=self._workdir())
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(context, handle)
        argv = [sys.executable, "-m", "kubetui.localcluster.shell", "--context", path, "--",
                *options.command]
        env = {"PYTHONPATH": _PACKAGE_ROOT, "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8"}
        return Launch(argv, env, "/", failure, path)

    def _host_launch(self, pod: dict, container: str, options: ExecOptions) -> Launch:
        metadata = pod.get("metadata") or {}
        label = f"{metadata.get('namespace', 'default')}_{metadata.get('name', '')}_{container}"
        scratch = os.path.join(self._workdir(), "host", label)
        os.makedirs(scratch, exist_ok=True)
        env = {"PATH": _HOST_PATH, "HOME": scratch, "HOSTNAME": pod_hostname(pod),
               "LANG": "C.UTF-8"}
        if options.tty:
            env["TERM"] = "xterm"
        program = options.command[0]
        found = shutil.which(program, path=_HOST_PATH) if "/" not in program else (
            program if os.access(os.path.join(scratch, program), os.X_OK) else None)
        failure = None
        if found is None:
            failure = (f'exec: "{program}": stat {program}: no such file or directory'
                       if "/" in program else
                       f'exec: "{program}": executable file not found in $PATH')
        argv = list(options.command)
        if options.tty:
            argv = [sys.executable, "-I", "-S", "-c", _CTTY_EXEC, *argv]
        return Launch(argv, env, scratch, failure)

    # ---- one session ------------------------------------------------------------------------
    async def _session(self, ws: web.WebSocketResponse, launch: Launch, options: ExecOptions,
                       sub: SubresourceRequest, container: str,
                       exited: Callable[[int], None] | None = None) -> None:
        try:
            child = await ExecProcess.start(launch.argv, env=launch.env, cwd=launch.cwd,
                                            tty=options.tty, stdin=options.stdin,
                                            stdout=options.stdout, stderr=options.stderr)
        except OSError as error:
            detail = f'exec: "{options.command[0]}": {error.strerror or error}'
            await _send(ws, STATUS, _status_json(runtime_failure_status(detail)))
            return
        self._children.add(child)
        lease = self.reaper.track(sub.obj, container, child.kill_now)
        live = _safe_get(sub.state.store, "pods", sub.namespace, sub.name)
        if lease is not None and (live is None or live["metadata"].get("uid") != lease.uid
                                  or running_instance(live, container) != lease.instance):
            self.reaper.release(lease)  # the container stopped while this exec was starting
            child.kill_now()
        output = asyncio.ensure_future(_pump_output(ws, child))
        incoming = asyncio.ensure_future(_pump_input(ws, child, options))
        waiter = asyncio.ensure_future(child.wait())
        try:
            done, _ = await asyncio.wait({incoming, waiter},
                                         return_when=asyncio.FIRST_COMPLETED)
            if waiter in done:
                code = waiter.result()
                if exited is not None:
                    exited(code)
                # All output reaches the client before the status, however slowly it reads;
                # only the client going away ends the wait.
                done, _ = await asyncio.wait({output, incoming}, return_when=asyncio.FIRST_COMPLETED)
                if output in done:
                    status = success_status() if code == 0 else exit_status(options.command, code)
                    await _send(ws, STATUS, _status_json(status))
        finally:
            for task in (output, incoming, waiter):
                task.cancel()
            if lease is not None:
                self.reaper.release(lease)
            await child.kill()
            self._children.discard(child)

    def forget_state(self, event_type: str, plural: str, obj: dict) -> None:
        """Store listener: a container's layer goes with its instance, the pod's with the pod."""
        if plural == "pods" and self._root is not None:
            ContainerState(self._root, obj).prune(gone=event_type == DELETED)

    def close(self) -> None:
        """At cluster shutdown: no exec child outlives the server, no scratch file stays."""
        for child in list(self._children):
            try:
                os.killpg(child.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self._children.clear()
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)
            self._root = None


def _status_json(status: dict) -> str:
    return json.dumps(status, separators=(",", ":"))  # compact, as the kubelet's Go encoder


async def _send(ws: web.WebSocketResponse, channel: int, payload: bytes | str) -> bool:
    data = payload.encode() if isinstance(payload, str) else payload
    if ws.closed:
        return False
    try:
        await ws.send_bytes(bytes([channel]) + data)
    except (ConnectionError, RuntimeError):
        return False
    return True


async def _pump_output(ws: web.WebSocketResponse, child: ExecProcess) -> None:
    while True:
        item = await child.next_output()
        if item is None:
            return
        channel, data = item
        if not await _send(ws, channel, data):
            return


async def _pump_input(ws: web.WebSocketResponse, child: ExecProcess,
                      options: ExecOptions) -> None:
    v5 = ws.ws_protocol == PROTOCOLS[0]
    async for message in ws:
        if message.type == WSMsgType.BINARY and message.data:
            channel, payload = message.data[0], message.data[1:]
        elif message.type == WSMsgType.TEXT and message.data:
            # The Python client sends str data as text frames, channel as the first character.
            channel, payload = ord(message.data[0]), message.data[1:].encode("utf-8")
        else:
            continue
        if channel == STDIN and options.stdin:
            await child.write_stdin(payload)
        elif channel == RESIZE:
            try:
                size = json.loads(payload)
                child.resize(int(size.get("Height", 0)), int(size.get("Width", 0)))
            except (ValueError, TypeError, AttributeError):
                continue
        elif channel == CLOSE and v5 and payload[:1] == bytes([STDIN]):
            await child.close_stdin()


def _safe_get(store, plural: str, namespace: str | None, name: str) -> dict | None:
    try:
        return store.get(plural, namespace, name)
    except Exception:  # a resource type this cluster does not serve
        return None


def _safe_list(store, plural: str, namespace: str) -> list[dict]:
    try:
        return list(store.list(plural, namespace)[0])
    except Exception:
        return []


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def install(cluster, host_exec: bool | None = None) -> ExecService:
    """Serve pods/exec on `cluster` (a LocalCluster, before start)."""
    enabled = bool(getattr(cluster.options, "host_exec", False)) if host_exec is None \
        else host_exec
    cpu_seconds = getattr(cluster.options, "exec_cpu_seconds", None) or DEFAULT_CPU_SECONDS

    def pod_files(uid: str):
        kubelet = getattr(cluster.simulation, "kubelet", None)
        return kubelet.pod_files(uid) if kubelet is not None else ({}, {})

    service = ExecService(host_exec=enabled, cpu_seconds=float(cpu_seconds), pod_files=pod_files)
    cluster.register_subresource("pods", "exec", service.handle)
    cluster.add_startup_hook(lambda running: running.store.add_listener(service.reaper.on_change))
    cluster.add_startup_hook(lambda running: running.store.add_listener(service.forget_state))
    cluster.add_shutdown_hook(lambda _cluster: service.close())
    return service
