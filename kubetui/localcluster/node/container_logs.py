"""Log buffers: one per container instance (containerID), as containerd keeps them on a node.

Key decisions: a buffer holds the instance's RunPlan and start instant rather than written lines;
lines are materialized when read (a line exists once its wall-clock instant has passed), so a
thousand idle nginx pods cost nothing until someone runs `kubectl logs`. Periodic lines are
generated only for the window asked for, and every buffer is bounded (`MAX_LINES`). The kubelet
keeps the current and the previous instance of each container, like `--previous` can reach.

Followers read by `Cursor`: `read_after` renders only the lines past it, at most `READ_BATCH`
at a time, and the identical lines of a loop are rendered once and repeated as bytes, so a busy
loop costs the server what its readers take and no more. A follower that falls more than
`MAX_LINES` behind skips ahead, as containerd's log rotation makes a slow reader do. A loop
that prints without sleeping (the simulated shell floors its period at `MIN_INTERVAL`) prints
at the LogBook's `busy_rate` lines per wall-clock second instead (`--log-rate`).
"""

from __future__ import annotations

import asyncio
import math
from bisect import bisect_right
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from kubetui.localcluster.apimachinery.clock import rfc3339_nano
from kubetui.localcluster.sandbox.run_plan import MIN_INTERVAL, LogLine, Periodic, RunPlan

MAX_LINES = 10_000
KEPT_INSTANCES = 2
READ_BATCH = 4096  # lines per read_after: a follower writes slices of a few hundred KB
BUSY_RATE = 200.0  # lines per second of a loop that never sleeps, unless the cluster says


@dataclass(frozen=True, order=True)
class Entry:
    """One line as a reader sees it; `key` orders lines."""

    key: tuple
    at: datetime
    text: str
    stream: str


@dataclass(frozen=True)
class Cursor:
    """What a follower has read: counts of fixed lines (in time order), of periodic lines, and
    the absolute index of the next extra line (written at the end of the instance)."""

    fixed: int = 0
    periodic: int = 0
    extra: int = 0


def render_line(line: LogLine, moment: datetime, timestamps: bool) -> bytes:
    """One line as the kubelet serves it: RFC3339Nano and a space first when asked."""
    prefix = stamp(moment) + " " if timestamps else ""
    return f"{prefix}{line.render(moment)}\n".encode()


_SECONDS: dict[datetime, str] = {}


def stamp(moment: datetime) -> str:
    """rfc3339_nano, with the whole-second part formatted once per second: a follower of a
    busy loop stamps hundreds of thousands of lines a second."""
    if moment.tzinfo is not timezone.utc:
        return rfc3339_nano(moment)
    second = moment.replace(microsecond=0)
    head = _SECONDS.get(second)
    if head is None:
        if len(_SECONDS) > 256:
            _SECONDS.clear()
        head = _SECONDS[second] = second.strftime("%Y-%m-%dT%H:%M:%S")
    micro = moment.microsecond
    return f"{head}.{micro:06d}".rstrip("0") + "Z" if micro else head + "Z"


