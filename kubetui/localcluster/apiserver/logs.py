"""The `pods/log` subresource: `kubectl logs` with container, follow, tailLines, sinceSeconds,
sinceTime, timestamps, previous, limitBytes (and the 1.32 `stream` split).

Key decisions: the checks and their messages are the API server's (container choice, option
validation) and the kubelet's (`validateContainerLogStatus`: waiting to start, previous not
found), in that order, so every failure reads as on a real cluster. The kubelet's order of
filters is kept too: tail first, then since. Following ends when the instance ends, as with
containerd; a stream never raises after its headers are sent.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiohttp import web

from kubetui.localcluster.apimachinery import causes, errors
from kubetui.localcluster.apimachinery.clock import parse_rfc3339
from kubetui.localcluster.node.container_logs import ContainerLog, Cursor, Entry, LogBook, stamp
from kubetui.localcluster.apiserver.http_io import parse_bool, parse_int
from kubetui.localcluster.apiserver.state import SubresourceRequest
from kubetui.localcluster.node.nodes import NODE_NAMES

_STREAMS = {"Stdout": "stdout", "Stderr": "stderr", "All": None}
FOLLOW_POLL_SECONDS = 1.0


@dataclass(frozen=True)
class LogOptions:
    container: str = ""
    follow: bool = False
    previous: bool = False
    timestamps: bool = False
    tail_lines: int | None = None
    since_seconds: int | None = None
    since_time: datetime | None = None
    limit_bytes: int | None = None
    stream: str | None = None


def parse_options(query, pod_name: str) -> LogOptions:
    """PodLogOptions from the query, validated like ValidatePodLogOptions."""
    tail = parse_int(query.get("tailLines"), "tailLines")
    since = parse_int(query.get("sinceSeconds"), "sinceSeconds")
    limit = parse_int(query.get("limitBytes"), "limitBytes")
    since_text = query.get("sinceTime") or ""
    since_time = parse_rfc3339(since_text) if since_text else None
    if since_text and since_time is None:
        raise errors.bad_request(f'parsing time "{since_text}" as "2006-01-02T15:04:05Z07:00": '
                                 "cannot parse as RFC3339")
    problems = []
    if tail is not None and tail < 0:
        problems.append(causes.invalid("tailLines", tail, "must be greater than or equal to 0"))
    if limit is not None and limit < 1:
        problems.append(causes.invalid("limitBytes", limit, "must be greater than 0"))
    if since is not None and since < 1:
        problems.append(causes.invalid("sinceSeconds", since, "must be greater than 0"))
    if since is not None and since_time is not None:
        problems.append({"reason": "FieldValueForbidden", "field": "",
                         "message": "Forbidden: at most one of `sinceTime` or `sinceSeconds` "
                                    "may be specified"})
    stream_text = query.get("stream") or ""
    if stream_text and stream_text not in _STREAMS:
        problems.append(causes.not_supported("stream", stream_text, ["All", "Stderr", "Stdout"]))
    if problems:
        raise errors.invalid("PodLogOptions", pod_name, problems)
    return LogOptions(
        container=query.get("container") or "", follow=parse_bool(query.get("follow"), "follow"),
        previous=parse_bool(query.get("previous"), "previous"),
        timestamps=parse_bool(query.get("timestamps"), "timestamps"), tail_lines=tail,
        since_seconds=since, since_time=since_time, limit_bytes=limit,
        stream=_STREAMS.get(stream_text) if stream_text else None)


def choose_container(pod: dict, wanted: str) -> str:
    """The API server's LogLocation checks: a name is required when there are several."""
    spec, name = pod.get("spec") or {}, (pod.get("metadata") or {}).get("name", "")
    containers = [c.get("name", "") for c in spec.get("containers") or []]
    inits = [c.get("name", "") for c in spec.get("initContainers") or []]
    ephemeral = [c.get("name", "") for c in spec.get("ephemeralContainers") or []]
    if not wanted:
        if len(containers) == 1:
            return containers[0]
        if not containers:
            raise errors.bad_request(f"a container name must be specified for pod {name}")
        message = (f"a container name must be specified for pod {name}, choose one of: "
                   f"[{' '.join(containers)}]")
        if inits:
            message += f" or one of the init containers: [{' '.join(inits)}]"
        raise errors.bad_request(message)
    if wanted not in containers + inits + ephemeral:
        raise errors.bad_request(f"container {wanted} is not valid for pod {name}")
    return wanted


