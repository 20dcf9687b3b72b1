"""What a simulated process meets outside the sandbox: time, and what the runtime runs.

Key decision: one interpreter and one set of programs serve two worlds, told apart only by
the `Host` their System has. In an exec session (`RealHost`) `sleep` really waits, `date`
reads the clock, loops just loop and `&` runs its job at once. When the kubelet decides a
container's whole run in advance (plan_host.py), `sleep` moves a simulated clock, `date`
prints a marker that becomes the time its line is printed, loops are watched so an endless
one becomes a repeating pattern, and a program that never returns stops the run (`Blocked`).
"""

from __future__ import annotations

import math
import time
from typing import Callable, Protocol

from kubetui.localcluster.sandbox.run_plan import Periodic, RunPlan
from kubetui.localcluster.sandbox.streams import IO, InStream

class Blocked(BaseException):
    """The run goes no further: it waits for good in a program or repeats a loop forever.

    `periodic`: what it repeats from now on; `tail`: the plan of the program it waits in
    (a server, `sleep infinity`), starting now; `exec_`: that program replaced PID 1, so it,
    not the shell, answers SIGTERM. A BaseException, so no program's `except Exception`
    takes it for a failure of its own."""

    def __init__(self, periodic: Periodic | None = None, tail: RunPlan | None = None,
                 exec_: bool = False) -> None:
        super().__init__("blocked")
        self.periodic, self.tail, self.exec_ = periodic, tail, exec_


class Host(Protocol):
    def sleep(self, seconds: float, pid: int) -> None:
        """Wait `seconds` (math.inf: for good)."""

    def date(self, fmt: str) -> str:
        """What `date +fmt` prints now."""

    def loop_pass(self, loop: object, iteration: int, endless: bool,
                  state: Callable[[], object]) -> None:
        """A `while`/`until` loop starts pass `iteration`; `endless` when its condition can
        never change, `state()` what the shell would carry into the pass."""

    def background(self, job: Callable[[], int]) -> None:
        """Run `job`, started with `&`."""

    def provides(self, name: str) -> bool:
        """Whether the image has `name` though the sandbox does not simulate it."""

    def runtime_program(self, argv: list[str], pid: int, io: IO, simulated: bool) -> int | None:
        """Run `argv` as the runtime would where it differs from the simulated program (a
        server, an application binary; `simulated`: the sandbox has a program of that
        name): its status, or None to run the simulated program."""

    def follow(self, path: str, lines: int, from_start: bool) -> InStream | None:
        """What `tail -f path` reads as other containers append to it, None if nobody does."""


class RealHost:
    """An exec session: the real clock, and nothing the runtime adds."""

    def sleep(self, seconds: float, pid: int) -> None:
        while math.isinf(seconds):  # `sleep infinity`: until Ctrl-C
            time.sleep(3600)
        time.sleep(seconds)  # the simulated sleep really waits; Ctrl-C (SIGINT) interrupts it

    def date(self, fmt: str) -> str:
        fmt = fmt.replace("%N", f"{int((time.time() % 1) * 1e9):09d}")
        return time.strftime(fmt, time.gmtime())

    def loop_pass(self, loop: object, iteration: int, endless: bool,
                  state: Callable[[], object]) -> None:
        return None

    def background(self, job: Callable[[], int]) -> None:
        job()  # no concurrency to show: the job runs to its end first

    def provides(self, name: str) -> bool:
        return False

    def runtime_program(self, argv: list[str], pid: int, io: IO, simulated: bool) -> int | None:
        return None

    def follow(self, path: str, lines: int, from_start: bool) -> InStream | None:
        return None
