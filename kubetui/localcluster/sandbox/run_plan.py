"""The plan of one container run: what it prints and when, which ports it holds, how it ends.

Key decision: a run is decided completely when the container starts (a pure value), and every
moment in it is an offset in simulated seconds from the start. The kubelet only maps offsets to
wall-clock instants, so the same spec and time scale always give the same life story, and log
lines can be produced lazily when someone reads them instead of being written on a timer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

STDOUT, STDERR = "stdout", "stderr"
MIN_INTERVAL = 0.05  # the shortest period of a loop: one that never sleeps prints at the log rate


@dataclass(frozen=True)
class LogLine:
    """One line a process writes. With `timed`, `text` is a str.format template that receives
    `t` (the wall-clock datetime it is printed at) and `ms` (its milliseconds, 3 digits)."""

    at: float
    text: str
    stream: str = STDOUT
    timed: bool = False

    def render(self, wall: datetime) -> str:
        if not self.timed:
            return self.text
        return self.text.format(t=wall, ms=f"{wall.microsecond // 1000:03d}",
                                us=f"{wall.microsecond:06d}")

    def shifted(self, offset: float) -> "LogLine":
        return LogLine(self.at + offset, self.text, self.stream, self.timed)


@dataclass(frozen=True)
class FileWrite:
    """Text a process writes into a file (`echo … >> /var/log/app/raw.log`), appended or
    replacing it. Like a log line's, `text` may hold `date` markers (date_marks.py),
    which become the wall-clock time of the write when someone reads the file."""

    at: float
    path: str
    text: str
    append: bool = True

    def shifted(self, offset: float) -> "FileWrite":
        return FileWrite(self.at + offset, self.path, self.text, self.append)


@dataclass(frozen=True)
class Periodic:
    """Lines repeated every `interval` seconds from `first` on (a loop, an access log), and
    the file writes each iteration makes."""

    first: float
    interval: float
    lines: tuple[LogLine, ...]  # `at` is the offset inside one iteration
    writes: tuple[FileWrite, ...] = ()  # likewise

    def shifted(self, offset: float) -> "Periodic":
        return Periodic(self.first + offset, self.interval, self.lines, self.writes)


@dataclass(frozen=True)
class FileFeed:
    """The lines other containers of the pod append to a file this one can read (through a
    shared volume), in this container's time: offsets before 0 were written before it
    started. Texts are raw (date markers kept)."""

    lines: tuple[LogLine, ...] = ()
    periodic: Periodic | None = None


@dataclass(frozen=True)
class Stop:
    """How the process reacts to SIGTERM: it exits after `seconds` with `exit_code`, printing
    `lines` (offsets from the signal). `seconds=None`: it ignores SIGTERM (PID 1 without a
    handler, like `sleep`), so the kubelet kills it when the grace period ends (exit 137)."""

    seconds: float | None = 0.1
    exit_code: int = 0
    lines: tuple[LogLine, ...] = ()


IGNORES_SIGTERM = Stop(seconds=None)


@dataclass(frozen=True)
class RunPlan:
    """One container instance from start to end (or forever, when `exit_after` is None)."""

    lines: tuple[LogLine, ...] = ()
    exit_after: float | None = None
    exit_code: int = 0
    ports: tuple[int, ...] = ()
    periodic: Periodic | None = None
    stop: Stop = field(default_factory=Stop)
    start_error: str = ""  # the runtime could not start it at all (StartError, exit 128)
    writes: tuple[FileWrite, ...] = ()  # files it writes outside its loop (see `periodic`)

    @property
    def runs_forever(self) -> bool:
        return self.exit_after is None and not self.start_error

    def after(self, offset: float, prefix: tuple[LogLine, ...] = ()) -> "RunPlan":
        """This plan started `offset` seconds late, after the lines in `prefix`."""
        return RunPlan(
            lines=prefix + tuple(line.shifted(offset) for line in self.lines),
            exit_after=None if self.exit_after is None else self.exit_after + offset,
            exit_code=self.exit_code, ports=self.ports,
            periodic=self.periodic.shifted(offset) if self.periodic else None,
            stop=self.stop, start_error=self.start_error,
            writes=tuple(write.shifted(offset) for write in self.writes))


def start_error_plan(message: str) -> RunPlan:
    return RunPlan(exit_after=0.0, exit_code=128, start_error=message, stop=Stop(0.0))


def missing_executable(argv0: str) -> str:
    """runc's message when the command does not exist in the image."""
    if "/" in argv0:
        problem = f'exec: "{argv0}": stat {argv0}: no such file or directory'
    else:
        problem = f'exec: "{argv0}": executable file not found in $PATH'
    return ("failed to create containerd task: failed to create shim task: OCI runtime create "
            "failed: runc create failed: unable to start container process: error during "
            f"container init: {problem}: unknown")