def container_id_for_logs(pod: dict, container: str, previous: bool) -> str:
    """The kubelet's validateContainerLogStatus: which instance to read, or why none."""
    status, name = pod.get("status") or {}, (pod.get("metadata") or {}).get("name", "")
    every = (status.get("containerStatuses") or []) + (status.get("initContainerStatuses") or []) \
        + (status.get("ephemeralContainerStatuses") or [])
    found = next((s for s in every if s.get("name") == container), None)
    if found is None:
        raise errors.bad_request(f'container "{container}" in pod "{name}" is not available')
    state, last = found.get("state") or {}, (found.get("lastState") or {}).get("terminated")
    if previous:
        if not last or not last.get("containerID"):
            raise errors.bad_request(
                f'previous terminated container "{container}" in pod "{name}" not found')
        return last["containerID"]
    if "running" in state:
        return found.get("containerID", "")
    if "terminated" in state:
        terminated = state["terminated"]
        if terminated.get("containerID"):
            return terminated["containerID"]
        if last and last.get("containerID"):
            return last["containerID"]
        raise errors.bad_request(f'container "{container}" in pod "{name}" is terminated')
    if last:
        if not last.get("containerID"):
            raise errors.bad_request(f'container "{container}" in pod "{name}" is terminated')
        return last["containerID"]
    if "waiting" in state:
        reason = (state["waiting"] or {}).get("reason", "")
        detail = {"ErrImagePull": "image can't be pulled",
                  "ImagePullBackOff": "trying and failing to pull image"}.get(reason, reason)
        raise errors.bad_request(f'container "{container}" in pod "{name}" is waiting to start: '
                                 f"{detail}")
    raise errors.bad_request(
        f'container "{container}" in pod "{name}" is waiting to start - no logs yet')


def select(entries: list[Entry], options: LogOptions, now: datetime) -> list[Entry]:
    if options.stream:
        entries = [e for e in entries if e.stream == options.stream]
    if options.tail_lines is not None:
        entries = entries[-options.tail_lines:] if options.tail_lines else []
    since = options.since_time
    if options.since_seconds is not None:
        since = now - timedelta(seconds=options.since_seconds)
    if since is not None:
        entries = [e for e in entries if e.at >= since]
    return entries


def render(entry: Entry, timestamps: bool) -> bytes:
    prefix = stamp(entry.at) + " " if timestamps else ""
    return f"{prefix}{entry.text}\n".encode()


def make_log_handler(store, logbook: LogBook, wall_now):
    """The handler to register as the pods/log subresource."""

    async def handle(request: web.Request, sub: SubresourceRequest) -> web.StreamResponse:
        pod = sub.obj
        options = parse_options(request.query, sub.name)
        container = choose_container(pod, options.container)
        node = (pod.get("spec") or {}).get("nodeName")
        if not node:  # not scheduled yet: nothing to read, and no error either
            return web.Response(body=b"", content_type="text/plain")
        if node not in NODE_NAMES:
            raise _unreachable(store, node, pod, container)
        identifier = container_id_for_logs(pod, container, options.previous)
        log = logbook.get(identifier)
        if log is None:
            raise errors.ApiError(500, "InternalError",
                                  f"unable to retrieve container logs for {identifier}")
        now = wall_now()
        every = log.entries(now)
        chosen = select(every, options, now)
        if not options.follow:
            body = b"".join(render(e, options.timestamps) for e in chosen)
            if options.limit_bytes is not None:
                body = body[:options.limit_bytes]
            return web.Response(body=body, content_type="text/plain")
        cursor = log.cursor_at(now)  # what the reader skipped (tail, since) stays skipped
        return await _follow(request, log, chosen, cursor, options, wall_now)

    return handle


def _unreachable(store, node: str, pod: dict, container: str) -> errors.ApiError:
    node_obj = store.get("nodes", "", node)
    if node_obj is None:
        return errors.not_found("nodes", node)
    addresses = (node_obj.get("status") or {}).get("addresses") or []
    host = next((a.get("address") for a in addresses if a.get("type") == "InternalIP"), node)
    meta = pod.get("metadata") or {}
    url = f"https://{host}:10250/containerLogs/{meta.get('namespace')}/{meta.get('name')}/{container}"
    return errors.ApiError(500, "", f'Get "{url}": dial tcp {host}:10250: connect: no route to host')


async def _follow(request: web.Request, log: ContainerLog, first: list[Entry], cursor: Cursor,
                  options: LogOptions, wall_now) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "text/plain"})
    await response.prepare(request)
    budget = options.limit_bytes

    async def send(data: bytes) -> bool:
        """Write `data`; False once limitBytes is spent."""
        nonlocal budget
        if budget is not None:
            data, budget = data[:budget], budget - len(data)
        if data:
            await response.write(data)
        return budget is None or budget > 0

    try:
        if not await send(b"".join(render(e, options.timestamps) for e in first)):
            return response
        while True:
            now = wall_now()
            data, cursor, more = log.read_after(cursor, now, timestamps=options.timestamps,
                                                stream=options.stream)
            if data and not await send(data):
                return response
            if more:
                await asyncio.sleep(0)  # a flood must not starve the other requests
                continue
            if log.is_over(now) and log.next_line_at(now) is None:
                return response
            await wait_for_lines(log, now)
    except ConnectionResetError:  # the reader went away
        return response
    finally:
        try:
            await response.write_eof()
        except Exception:  # the connection is already gone; nothing left to tell anyone
            pass


async def wait_for_lines(log: ContainerLog, now: datetime) -> None:
    """Until the next line is due, a line is written or the instance ends (at most a poll)."""
    due = log.next_line_at(now)
    timeout = FOLLOW_POLL_SECONDS
    if due is not None:
        timeout = min(timeout, max(0.005, (due - now).total_seconds()))
    log.changed.clear()
    try:
        await asyncio.wait_for(log.changed.wait(), timeout)
    except asyncio.TimeoutError:
        pass
