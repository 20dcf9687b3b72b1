"""Files the containers of a pod write, as the other containers and `kubectl exec` see them.

A container's RunPlan records what its script writes (`FileWrite`s, once or every iteration of
its loop). Writes under a shared volume (emptyDir, hostPath, a claim) land in that volume, so
another container that mounts it reads them at its own mount path; other writes stay in the
writer's own filesystem. `feeds` gives a starting container the lines others append to files it
can see (what `tail -f` follows); `files_now` gives the content of every written file at a
moment, for an exec session. Key decisions: pure functions of the specs, the plans and the
start offsets; an appended file keeps its last `MAX_APPENDS` writes per writer, as a bound.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterator

from kubetui.localcluster.sandbox.date_marks import render_dates
from kubetui.localcluster.sandbox.run_plan import FileFeed, FileWrite, LogLine, Periodic, RunPlan

SHARED_SOURCES = ("emptyDir", "hostPath", "persistentVolumeClaim", "ephemeral")
MAX_APPENDS = 1000


@dataclass(frozen=True)
class Writer:
    """A container instance that ran: its spec, plan, start (in simulated seconds) and how to
    turn one of its offsets into the wall-clock time of a write."""

    container: dict
    plan: RunPlan
    started: float
    wall: Callable[[float], datetime]
    ended: float | None = None  # offset at which it stopped, None while it runs


def shared_mounts(spec: dict, container: dict) -> list[tuple[str, str, str]]:
    """(mountPath, volume, subPath) of the container's shared writable volumes, deepest first."""
    sources = {v.get("name"): v for v in spec.get("volumes") or [] if isinstance(v, dict)}
    mounts = []
    for mount in container.get("volumeMounts") or []:
        volume = sources.get(mount.get("name")) if isinstance(mount, dict) else None
        if volume is None or mount.get("readOnly") or not any(k in volume for k in SHARED_SOURCES):
            continue
        path = posixpath.normpath("/" + str(mount.get("mountPath", "")).lstrip("/"))
        mounts.append((path, str(mount["name"]), str(mount.get("subPath") or "").strip("/")))
    return sorted(mounts, key=lambda item: -len(item[0]))


def locate(path: str, mounts: list[tuple[str, str, str]]) -> tuple[str, str] | None:
    """(volume, path inside the volume) of a path in the container, None if not on one."""
    for mount_path, volume, sub_path in mounts:
        if path == mount_path or path.startswith(mount_path.rstrip("/") + "/"):
            inner = path[len(mount_path):].lstrip("/")
            return volume, posixpath.join(sub_path, inner) if sub_path else inner
    return None


def _seen_at(inner: tuple[str, str], mounts: list[tuple[str, str, str]]) -> str | None:
    volume, relative = inner
    for mount_path, name, sub_path in mounts:
        if name != volume:
            continue
        if sub_path and not (relative == sub_path or relative.startswith(sub_path + "/")):
            continue
        rest = relative[len(sub_path):].lstrip("/") if sub_path else relative
        return posixpath.join(mount_path, rest) if rest else mount_path
    return None


def _lines(write: FileWrite, offset: float) -> list[LogLine]:
    if not write.text:
        return []  # a file emptied by `> file`: nothing to read
    text = write.text[:-1] if write.text.endswith("\n") else write.text
    return [LogLine(write.at + offset, piece) for piece in text.split("\n")]


def feeds(spec: dict, reader: dict, writers: list[tuple[dict, RunPlan, float]]) -> dict[str, FileFeed]:
    """What other containers append to files `reader` can see, keyed by the reader's path;
    each writer comes with its start offset relative to the reader's start."""
    reader_mounts = shared_mounts(spec, reader)
    found: dict[str, tuple[list[LogLine], Periodic | None]] = {}
    for container, plan, offset in writers:
        if container.get("name") == reader.get("name"):
            continue
        mounts = shared_mounts(spec, container)

        def target(write: FileWrite) -> str | None:
            inner = locate(write.path, mounts)
            return None if inner is None else _seen_at(inner, reader_mounts)

        for write in plan.writes:
            path = target(write)
            if path is not None:
                found.setdefault(path, ([], None))[0].extend(_lines(write, offset))
        periodic = plan.periodic
        for write in periodic.writes if periodic else ():
            path = target(write)
            if path is None or periodic is None:
                continue
            lines, loop = found.setdefault(path, ([], None))
            if loop is None:
                loop = Periodic(periodic.first + offset, periodic.interval, ())
            if loop.interval == periodic.interval:
                loop = Periodic(loop.first, loop.interval, loop.lines + tuple(_lines(write, 0.0)))
            found[path] = (lines, loop)
    return {path: FileFeed(tuple(sorted(lines, key=lambda line: line.at)), loop)
            for path, (lines, loop) in found.items()}


def render(text: str, moment: datetime) -> str:
    """A written text with its `date` markers turned into the time of the write."""
    return render_dates(text, moment)


def _occurrences(writer: Writer, now: float) -> Iterator[tuple[float, FileWrite]]:
    """(offset, write) of every write the instance made until `now` (its own offsets)."""
    end = now if writer.ended is None else min(now, writer.ended)
    for write in writer.plan.writes:
        if write.at <= end:
            yield write.at, write
    periodic = writer.plan.periodic
    if periodic is None or not periodic.writes or periodic.first > end:
        return
    done = int((end - periodic.first) // periodic.interval) + 1
    for write in periodic.writes:
        last = done if periodic.first + (done - 1) * periodic.interval + write.at <= end else done - 1
        first = max(0, last - (MAX_APPENDS if write.append else 1))
        for k in range(first, last):
            yield periodic.first + k * periodic.interval + write.at, write


Written = dict[str, dict[str, tuple[str, float]]]  # volume or container -> path -> (text, mtime)


def files_now(spec: dict, writers: list[Writer], now: float) -> tuple[Written, Written]:
    """At simulated time `now`: ({volume: {path in it: (text, mtime)}}, {container: {path:
    (text, mtime)}}), mtimes as epoch seconds of the last write."""
    events: list[tuple[float, int, str | None, str, FileWrite, datetime]] = []
    for order, writer in enumerate(writers):
        mounts = shared_mounts(spec, writer.container)
        name = str(writer.container.get("name", ""))
        for offset, write in _occurrences(writer, now - writer.started):
            inner = locate(write.path, mounts)
            volume, path = (inner[0], inner[1]) if inner else (None, write.path)
            events.append((writer.started + offset, order, volume, path if inner else f"{name}\0{path}",
                           write, writer.wall(offset)))
    volumes: Written = {}
    containers: Written = {}
    for _, _, volume, key, write, moment in sorted(events, key=lambda item: (item[0], item[1])):
        if volume is None:
            name, path = key.split("\0", 1)
            files = containers.setdefault(name, {})
        else:
            files, path = volumes.setdefault(volume, {}), key
        text = render(write.text, moment)
        before = files.get(path, ("", 0.0))[0] if write.append else ""
        files[path] = (before + text, moment.timestamp())
    return volumes, containers
