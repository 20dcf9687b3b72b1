"""The host of a planned container run: a simulated clock, a log, and what the runtime runs.

Key decisions (see host.py for the other world): the run happens at once, at container start,
in simulated seconds. `sleep` moves the clock; whatever reaches stdout or stderr becomes log
lines stamped with the clock when their newline arrives (a partial line is flushed when the
run stops); every file write is recorded (`FileWrite`) for the other containers and for
`kubectl exec`. A `while`/`until` loop that can only repeat itself (its condition cannot
change, or a pass starts in the same state as the one before, or it ran `LOOP_LIMIT` passes)
ends the run with its last pass as a `Periodic`, so an endless loop costs nothing per line.
A server or an application binary (the runtime's programs) or `sleep infinity` ends it too,
with that program's own plan as the tail.
"""

from __future__ import annotations

import math
import time
from typing import Callable, Mapping

from kubetui.localcluster.sandbox.date_marks import date_mark, log_line
from kubetui.localcluster.sandbox.feed_reader import FeedReader
from kubetui.localcluster.sandbox.host import Blocked
from kubetui.localcluster.sandbox.run_plan import (
    IGNORES_SIGTERM,
    MIN_INTERVAL,
    STDERR,
    STDOUT,
    FileFeed,
    FileWrite,
    LogLine,
    Periodic,
    RunPlan,
    Stop,
)
from kubetui.localcluster.sandbox.streams import IO, InStream, NullIn, OutStream
from kubetui.localcluster.sandbox.system import System
from kubetui.localcluster.sandbox.vfs import FileSystem

MAX_LINES = 5000
LOOP_LIMIT = 1000
STEP_LIMIT = 200_000  # loop passes and sleeps in one run: past that it is busy for good
CPU_SECONDS = 2.0  # a plan is made inside the server (its thread's CPU time): past that the
# run is taken as busy for good
PIPE_CAPACITY = 16 * 1024 * 1024
RuntimeProgram = Callable[[list[str], bool], "RunPlan | None"]  # (argv, simulated)


class LogOut(OutStream):
    """stdout or stderr of the planned run."""

    def __init__(self, host: "PlanHost", stream: str):
        self.host, self.stream = host, stream

    def write(self, text: str) -> None:
        self.host.log(self.stream, text)


class WaitingIn(InStream):
    """stdin held open by nobody who writes (`stdin: true` without an attach): reading it
    waits for good."""

    def __init__(self, host: "PlanHost"):
        self.host = host

    def readline(self) -> str:
        self.host.sleep(math.inf, 0)
        return ""

    def position(self) -> int | None:
        return 0


