"""`pods/attach` over WebSocket (v5.channel.k8s.io, v4.channel.k8s.io): the container's own output, live.

Attaching joins the container's main process where it is: what it prints from now on arrives
on channel 1 (stdout) and 2 (stderr; merged into 1 when the container has a TTY, as the runtime
gives it one stream), the same lines `kubectl logs -f` reads, from the kubelet's LogBook. The
checks before upgrading are exec's (container name, a host, a running container; exec_target.py).
When the instance ends the kubelet sends Success on channel 3 and closes, as `ServeAttach` does.
Key decisions: a container whose program is a shell reading its stdin (`stdin: true`, as
`kubectl run -it busybox -- sh` makes it) is attached to interactively: with stdin, the
attach runs that shell as an exec session does (the same interpreter, filesystem and prompt),
so what is typed is answered. When that shell ends (`exit`), the container ends with its exit
code, as its PID 1 would, and restarts or completes by the pod's restart policy; leaving the
attach without ending it leaves the container running. Two attaches do not share one shell
(each has its own, over the container's one filesystem). Other simulated main programs
never read their stdin, so their stdin frames are accepted and dropped; resize frames likewise.
"""

from __future__ import annotations

import asyncio
import json
from functools import partial

from aiohttp import WSMsgType, web

from kubetui.localcluster.apimachinery import errors
from kubetui.localcluster.node.container_logs import ContainerLog, Cursor
from kubetui.localcluster.images.catalogue import lookup_image
from kubetui.localcluster.node.exec_target import (
    ExecOptions,
    choose_container,
    container_running,
    not_running_text,
    success_status,
)
from kubetui.localcluster.runtime.container_sim import SHELLS, effective_argv
from kubetui.localcluster.apiserver.state import SubresourceRequest
from kubetui.localcluster.apiserver.logs import wait_for_lines
from kubetui.model.exec_ends import running_instance

PROTOCOLS = ("v5.channel.k8s.io", "v4.channel.k8s.io")
STDOUT, STDERR, STATUS = 1, 2, 3
_TRUE = {"1", "t", "T", "true", "TRUE", "True"}


async def _send(ws: web.WebSocketResponse, channel: int, data: bytes) -> None:
    if not ws.closed:
        await ws.send_bytes(bytes([channel]) + data)


def interactive_shell(spec: dict) -> list[str] | None:
    """The container's argv if its program is a shell reading its stdin, else None."""
    if not spec.get("stdin"):
        return None
    argv, _ = effective_argv(spec, lookup_image(str(spec.get("image") or "")))
    if not argv or argv[0].rsplit("/", 1)[-1] not in SHELLS:
        return None
    if "-c" in argv[1:] or any(not arg.startswith("-") for arg in argv[1:]):
        return None  # a command or a script: it does not read its stdin
    return argv


class AttachService:
    def __init__(self, cluster, execs=None) -> None:
        self.cluster = cluster
        self.execs = execs  # the exec service, which runs an attached interactive shell

    def _main_exited(self, pod: dict, container: str, code: int) -> None:
        kubelet = getattr(self.cluster.simulation, "kubelet", None)
        if kubelet is not None:
            kubelet.main_process_exited((pod.get("metadata") or {}).get("uid", ""), container,
                                        running_instance(pod, container) or "", code)

    async def handle(self, request: web.Request, sub: SubresourceRequest) -> web.StreamResponse:
        pod, query = sub.obj, request.query
        flags = {name: query.get(name, "") in _TRUE for name in ("stdin", "stdout", "stderr", "tty")}
        if not (flags["stdin"] or flags["stdout"] or flags["stderr"]):
            raise errors.bad_request("you must specify at least 1 of stdin, stdout, stderr")
        spec = choose_container(pod, query.get("container", ""))
        container = spec["name"]
        if not container_running(pod, container):
            return web.Response(status=500, text=not_running_text(container), content_type="text/plain")
        shell = interactive_shell(spec) if flags["stdin"] and self.execs is not None else None
        if shell is not None:
            tty = flags["tty"]
            options = ExecOptions(shell, container, True, flags["stdout"], flags["stderr"] and not tty, tty)
            return await self.execs.serve(request, sub, options, partial(self._main_exited, pod, container))
        ws = web.WebSocketResponse(protocols=PROTOCOLS)
        if not ws.can_prepare(request).ok:
            raise errors.bad_request("Upgrade request required")
        await ws.prepare(request)
        simulation = self.cluster.simulation
        book = getattr(simulation, "logbook", None)
        log = book.get(running_instance(pod, container) or "") if book is not None else None
        wall_now = simulation.clock.wall_now if simulation is not None else None
        merged = bool(spec.get("tty"))
        streams = [(None, STDOUT)] if merged else [("stdout", STDOUT), ("stderr", STDERR)]
        wanted = [(stream, channel) for stream, channel in streams
                  if merged or flags["stdout" if channel == STDOUT else "stderr"]]
        output = asyncio.ensure_future(_follow(ws, log, wall_now, wanted) if log is not None and wall_now
                                       else asyncio.get_running_loop().create_future())
        incoming = asyncio.ensure_future(_drain(ws))
        try:
            done, _ = await asyncio.wait({output, incoming}, return_when=asyncio.FIRST_COMPLETED)
            if output in done and output.exception() is None:
                await _send(ws, STATUS, json.dumps(success_status(), separators=(",", ":")).encode())
        except (ConnectionError, RuntimeError):
            pass
        finally:
            for task in (output, incoming):
                task.cancel()
        if not ws.closed:
            await ws.close()
        return ws


async def _follow(ws: web.WebSocketResponse, log: ContainerLog, wall_now,
                  wanted: list[tuple[str | None, int]]) -> None:
    """The instance's lines from now until it ends, per stream on its channel."""
    start = log.cursor_at(wall_now())
    cursors: dict[int, Cursor] = {channel: start for _, channel in wanted}
    while True:
        now = wall_now()
        more = False
        for stream, channel in wanted:
            data, cursors[channel], pending = log.read_after(cursors[channel], now, stream=stream)
            more = more or pending
            if data:
                await _send(ws, channel, data)
        if more:
            await asyncio.sleep(0)
            continue
        if log.is_over(now) and log.next_line_at(now) is None:
            return
        await wait_for_lines(log, now)


async def _drain(ws: web.WebSocketResponse) -> None:
    """Read (and drop) what the client sends until it closes."""
    async for message in ws:
        if message.type in (WSMsgType.CLOSE, WSMsgType.ERROR):
            return


def install(cluster, execs=None) -> AttachService:
    service = AttachService(cluster, execs)
    cluster.register_subresource("pods", "attach", service.handle)
    return service
