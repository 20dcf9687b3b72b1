"""What a container's command does, decided when it starts: its RunPlan.

Key decisions: the command runs in the same sandbox, with the same programs and the same shell
interpreter as `kubectl exec` (so `sh -c SCRIPT` prints the same in both), on a System whose
host is a PlanHost (sandbox/plan_host.py): `sleep` moves a simulated clock, output becomes
timed log lines, file writes are recorded for the other containers of the pod, an endless
loop becomes a `Periodic` and a program that never returns (a server, an application binary,
`sleep infinity`) ends the plan with its own. The command runs as PID 1: without a `trap`,
a shell there ignores SIGTERM, so such pods wait out their grace period; with one, the plan's
`Stop` is what the trap's action does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from kubetui.localcluster.sandbox import programs as sandbox_programs
from kubetui.localcluster.sandbox.host import Blocked
from kubetui.localcluster.sandbox.plan_host import PlanHost
from kubetui.localcluster.sandbox.run_plan import IGNORES_SIGTERM, FileFeed, RunPlan, Stop
from kubetui.localcluster.sandbox.system import System
from kubetui.localcluster.shell import programs as shell_programs
from kubetui.localcluster.shell.control import ShellExit

REGISTERED = (sandbox_programs, shell_programs)  # importing them registers every program
PID_1 = 1


@dataclass(frozen=True)
class StartContext:
    """What the command can see of its container when it starts."""

    image: str
    env: Mapping[str, str]
    # (argv, whether the sandbox simulates it) -> the plan of a program only the runtime
    # knows (servers, application binaries), None for the sandbox's own
    runtime: Callable[[list[str], bool], RunPlan | None]
    provides: Callable[[str], bool]  # the image has this program though the sandbox lacks it
    hostname: str = "localhost"
    working_dir: str = "/"
    mounts: tuple[tuple[str, bool], ...] = ()  # (path, read-only) of the volume mounts
    feeds: Mapping[str, FileFeed] = field(default_factory=dict)  # files other containers write
    stdin: bool = False  # the container keeps stdin open (`stdin: true`): reads wait for good


def plan_command(argv: list[str], start: StartContext) -> RunPlan:
    """The plan of running `argv` as the container's PID 1."""
    host = PlanHost(start.runtime, start.provides, start.feeds)
    system = System(_context(start), io=host.io(waiting_stdin=start.stdin), host=host)
    host.attach(system)
    try:
        status = system.exec_argv(list(argv), pid=PID_1)
    except Blocked as blocked:
        host.flush()
        stop = blocked.tail.stop if blocked.tail is not None and blocked.exec_ else \
            _stop(system, host)
        tail = blocked.tail or RunPlan(periodic=blocked.periodic)
        return RunPlan(lines=tuple(host.lines) + tail.lines, ports=tuple(host.ports) + tail.ports,
                       periodic=tail.periodic, stop=stop,
                       writes=tuple(host.writes) + tail.writes)
    host.flush()
    return RunPlan(lines=tuple(host.lines), exit_after=host.t, exit_code=status & 0xFF,
                   ports=tuple(host.ports), stop=_stop(system, host), writes=tuple(host.writes))


def _stop(system: System, host: PlanHost) -> Stop:
    """What PID 1 does on SIGTERM: ignore it, or run its trap's action from that moment."""
    handler = system.signal_handlers.get((PID_1, "TERM"))
    if handler is None:
        return IGNORES_SIGTERM

    def run() -> int:
        try:
            return handler()
        except ShellExit as done:
            return done.status
    status, ended, lines = host.separately(run)
    if status is None:  # the action waits for good: the kubelet kills it after the grace
        return Stop(None, 0, lines)
    return Stop(ended, status, lines)


def _context(start: StartContext) -> dict:
    """The sandbox context of a container that has just started: its image's files, its
    environment, its working directory and where its volumes are mounted (empty)."""
    env = dict(start.env)
    env.setdefault("HOSTNAME", start.hostname)
    env.setdefault("HOME", "/root")
    return {
        "image": start.image,
        "hostname": start.hostname,
        "env": [[name, value] for name, value in env.items()],
        "working_dir": start.working_dir,
        "files": {"/etc/hostname": start.hostname + "\n"},
        "mounts": [{"path": path, "read_only": read_only, "files": {}}
                   for path, read_only in start.mounts],
        "exec_pid": PID_1 + 1,
    }
