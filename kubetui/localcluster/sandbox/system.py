"""The simulated container as one process sees it: files, processes, programs, terminal.

One `System` exists per exec (and per planned container run, see host.py). It owns the
in-memory root filesystem, the table of simulated processes (the container's own from the
context, plus the exec'd program and whatever it runs, each with a fresh PID), the packages
installed during the session, the stdio and the `Host` (time, the runtime's programs).
`run_program` is the single place where a program starts, so PIDs, the process table,
"never a traceback" and a program killed for outgrowing the memory limit are handled once.
Programs register themselves with `@program` when their module is imported; whoever builds a
System imports the ones it needs (the sandbox's, and the shell's own), so this module imports
none of them.
"""

from __future__ import annotations

import posixpath
import random
import time
from dataclasses import dataclass, field
from typing import Callable

from kubetui.localcluster.images.catalogue import ImageInfo, lookup_image
from kubetui.localcluster.sandbox.bounds import KILLED_STATUS, KILLED_TEXT
from kubetui.localcluster.sandbox.host import Host, RealHost
from kubetui.localcluster.sandbox.layers import Layers
from kubetui.localcluster.sandbox.rootfs import BUSYBOX_APPLETS, build_rootfs, visible_containers
from kubetui.localcluster.sandbox.streams import IO, FdIn, FdOut
from kubetui.localcluster.sandbox.vfs import FILE, FsError, Node

ProgramFunc = Callable[["Invocation"], int]


class UsageError(Exception):
    """A program rejected its options; the message is already printed."""

    def __init__(self, status: int = 1):
        super().__init__(status)
        self.status = status

PROGRAMS: dict[str, ProgramFunc] = {}


def program(*names: str) -> Callable[[ProgramFunc], ProgramFunc]:
    """Register a simulated program under one or more executable names."""
    def register(func: ProgramFunc) -> ProgramFunc:
        for name in names:
            PROGRAMS[name] = func
        return func
    return register


@dataclass
class Process:
    pid: int
    ppid: int
    command: str
    tty: str
    started: float
    user: str = "root"
    stat: str = "S"


@dataclass
class Invocation:
    """What a simulated program receives: argv, environment, streams, cwd."""

    system: "System"
    argv: list[str]
    env: dict[str, str]
    io: IO
    cwd: str
    pid: int
    busybox: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return posixpath.basename(self.argv[0]) if self.argv else ""

    @property
    def fs(self):
        return self.system.fs

    def out(self, text: str) -> None:
        self.io.stdout.write(text)

    def err(self, text: str) -> None:
        self.io.stderr.write(text)

    def fail(self, message: str, status: int = 1) -> int:
        self.err(f"{self.name}: {message}\n")
        return status


