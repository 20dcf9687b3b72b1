"""ps, kill, free and uptime over the simulated process table.

A container only sees its own processes (its PID namespace): the image's main process as
PID 1 (or the pod's /pause with shareProcessNamespace), then the exec'd program and what it
runs. Columns and widths follow procps-ng (`ps aux`, `ps -ef`) and busybox ps.
"""

from __future__ import annotations

import posixpath
import time
from dataclasses import dataclass

from kubetui.localcluster.sandbox.system import Invocation, program, terminal_columns

MEM_TOTAL_KB = 8152576
_SIZES = {"bash": (3868, 3240), "dash": (2388, 700), "sh": (2388, 700), "ps": (7640, 2704),
          "top": (7048, 3196), "sleep": (2420, 744)}


@dataclass
class Row:
    pid: int
    ppid: int
    user: str
    command: str
    tty: str
    stat: str
    started: float
    vsz: int
    rss: int

    @property
    def comm(self) -> str:
        first = self.command.split(" ")[0]
        if first.endswith(":"):  # a rewritten title such as "nginx: master process …"
            return first[:-1]
        return posixpath.basename(first)[:15]


def process_rows(inv: Invocation) -> list[Row]:
    system = inv.system
    rows = [Row(p["pid"], p["ppid"], p["user"], p["command"], "?", p["stat"], p["started"],
                p["vsz"], p["rss"]) for p in system.container_processes()]
    first = int(system.context.get("exec_pid", 0))
    for process in system.running:
        name = posixpath.basename(process.command.split(" ")[0])
        vsz, rss = _SIZES.get(name, (2300, 740))
        mine = process.pid == inv.pid
        stat = ("R" if mine else "S") + ("s" if process.pid == first else "") + (
            "+" if system.tty and (mine or process.pid != first) else "")
        rows.append(Row(process.pid, process.ppid, process.user, process.command, process.tty,
                        stat, process.started, vsz, rss))
    return sorted(rows, key=lambda row: row.pid)


def _start(started: float, now: float) -> str:
    if now - started < 24 * 3600:
        return time.strftime("%H:%M", time.gmtime(started))
    return time.strftime("%b%d", time.gmtime(started))


def _cut(inv: Invocation, lines: list[str]) -> str:
    if inv.io.stdout.isatty():
        width = terminal_columns(inv)
        lines = [line[:width] for line in lines]
    return "".join(line + "\n" for line in lines)


@program("ps")
def ps(inv: Invocation) -> int:
    rows, now = process_rows(inv), time.time()
    args = "".join(inv.argv[1:]).lstrip("-")
    if inv.busybox:
        lines = ["PID   USER     TIME  COMMAND"] + [
            f"{r.pid:>5} {r.user:<8} {'0:00':>5} {r.command}" for r in rows]
        inv.out(_cut(inv, lines))
        return 0
    if "u" in args:
        lines = ["USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND"]
        for r in rows:
            mem = r.rss * 100 / MEM_TOTAL_KB
            user = r.user if len(r.user) <= 8 else r.user[:7] + "+"
            lines.append(f"{user:<8} {r.pid:>5} {0.0:>4.1f} {mem:>4.1f} {r.vsz:>6} {r.rss:>5} "
                         f"{r.tty:<8} {r.stat:<4} {_start(r.started, now):>5} {'0:00':>6} "
                         f"{r.command}")
        inv.out(_cut(inv, lines))
        return 0
    if "f" in args or "e" in args or "A" in args:
        if "f" in args:
            lines = ["UID        PID  PPID  C STIME TTY          TIME CMD"] + [
                f"{r.user:<8} {r.pid:>5} {r.ppid:>5} {0:>2} {_start(r.started, now):<5} "
                f"{r.tty:<8} {'00:00:00':>8} {r.command}" for r in rows]
        else:
            lines = ["  PID TTY          TIME CMD"] + [
                f"{r.pid:>5} {r.tty:<8} {'00:00:00':>8} {r.comm}" for r in rows]
        inv.out(_cut(inv, lines))
        return 0
    mine = [r for r in rows if r.tty != "?" or r.pid >= int(inv.system.context.get(
        "exec_pid", 0))]
    lines = ["  PID TTY          TIME CMD"] + [
        f"{r.pid:>5} {r.tty:<8} {'00:00:00':>8} {r.comm}" for r in mine]
    inv.out(_cut(inv, lines))
    return 0


_SIGNALS = ["HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
            "USR2", "PIPE", "ALRM", "TERM"]


@program("kill")
def kill(inv: Invocation) -> int:
    args = inv.argv[1:]
    if args and args[0] == "-l":
        inv.out(" ".join(f"{n + 1:2d}) SIG{name}" for n, name in enumerate(_SIGNALS)) + "\n")
        return 0
    targets = [a for a in args if not a.startswith("-")]
    if not targets:
        return inv.fail("usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or "
                        "kill -l [sigspec]", 2)
    known = {r.pid for r in process_rows(inv)}
    status = 0
    for target in targets:
        if not target.isdigit():
            inv.err(f"{inv.name}: {target}: arguments must be process or job IDs\n")
            status = 1
        elif int(target) in known:
            # The simulation cannot stop the container's programs (the kubelet owns them).
            inv.err(f"{inv.name}: ({target}) - Operation not permitted\n")
            status = 1
        else:
            inv.err(f"{inv.name}: ({target}) - No such process\n")
            status = 1
    return status


def memory_kb() -> dict[str, int]:
    return {"total": MEM_TOTAL_KB, "used": 1538356, "free": 3195288, "shared": 1644,
            "cache": 3418932, "available": 6299748}


@program("free")
def free(inv: Invocation) -> int:
    args = "".join(inv.argv[1:])
    mem = memory_kb()
    divisor, human = 1, "h" in args
    if "m" in args:
        divisor = 1024
    elif "g" in args:
        divisor = 1024 * 1024

    def show(kb: int) -> str:
        if human:
            return f"{kb / 1024 / 1024:.1f}Gi" if kb >= 1024 * 1024 else f"{kb / 1024:.0f}Mi"
        return str(kb // divisor)
    keys = ("total", "used", "free", "shared", "cache", "available")
    inv.out("               total        used        free      shared  buff/cache   available\n"
            "Mem:   " + "".join(f"{show(mem[k]):>12}" for k in keys) + "\n"
            "Swap:  " + "".join(f"{show(0):>12}" for _ in range(3)) + "\n")
    return 0


def uptime_line(now: float) -> str:
    up = 183240
    days, rest = divmod(up, 86400)
    hours, minutes = rest // 3600, rest % 3600 // 60
    clock = time.strftime("%H:%M:%S", time.gmtime(now))
    return (f" {clock} up {days} days, {hours:2d}:{minutes:02d},  0 users,  "
            "load average: 0.08, 0.12, 0.10")


@program("uptime")
def uptime(inv: Invocation) -> int:
    inv.out(uptime_line(time.time()) + "\n")
    return 0