class ContainerLog:
    """The log of one container instance."""

    def __init__(self, container_id: str, plan: RunPlan, started: datetime, time_scale: float,
                 max_lines: int = MAX_LINES) -> None:
        self.container_id = container_id
        self.plan = plan
        self.started = started
        self.time_scale = time_scale
        self.max_lines = max_lines
        self.ended: datetime | None = None
        self._ended_offset = 0.0  # `ended` as an offset, exact when the plan says when it exits
        if plan.exit_after is not None:
            self.ended, self._ended_offset = self.wall(plan.exit_after), plan.exit_after
        self._fixed = sorted(((line.at, index, line) for index, line in enumerate(plan.lines)),
                             key=lambda item: (item[0], item[1]))
        self._fixed_at = [item[0] for item in self._fixed]
        self._set_periodic(plan.periodic)
        self._extra: deque[tuple[datetime, LogLine]] = deque(maxlen=max_lines)
        self._extra_count = 0
        self.changed = asyncio.Event()  # set on finish; follow readers wait on it

    def _set_periodic(self, periodic: Periodic | None) -> None:
        if periodic is None or not periodic.lines or periodic.interval <= 0:
            periodic = None
        self.periodic = periodic
        self._cycle: list[LogLine] = sorted(periodic.lines, key=lambda line: line.at) if periodic else []
        self._timed = any(line.timed for line in self._cycle)
        self._pieces: dict[str | None, tuple[list[bytes], bytes]] = {}

    def pace_busy_loop(self, rate: float) -> None:
        """A loop that prints without sleeping prints `rate` lines per wall-clock second."""
        periodic = self.periodic
        if periodic is None or rate <= 0 or periodic.interval > MIN_INTERVAL \
                or any(line.at for line in periodic.lines):
            return
        interval = len(periodic.lines) / rate * self.time_scale
        self._set_periodic(Periodic(periodic.first, interval, periodic.lines))

    # ------------------------------------------------------------------ writing
    def wall(self, offset: float) -> datetime:
        return self.started + timedelta(seconds=offset / self.time_scale)

    def offset(self, moment: datetime) -> float:
        return (moment - self.started).total_seconds() * self.time_scale

    def finish(self, at: datetime, lines: tuple[LogLine, ...] = (), signal_at: datetime | None = None) -> None:
        """The instance stopped at `at` (killed or exited); `lines` were printed from `signal_at`."""
        base = signal_at or at
        for line in lines:
            self._extra.append((base + timedelta(seconds=line.at / self.time_scale), line))
            self._extra_count += 1
        if self.ended is None or at < self.ended:
            self.ended, self._ended_offset = at, self.offset(at)
        self._notify()

    def write(self, moment: datetime, text: str, stream: str) -> None:
        """A line the running program prints in answer to the outside world (a request that
        came through a port-forward), at `moment`: kept with the lines of its end."""
        self._extra.append((moment, LogLine(0.0, text, stream)))
        self._extra_count += 1
        self._notify()

    def _notify(self) -> None:
        self.changed.set()

    # ------------------------------------------------------------------ reading
    def entries(self, now: datetime) -> list[Entry]:
        """Every line printed up to `now` (and not after the instance ended), oldest first;
        the last `max_lines` of them."""
        limit = self._limit_offset(now)
        found = [Entry((moment, 0, index), moment, line.render(moment), line.stream)
                 for at, index, line in self._fixed[:bisect_right(self._fixed_at, limit)]
                 for moment in (self.wall(at),)]
        end = self._periodic_count(limit)
        for n in range(max(0, end - self.max_lines), end):
            k, j = divmod(n, len(self._cycle))
            line, moment = self._cycle[j], self.wall(self._periodic_offset(n))
            found.append(Entry((moment, 1, k, j), moment, line.render(moment), line.stream))
        base = self._extra_count - len(self._extra)
        for index in range(base, self._extras_until(now)):
            moment, line = self._extra[index - base]
            found.append(Entry((moment, 2, index), moment, line.render(moment), line.stream))
        found.sort()
        return found[-self.max_lines:]

    def cursor_at(self, now: datetime) -> Cursor:
        """The cursor of a reader that has read `entries(now)`."""
        limit = self._limit_offset(now)
        return Cursor(bisect_right(self._fixed_at, limit), self._periodic_count(limit),
                      self._extras_until(now))

    def read_after(self, cursor: Cursor, now: datetime, *, timestamps: bool = False,
                   stream: str | None = None, batch: int = READ_BATCH) -> tuple[bytes, Cursor, bool]:
        """The rendered lines past `cursor` up to `now` (at most `batch`), the new cursor, and
        whether more lines are already due."""
        limit = self._limit_offset(now)
        fixed_end = bisect_right(self._fixed_at, limit)
        fixed = max(0, fixed_end - cursor.fixed)
        periodic_end = self._periodic_count(limit)
        first = max(cursor.periodic, periodic_end - self.max_lines)  # rotated away meanwhile
        periodic = max(0, periodic_end - first)
        extra_start = max(cursor.extra, self._extra_count - len(self._extra))
        extra = max(0, self._extras_until(now) - extra_start)
        if not fixed and not extra:  # the hot path: a loop, nothing else
            last = first + min(periodic, batch)
            data = self._render_periodic(first, last, timestamps, stream)
            return data, Cursor(cursor.fixed, max(cursor.periodic, last), cursor.extra), last < periodic_end
        items = []
        for i in range(cursor.fixed, cursor.fixed + min(fixed, batch)):
            at, index, line = self._fixed[i]
            items.append(((self.wall(at), 0, index), line))
        for n in range(first, first + min(periodic, batch)):
            items.append(((self.wall(self._periodic_offset(n)), 1, n), self._cycle[n % len(self._cycle)]))
        base = self._extra_count - len(self._extra)
        for index in range(extra_start, extra_start + min(extra, batch)):
            moment, line = self._extra[index - base]
            items.append(((moment, 2, index), line))
        items.sort(key=lambda item: item[0])
        taken = items[:batch]
        counts = [0, 0, 0]
        chunks = []
        for (moment, kind, _), line in taken:
            counts[kind] += 1
            if stream is None or line.stream == stream:
                chunks.append(render_line(line, moment, timestamps))
        moved = Cursor(cursor.fixed + counts[0], max(cursor.periodic, first + counts[1]),
                       extra_start + counts[2])
        return b"".join(chunks), moved, len(items) > len(taken) or fixed + periodic + extra > len(items)

    def next_line_at(self, now: datetime) -> datetime | None:
        """When the next line not yet printed at `now` will appear, if any."""
        offset = self.offset(now)
        candidates = []
        index = bisect_right(self._fixed_at, offset)
        if index < len(self._fixed_at):
            candidates.append(self.wall(self._fixed_at[index]))
        if self.periodic is not None:
            candidates.append(self.wall(self._periodic_offset(self._periodic_count(offset))))
        candidates += [moment for moment, _ in self._extra if moment > now]
        if self.ended is not None:
            candidates = [c for c in candidates if c <= self.ended]
        return min(candidates) if candidates else None

    def is_over(self, now: datetime) -> bool:
        return self.ended is not None and self.ended <= now

    # ------------------------------------------------------------------ internals
    def _limit_offset(self, now: datetime) -> float:
        """The offset lines must not pass at `now`; the end's own offset once it has come, so a
        line printed at the very instant of exit is never lost to float rounding."""
        if self.ended is not None and now >= self.ended:
            return self._ended_offset
        return self.offset(now)

    def _periodic_offset(self, n: int) -> float:
        """Simulated offset of periodic line `n` (iteration n // len, line n % len); the one
        formula every comparison uses, so float rounding never counts a line twice."""
        k, j = divmod(n, len(self._cycle))
        return self.periodic.first + k * self.periodic.interval + self._cycle[j].at

    def _periodic_count(self, limit: float) -> int:
        """How many periodic lines have an offset <= `limit`."""
        periodic = self.periodic
        if periodic is None or limit < periodic.first:
            return 0
        k = int(math.floor((limit - periodic.first) / periodic.interval))
        while periodic.first + (k + 1) * periodic.interval <= limit:
            k += 1
        while k > 0 and periodic.first + k * periodic.interval > limit:
            k -= 1
        base = k * len(self._cycle)
        count = base
        for j in range(len(self._cycle)):
            if self._periodic_offset(base + j) > limit:
                break
            count += 1
        return count

    def _extras_until(self, now: datetime) -> int:
        """Absolute index after the extra lines already printed at `now`."""
        index = self._extra_count - len(self._extra)
        for moment, _ in self._extra:
            if moment > now:
                break
            index += 1
        return index

    def _render_periodic(self, first: int, last: int, timestamps: bool, stream: str | None) -> bytes:
        if first >= last:
            return b""
        size = len(self._cycle)
        if not timestamps and not self._timed:  # the same bytes every iteration
            pieces, block = self._cycle_bytes(stream)
            k0, j0 = divmod(first, size)
            k1, j1 = divmod(last, size)
            if k0 == k1:
                return b"".join(pieces[j0:j1])
            return b"".join(pieces[j0:]) + block * (k1 - k0 - 1) + b"".join(pieces[:j1])
        out = []
        for n in range(first, last):
            line = self._cycle[n % size]
            if stream is None or line.stream == stream:
                out.append(render_line(line, self.wall(self._periodic_offset(n)), timestamps))
        return b"".join(out)

    def _cycle_bytes(self, stream: str | None) -> tuple[list[bytes], bytes]:
        cached = self._pieces.get(stream)
        if cached is None:
            pieces = [f"{line.text}\n".encode() if stream is None or line.stream == stream else b""
                      for line in self._cycle]
            cached = self._pieces[stream] = (pieces, b"".join(pieces))
        return cached


class LogBook:
    """All container logs of the simulated nodes, by containerID and by pod container.

    `busy_rate`: lines per second of a container loop that prints without sleeping."""

    def __init__(self, busy_rate: float = BUSY_RATE) -> None:
        self.busy_rate = busy_rate
        self._by_id: dict[str, ContainerLog] = {}
        self._instances: dict[tuple[str, str], deque[str]] = {}

    def start(self, pod_uid: str, container: str, log: ContainerLog) -> None:
        log.pace_busy_loop(self.busy_rate)
        ids = self._instances.setdefault((pod_uid, container), deque())
        ids.append(log.container_id)
        self._by_id[log.container_id] = log
        while len(ids) > KEPT_INSTANCES:
            self._by_id.pop(ids.popleft(), None)

    def get(self, container_id: str) -> ContainerLog | None:
        return self._by_id.get(container_id)

    def forget_pod(self, pod_uid: str) -> None:
        for key in [key for key in self._instances if key[0] == pod_uid]:
            for container_id in self._instances.pop(key):
                log = self._by_id.pop(container_id, None)
                if log is not None:
                    log._notify()

    def __len__(self) -> int:
        return len(self._by_id)