class PlanHost:
    def __init__(self, runtime: RuntimeProgram, provides: Callable[[str], bool],
                 feeds: Mapping[str, FileFeed] | None = None):
        """`runtime(argv, simulated)`: the plan of a program the runtime runs itself (None:
        the sandbox's program runs); `provides(name)`: the image has a program the sandbox
        does not simulate."""
        self.runtime, self._provides = runtime, provides
        self.feeds = dict(feeds or {})
        self.t = 0.0
        self.lines: list[LogLine] = []
        self.writes: list[FileWrite] = []
        self.ports: list[int] = []
        self.input_driven = False  # a loop reads what another container writes (feed_reader)
        self._pending = {STDOUT: "", STDERR: ""}
        self._merge_from = 0  # writes before this index belong to an earlier loop pass
        self._loops: dict[int, tuple] = {}
        self._steps = 0
        self._fs: FileSystem | None = None
        self._deadline = time.thread_time() + CPU_SECONDS

    def io(self, waiting_stdin: bool = False) -> IO:
        stdin = WaitingIn(self) if waiting_stdin else NullIn()
        return IO(stdin, LogOut(self, STDOUT), LogOut(self, STDERR))

    def attach(self, system: System) -> None:
        """Bound the pipes of `system` and record the writes to its filesystem."""
        system.pipe_capacity = PIPE_CAPACITY
        self.watch(system.fs)

    def watch(self, fs: FileSystem) -> None:
        """Record the writes made to `fs`."""
        self._fs = fs
        fs.on_write = self._record_write

    # ---- the log ----------------------------------------------------------------------
    def _step(self) -> None:
        """Bound the work one plan may take from the server, whatever the script does."""
        self._steps += 1
        if self._steps > STEP_LIMIT or time.thread_time() > self._deadline:
            raise Blocked()

    def log(self, stream: str, text: str) -> None:
        if len(self.lines) >= MAX_LINES:  # the log is full: keep only a partial last line
            self._step()
            pending = self._pending[stream] + text if "\n" not in text else text
            self._pending[stream] = pending.rsplit("\n", 1)[-1]
            return
        pieces = (self._pending[stream] + text).split("\n")
        self._pending[stream] = pieces.pop()
        for piece in pieces:
            self._add_line(piece, stream)

    def flush(self) -> None:
        """Partial lines become lines: a partial line is still a line in a container log."""
        for stream, text in self._pending.items():
            if text:
                self._add_line(text, stream)
            self._pending[stream] = ""

    def _add_line(self, text: str, stream: str) -> None:
        if len(self.lines) < MAX_LINES:
            self.lines.append(log_line(self.t, text, stream))

    def _record_write(self, path: str, data: bytes, append: bool) -> None:
        text = data.decode("utf-8", "surrogateescape")
        last = self.writes[-1] if len(self.writes) > self._merge_from else None
        if last is not None and last.path == path and last.at == self.t:
            merged = FileWrite(self.t, path, last.text + text, last.append) if append \
                else FileWrite(self.t, path, text, False)
            self.writes[-1] = merged
        elif text or not append:
            self.writes.append(FileWrite(self.t, path, text, append))

    # ---- Host: time -------------------------------------------------------------------
    def sleep(self, seconds: float, pid: int) -> None:
        self._step()
        if math.isinf(seconds):
            raise Blocked(tail=RunPlan(stop=IGNORES_SIGTERM).after(self.t), exec_=pid == 1)
        self.t += seconds

    def advance_to(self, moment: float) -> None:
        self.t = max(self.t, moment)

    def date(self, fmt: str) -> str:
        return date_mark(fmt)

    # ---- Host: loops ------------------------------------------------------------------
    def loop_pass(self, loop: object, iteration: int, endless: bool,
                  state: Callable[[], object]) -> None:
        self._step()
        key = id(loop)
        now = None if endless or self.input_driven else (state(), self._fs_changes())
        if iteration and key in self._loops:
            start, mark, written, before = self._loops[key]
            if endless or (not self.input_driven and (now == before or iteration >= LOOP_LIMIT)):
                raise self.repeat(start, mark, written)
        self._loops[key] = (self.t, len(self.lines), len(self.writes), now)
        self._merge_from = len(self.writes)

    def mark(self) -> tuple[float, int, int]:
        """Where a repeating pattern starts (see `repeat`)."""
        self._merge_from = len(self.writes)
        return self.t, len(self.lines), len(self.writes)

    def repeat(self, start: float, mark: int, written: int, interval: float | None = None) -> Blocked:
        """The run repeats what it did since `mark` (made at `start`) for good."""
        self.flush()
        interval = self.t - start if interval is None else interval
        body = tuple(line.shifted(-start) for line in self.lines[mark:])
        writes = tuple(write.shifted(-start) for write in self.writes[written:])
        if interval <= 0 and not body and not writes:
            return Blocked()
        return Blocked(Periodic(start + interval, max(interval, MIN_INTERVAL), body, writes))

    def _fs_changes(self) -> int:
        return self._fs.changes if self._fs is not None else 0

    def separately(self, run: Callable[[], int]) -> tuple[int | None, float, tuple[LogLine, ...]]:
        """Run `run` from time 0 on a log of its own (a signal's handler): its status (None
        if it waits for good), when it ended and what it printed."""
        saved = self.t, self.lines, self.writes, self._pending
        self.t, self.lines, self.writes = 0.0, [], []
        self._pending = {STDOUT: "", STDERR: ""}
        status: int | None = None
        try:
            status = run()
        except Blocked:
            status = None
        finally:
            self.flush()
            ended, lines = self.t, tuple(self.lines)
            self.t, self.lines, self.writes, self._pending = saved
        return status, ended, lines

    # ---- Host: jobs and programs ------------------------------------------------------
    def background(self, job: Callable[[], int]) -> None:
        """`job &`: it runs from now on its own clock; the script goes on at once."""
        started = self.t
        try:
            job()
        except Blocked as blocked:
            if blocked.tail is not None:
                self._merge_tail(blocked.tail)
        finally:
            self.t = started

    def provides(self, name: str) -> bool:
        return self._provides(name)

    def runtime_program(self, argv: list[str], pid: int, io: IO, simulated: bool) -> int | None:
        plan = self.runtime(argv, simulated)
        if plan is None:
            if simulated:
                return None
            plan = RunPlan(stop=Stop(0.1, 0))  # an application binary: it runs until stopped
        plan = plan.after(self.t)
        if plan.runs_forever:
            raise Blocked(tail=plan, exec_=pid == 1)
        if plan.start_error:
            io.stderr.write(f"{argv[0]}: {plan.start_error}\n")
            return 127
        self.flush()
        self._merge_tail(plan)
        self.t = max(self.t, plan.exit_after or 0.0)
        return plan.exit_code

    def _merge_tail(self, plan: RunPlan) -> None:
        self.lines.extend(plan.lines[:max(0, MAX_LINES - len(self.lines))])
        self.writes.extend(plan.writes)
        self.ports.extend(plan.ports)

    def follow(self, path: str, lines: int, from_start: bool) -> InStream | None:
        feed = self.feeds.get(path)
        return None if feed is None else FeedReader(self, feed, lines, from_start)
