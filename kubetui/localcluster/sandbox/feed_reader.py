"""What `tail -f FILE` reads in a planned run when another container of the pod appends to
FILE through a shared volume: the adapter pattern's reader.

Key decisions: the reader is a stream read lazily (alone, or by the next stage of a pipeline
such as `while read ts status path; do …; done`), and reading a line moves the simulated
clock to when it was written. The lines already in the file come first (as many as `-n`
asks, all of them for `-n +1`), then the later ones. Once only the writer's loop is left, one
pass of it is read and the run repeats that for good (a `Periodic`), so the reader costs
nothing per line. When nothing more will come, reading waits for good.
"""

from __future__ import annotations

import math
from typing import Iterator, Protocol

from kubetui.localcluster.sandbox.host import Blocked
from kubetui.localcluster.sandbox.run_plan import FileFeed, LogLine, Periodic
from kubetui.localcluster.sandbox.streams import InStream

MAX_PAST = 5000


class PlanClock(Protocol):
    """What a reader needs of the planned run's host (plan_host.PlanHost)."""

    t: float
    input_driven: bool

    def advance_to(self, moment: float) -> None: ...

    def sleep(self, seconds: float, pid: int) -> None: ...

    def mark(self) -> tuple[float, int, int]: ...

    def repeat(self, start: float, mark: int, written: int,
               interval: float | None = None) -> Blocked: ...


class FeedReader(InStream):
    def __init__(self, host: PlanClock, feed: FileFeed, count: int, from_start: bool):
        self.host, self.feed = host, feed
        self._lines = self._sequence(count, from_start)
        self._served = 0

    def readline(self) -> str:
        line = next(self._lines)
        self._served += 1
        return line

    def position(self) -> int | None:
        return self._served

    def _sequence(self, count: int, from_start: bool) -> Iterator[str]:
        host = self.host
        past, pending = split(self.feed, host.t, count, from_start)
        host.input_driven = True
        for line in past:
            yield line.text + "\n"
        periodic = self.feed.periodic if self.feed.periodic and self.feed.periodic.lines else None
        if periodic is None:
            for line in pending:
                host.advance_to(line.at)
                yield line.text + "\n"
            host.input_driven = False
            host.sleep(math.inf, 0)  # nothing more will come
        iteration = iterations_before(periodic, host.t)
        while True:
            start = periodic.first + iteration * periodic.interval
            while pending and pending[0].at < start:
                line = pending.pop(0)
                host.advance_to(line.at)
                yield line.text + "\n"
            if not pending:
                break
            yield from self._one_pass(periodic, start)
            iteration += 1
        host.advance_to(start)
        mark = host.mark()
        yield from self._one_pass(periodic, start)
        host.input_driven = False
        host.advance_to(start + periodic.interval)
        raise host.repeat(*mark, interval=periodic.interval)

    def _one_pass(self, periodic: Periodic, start: float) -> Iterator[str]:
        for line in periodic.lines:
            self.host.advance_to(start + line.at)
            yield line.text + "\n"


def iterations_before(periodic: Periodic, t: float) -> int:
    if periodic.first > t:
        return 0
    return int((t - periodic.first) // periodic.interval) + 1


def split(feed: FileFeed, t: float, count: int, from_start: bool) -> tuple[list[LogLine], list[LogLine]]:
    """(lines already written that tail prints first, one-off lines written later)."""
    past = [line for line in feed.lines if line.at <= t]
    future = [line for line in feed.lines if line.at > t]
    periodic = feed.periodic
    if periodic is not None and periodic.lines:
        done = iterations_before(periodic, t)
        wanted = MAX_PAST if from_start else count
        first = 0 if from_start else max(0, done - wanted)
        for k in range(first, min(done, first + MAX_PAST)):
            start = periodic.first + k * periodic.interval
            past += [line.shifted(start) for line in periodic.lines]
    past.sort(key=lambda line: line.at)
    if from_start:
        past = past[max(0, count - 1):][:MAX_PAST]
    else:
        past = past[-count:] if count else []
    return past, future
