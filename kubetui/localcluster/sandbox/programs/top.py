"""top: a full-screen program, to exercise the terminal like the real one does.

It switches to the alternate screen, hides the cursor, draws a procps-style summary and a
process table fitted to the terminal size, redraws every second and at once on SIGWINCH
(the pty's resize), and leaves on `q` or Ctrl-C restoring the screen. Keys are read with
the terminal in non-canonical mode; the previous mode is always restored. `-b` (batch)
prints plain frames instead, which is what it must do when stdout is not a terminal.
"""

from __future__ import annotations

import os
import select
import signal
import termios
import time

from kubetui.localcluster.sandbox.programs.procs import MEM_TOTAL_KB, memory_kb, process_rows, uptime_line
from kubetui.localcluster.sandbox.streams import window_size
from kubetui.localcluster.sandbox.system import Invocation, program

ENTER, LEAVE = "\x1b[?1049h\x1b[?25l", "\x1b[?25h\x1b[?1049l"


class _Resized(Exception):
    pass


def _inverse(text: str, cols: int) -> str:
    return "\x1b[7m" + text.ljust(cols)[:cols] + "\x1b[m"


def _frame(inv: Invocation, rows: int, cols: int) -> list[str]:
    processes = process_rows(inv)
    running = sum(1 for p in processes if p.stat.startswith("R"))
    if inv.busybox:
        used = MEM_TOTAL_KB - memory_kb()["free"]
        lines = [f"Mem: {used}K used, {memory_kb()['free']}K free, 1644K shrd, 212632K buff, "
                 "3004580K cached",
                 "CPU:   0% usr   0% sys   0% nic 100% idle   0% io   0% irq   0% sirq",
                 f"Load average: 0.08 0.12 0.10 {running}/211 {processes[-1].pid}",
                 _inverse("  PID  PPID USER     STAT   VSZ %VSZ CPU %CPU COMMAND", cols)]
        lines += [f"{p.pid:>5} {p.ppid:>5} {p.user:<8} {p.stat[:1]:<4} {p.vsz:>5}   0%   0   0% "
                  f"{p.command}" for p in processes]
    else:
        mem = {k: v / 1024 for k, v in memory_kb().items()}
        lines = [
            "top - " + uptime_line(time.time()).strip(),
            f"Tasks: {len(processes):>3} total, {running:>3} running, "
            f"{len(processes) - running:>3} sleeping,   0 stopped,   0 zombie",
            "%Cpu(s):  0.3 us,  0.2 sy,  0.0 ni, 99.5 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st",
            f"MiB Mem : {mem['total']:>8.1f} total, {mem['free']:>8.1f} free, "
            f"{mem['used']:>8.1f} used, {mem['cache']:>8.1f} buff/cache",
            f"MiB Swap: {0.0:>8.1f} total, {0.0:>8.1f} free, {0.0:>8.1f} used. "
            f"{mem['available']:>8.1f} avail Mem ",
            "",
            _inverse("    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ "
                     "COMMAND", cols),
        ]
        lines += [f"{p.pid:>7} {p.user[:8]:<8}  20   0 {p.vsz:>7} {p.rss:>6} {p.rss * 4 // 5:>6} "
                  f"{p.stat[:1]} {0.0:>5.1f} {p.rss * 100 / MEM_TOTAL_KB:>5.1f}   0:00.01 "
                  f"{p.comm}" for p in processes]
    return [line if "\x1b[7m" in line else line[:cols] for line in lines[:max(rows, 1)]]


def _batch(inv: Invocation, iterations: int) -> int:
    for index in range(iterations):
        if index:
            inv.system.host.sleep(1, inv.pid)
            inv.out("\n")
        inv.out("".join(line.replace("\x1b[7m", "").replace("\x1b[m", "").rstrip() + "\n"
                        for line in _frame(inv, 10_000, 10_000)))
    return 0


@program("top")
def top(inv: Invocation) -> int:
    args = inv.argv[1:]
    iterations = 1
    if "-n" in args and args.index("-n") + 1 < len(args) and args[args.index("-n") + 1].isdigit():
        iterations = int(args[args.index("-n") + 1])
    if "-b" in args:
        return _batch(inv, iterations)
    fd, out_fd = inv.io.stdin.fd, inv.io.stdout.fd
    if fd is None or out_fd is None or not os.isatty(fd) or not os.isatty(out_fd):
        return inv.fail("failed tty get")
    if not inv.env.get("TERM"):
        inv.err("TERM environment variable not set.\n")
        return 1
    saved = termios.tcgetattr(fd)
    raw = termios.tcgetattr(fd)
    raw[3] &= ~(termios.ICANON | termios.ECHO)
    raw[6][termios.VMIN], raw[6][termios.VTIME] = 1, 0

    def on_resize(signum, frame):
        raise _Resized()
    previous = signal.signal(signal.SIGWINCH, on_resize)
    termios.tcsetattr(fd, termios.TCSANOW, raw)
    inv.out(ENTER)
    try:
        while True:
            try:
                rows, cols = window_size(out_fd) or (24, 80)
                lines = _frame(inv, rows, cols)
                inv.out("\x1b[H" + "\x1b[K\n".join(lines) + "\x1b[K\x1b[J")
                ready, _, _ = select.select([fd], [], [], 1.0)
                if ready and os.read(fd, 64)[:1] in (b"q", b"Q"):
                    return 0
            except _Resized:
                continue
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGWINCH, previous)
        termios.tcsetattr(fd, termios.TCSANOW, saved)
        inv.out(LEAVE)