class System:
    def __init__(self, context: dict, io: IO | None = None, host: Host | None = None):
        """`io`: the process's stdio (the real fds 0, 1, 2 unless given)."""
        self.context = context
        self.image: ImageInfo = lookup_image(context.get("image", ""))
        self.fs = build_rootfs(context)
        self.layers = Layers(self.fs, context)  # what earlier sessions changed, and saving
        self.layers.load()
        io = io or IO(FdIn(0), FdOut(1), FdOut(2))
        self.stdin, self.stdout, self.stderr = io.stdin, io.stdout, io.stderr
        self.host: Host = host or RealHost()
        self.signal_handlers: dict[tuple[int, str], Callable[[], int]] = {}
        self.pipe_capacity: int | None = None  # characters a pipe holds (None: no bound)
        self.tty = self.stdin.isatty() or self.stdout.isatty()
        self.tty_name = "pts/0" if self.tty else "?"
        self.base_env = {k: v for k, v in context.get("env", [])}
        if self.tty:
            self.base_env.setdefault("TERM", "xterm")  # the runtime sets it for tty execs
        self.hostname = context.get("hostname", "localhost")
        self.started = time.time()
        self.history: list[str] = []
        self.running: list[Process] = []
        self._next_pid = int(context.get("exec_pid", 7))
        self.death_notice = ""
        self.random = random.Random()

    # ---- processes ----------------------------------------------------------------------
    def alloc_pid(self) -> int:
        pid = self._next_pid
        self._next_pid += 1
        return pid

    def burn_pids(self, count: int) -> None:
        """Programs that fork a lot (apt, dpkg) leave a gap in the PID sequence."""
        self._next_pid += count

    def container_processes(self) -> list[dict]:
        shared = self.context.get("share_process_namespace")
        visible = visible_containers(self.context)
        return [p for p in self.context.get("processes", []) if shared or p["container"] in visible]

    def register(self, process: Process) -> None:
        self.running.append(process)

    def unregister(self, pid: int) -> None:
        self.running = [p for p in self.running if p.pid != pid]

    def parent_pid(self) -> int:
        return self.running[-1].pid if self.running else 0

    def parent_of(self, pid: int) -> int:
        return next((p.ppid for p in self.running if p.pid == pid), 0)

    # ---- programs -----------------------------------------------------------------------
    def io(self) -> IO:
        return IO(self.stdin, self.stdout, self.stderr)

    def find_program(self, name: str, path: str, cwd: str) -> tuple[str, Node] | None:
        """Resolve a command name through PATH like execvp (only executable files count).
        A program the image has but the sandbox does not simulate (an application binary
        in a planned run) resolves to an executable that runs no simulated program."""
        if "/" in name:
            try:
                return name, self.fs.lookup(name, cwd)
            except FsError:
                return self._runtime_binary(name)
        for directory in (path or "").split(":"):
            candidate = posixpath.join(directory or ".", name)
            try:
                node = self.fs.lookup(candidate, cwd)
            except FsError:
                continue
            if node.is_executable:
                return candidate, node
        return self._runtime_binary(name)

    def _runtime_binary(self, name: str) -> tuple[str, Node] | None:
        if not self.host.provides(name):
            return None
        path = name if "/" in name else f"/usr/local/bin/{name}"
        return path, Node(FILE, 0o755, self.started)

    def on_signal(self, pid: int, signal: str, handler: Callable[[], int] | None) -> None:
        """What process `pid` runs when `signal` (TERM, INT …) reaches it; None: the default."""
        if handler is None:
            self.signal_handlers.pop((pid, signal), None)
        else:
            self.signal_handlers[(pid, signal)] = handler

    def run_program(self, node: Node, argv: list[str], env: dict[str, str], io: IO, cwd: str,
                    pid: int | None = None) -> int:
        pid = self.alloc_pid() if pid is None else pid
        outside = self.host.runtime_program(argv, pid, io, simulated=bool(node.program))
        if outside is not None:
            return outside
        name, busybox = node.program, False
        if name == "busybox":
            busybox, applet = True, posixpath.basename(argv[0])
            if applet == "busybox":
                if len(argv) < 2:
                    io.stdout.write("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call "
                                    "binary.\n\nUsage: busybox [function [arguments]...]\n")
                    return 0
                argv, applet = argv[1:], argv[1]
            if applet not in BUSYBOX_APPLETS:
                io.stderr.write(f"{applet}: applet not found\n")
                return 127
            name = "dash" if applet in ("sh", "ash") else applet
        func = PROGRAMS.get(name)
        if func is None:
            io.stderr.write(f"{argv[0]}: cannot execute binary file: Exec format error\n")
            return 126
        self.unregister(pid)
        self.register(Process(pid, self.parent_pid(), " ".join(argv), self.tty_name,
                              time.time()))
        inv = Invocation(self, argv, env, io, cwd, pid, busybox)
        try:
            return func(inv)
        except (KeyboardInterrupt, SystemExit):
            raise
        except MemoryError:
            pass  # handled below, once this frame no longer holds what the program allocated
        except UsageError as error:
            return error.status
        except OSError as error:  # a broken pipe/pty: the reader is gone
            if error.errno in (5, 32):
                return 141 if error.errno == 32 else 1
            io.stderr.write(f"{inv.name}: {error.strerror or error}\n")
            return 1
        except Exception as error:  # never a traceback on the user's terminal
            io.stderr.write(f"{inv.name}: internal error in the simulated program: {error}\n")
            return 1
        finally:
            self.unregister(pid)
        # Past the memory limit: the OOM killer ends the process that outgrew it, and the
        # shell that started it reports the signal (see bounds.py).
        self.death_notice = KILLED_TEXT
        return KILLED_STATUS

    def take_death_notice(self) -> str:
        """What a shell says about the program it just ran dying of a signal ("" if none)."""
        notice, self.death_notice = self.death_notice, ""
        return notice

    def exec_argv(self, argv: list[str], pid: int | None = None) -> int:
        """Run the exec's command as the runtime would: no shell, PATH lookup only."""
        cwd = self.context.get("working_dir") or "/"
        found = self.find_program(argv[0], self.base_env.get("PATH", ""), cwd)
        if found is None or not found[1].is_executable:
            self.stderr.write(f'exec: "{argv[0]}": executable file not found in $PATH\n')
            return 127
        pid = self.alloc_pid() if pid is None else pid
        try:
            return self.run_program(found[1], list(argv), dict(self.base_env), self.io(), cwd,
                                    pid=pid)
        finally:
            self.layers.sync()  # what the command changed stays in the container


def terminal_columns(inv: Invocation, default: int = 80) -> int:
    """The width a program formats for: the terminal's, else $COLUMNS, else 80."""
    columns = inv.io.stdout.columns()
    if columns:
        return columns
    value = inv.env.get("COLUMNS", "")
    return int(value) if value.isdigit() and int(value) > 0 else default
