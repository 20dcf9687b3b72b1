"""Entry point of one simulated exec: `python -m kubetui.localcluster.shell`.

Usage: `--context FILE -- ARGV...`. When stdin is a terminal the process makes it its
controlling terminal, so the line discipline delivers Ctrl-C as SIGINT to it. Before running
anything it bounds its own memory and CPU time (bounds.py). The exit status is the simulated
command's; a broken terminal or pipe ends the session quietly.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import sys
import termios

from kubetui.localcluster.sandbox import bounds
from kubetui.localcluster.sandbox import programs as sandbox_programs
from kubetui.localcluster.sandbox.system import System
from kubetui.localcluster.shell import programs as shell_programs

REGISTERED = (sandbox_programs, shell_programs)  # importing them registers every program


def _reset_signals() -> None:
    """A parent started in the background may have left SIGINT ignored; a shell needs it."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for name in ("SIGQUIT", "SIGHUP", "SIGTERM", "SIGWINCH"):
        signal.signal(getattr(signal, name), signal.SIG_DFL)


def _take_terminal() -> None:
    if not os.isatty(0):
        return
    try:
        if os.getsid(0) != os.getpid():
            os.setsid()
    except OSError:
        pass
    try:
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    except OSError:
        pass


def main(argv: list[str]) -> int:
    if len(argv) < 4 or argv[0] != "--context" or argv[2] != "--":
        sys.stderr.write("usage: python -m kubetui.localcluster.shell "
                         "--context FILE -- ARGV...\n")
        return 2
    try:
        with open(argv[1], encoding="utf-8") as handle:
            context = json.load(handle)
    except (OSError, ValueError) as error:
        sys.stderr.write(f"sh: cannot read the exec context: {error}\n")
        return 2
    _reset_signals()
    _take_terminal()
    system = System(context)
    bounds.apply(context.get("limits"))
    try:
        return system.exec_argv(argv[3:]) & 0xFF
    except KeyboardInterrupt:
        return 130
    except bounds.CpuTimeExceeded:
        return bounds.CPU_STATUS
    except MemoryError:  # outside any program: the OOM killer still ends the process
        return bounds.KILLED_STATUS
    except OSError:
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
