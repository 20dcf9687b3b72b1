"""Log buffers: one per container instance (containerID), as containerd keeps them on a node.

Key decisions: a buffer holds the instance's RunPlan and start instant rather than written lines;
lines are materialized when read (a line exists once its wall-clock instant has passed), so a
thousand idle nginx pods cost nothing until someone runs `kubectl logs`. Periodic lines are
generated only for the window asked for, and every buffer is bounded (`MAX_LINES`). The kubelet
keeps the current and the previous instance of each container, like `--previous` can reach.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from kubetui.localcluster.run_plan import LogLine, RunPlan

MAX_LINES = 10_000
KEPT_INSTANCES = 2


@dataclass(frozen=True, order=True)
class Entry:
    """One line as a reader sees it; `key` orders lines and serves as a follow cursor."""

    key: tuple
    at: datetime
    text: str
    stream: str


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
        if plan.exit_after is not None:
            self.ended = self.wall(plan.exit_after)
        self._extra: deque[tuple[datetime, LogLine]] = deque(maxlen=max_lines)
        self._extra_count = 0
        self.changed = asyncio.Event()  # set on finish; follow readers wait on it

    # ------------------------------------------------------------------ writing
    def wall(self, offset: float) -> datetime:
        return self.started + timedelta(seconds=offset / self.time_scale)

    def offset(self, moment: datetime) -> float:
        return (moment - self.started).total_seconds() * self.time_scale

    def finish(self, at: datetime, lines: tuple[LogLine, ...] = (), signal_at: datetime | None = None) -> None:
        """The instance stopped at `at` (killed or exited); `lines` were printed from `signal_at`."""
        base = signal_at or at
        for line in lines:
            self._add(base + timedelta(seconds=line.at / self.time_scale), line)
        if self.ended is None or at < self.ended:
            self.ended = at
        self._notify()

    def _add(self, moment: datetime, line: LogLine) -> None:
        self._extra.append((moment, line))
        self._extra_count += 1

    def _notify(self) -> None:
        self.changed.set()

    # ------------------------------------------------------------------ reading
    def entries(self, now: datetime) -> list[Entry]:
        """Every line printed up to `now` (and not after the instance ended), oldest first."""
        limit = min(now, self.ended) if self.ended else now
        found: list[Entry] = []
        for index, line in enumerate(self.plan.lines):
            moment = self.wall(line.at)
            if moment <= limit:
                found.append(Entry((moment, 0, index), moment, line.render(moment), line.stream))
        found.extend(self._periodic(limit))
        base = self._extra_count - len(self._extra)
        for index, (moment, line) in enumerate(self._extra):
            if moment <= now:
                found.append(Entry((moment, 2, base + index), moment, line.render(moment), line.stream))
        found.sort()
        return found[-self.max_lines:]

    def _periodic(self, limit: datetime) -> list[Entry]:
        periodic = self.plan.periodic
        if periodic is None or not periodic.lines or periodic.interval <= 0:
            return []
        elapsed = self.offset(limit) - periodic.first
        if elapsed < 0:
            return []
        last = int(math.floor(elapsed / periodic.interval))
        per_iteration = len(periodic.lines)
        first = max(0, last - self.max_lines // per_iteration - 1)
        found = []
        for k in range(first, last + 1):
            base = periodic.first + k * periodic.interval
            for j, line in enumerate(periodic.lines):
                moment = self.wall(base + line.at)
                if moment <= limit:
                    found.append(Entry((moment, 1, k, j), moment, line.render(moment), line.stream))
        return found

    def next_line_at(self, now: datetime) -> datetime | None:
        """When the next line not yet printed at `now` will appear, if any."""
        limit = self.ended
        candidates = [self.wall(line.at) for line in self.plan.lines if self.wall(line.at) > now]
        periodic = self.plan.periodic
        if periodic is not None and periodic.lines and periodic.interval > 0:
            elapsed = self.offset(now) - periodic.first
            k = max(0, int(math.floor(elapsed / periodic.interval)))
            for step in (k, k + 1):
                for line in periodic.lines:
                    moment = self.wall(periodic.first + step * periodic.interval + line.at)
                    if moment > now:
                        candidates.append(moment)
        candidates += [moment for moment, _ in self._extra if moment > now]
        if limit is not None:
            candidates = [c for c in candidates if c <= limit]
        return min(candidates) if candidates else None

    def is_over(self, now: datetime) -> bool:
        return self.ended is not None and self.ended <= now


class LogBook:
    """All container logs of the simulated nodes, by containerID and by pod container."""

    def __init__(self) -> None:
        self._by_id: dict[str, ContainerLog] = {}
        self._instances: dict[tuple[str, str], deque[str]] = {}

    def start(self, pod_uid: str, container: str, log: ContainerLog) -> None:
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

