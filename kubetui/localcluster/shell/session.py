"""A shell reading its commands: interactively at a prompt, or from a pipe or a file.

Key decisions: a command is read line by line until it parses (`> ` continues it at a
prompt); Ctrl-C (SIGINT, as KeyboardInterrupt) abandons the line or the command, and so does
spending the CPU budget each interactive command gets (bounds.py). An interactive session
syncs the container's layers around every command, so two shells see each other's files.
"""

from __future__ import annotations

from kubetui.localcluster.sandbox import bounds
from kubetui.localcluster.sandbox.streams import IO
from kubetui.localcluster.shell import messages
from kubetui.localcluster.shell.control import LoopControl, ShellExit
from kubetui.localcluster.shell.interp import Shell
from kubetui.localcluster.shell.syntax import Incomplete, ShellSyntaxError, parse


def read_command(shell: Shell, io: IO, interactive: bool) -> str | None:
    """Read lines until they parse; None at end of input."""
    source = ""
    while True:
        line = io.stdin.readline()
        if not line:
            if source:
                return source  # let run_source report the unexpected end of file
            return None
        shell.lineno += 1
        source += line
        try:
            parse(source)
            return source
        except Incomplete:
            if interactive:
                io.stderr.write(shell.vars.get("PS2", "> "))
        except ShellSyntaxError:
            return source


def interact(shell: Shell, io: IO) -> int:
    """The interactive loop: prompt, read, run. SIGINT may land anywhere (even while the
    prompt is being written), so the whole round is protected, not just the read."""
    while True:
        bounds.new_command()
        try:
            finished = _interactive_round(shell, io)
        except bounds.CpuTimeExceeded:
            shell.status = bounds.CPU_STATUS  # the command is stopped, the shell goes on
            io.stderr.write(bounds.CPU_TEXT + "\n")
            continue
        except KeyboardInterrupt:
            _discard(io)
            shell.status = 130
            try:
                io.stderr.write("\n")
            except KeyboardInterrupt:
                pass
            continue
        if finished is not None:
            return finished


def _interactive_round(shell: Shell, io: IO) -> int | None:
    """One prompt and command; the shell's exit status when it should end."""
    io.stderr.write(messages.prompt(shell))
    source = read_command(shell, io, interactive=True)
    if source is None:
        if shell.kind == "bash":
            io.stderr.write("exit\n")
        return shell.status
    if source.strip():
        shell.system.history.append(source.rstrip("\n"))
    shell.system.layers.sync()  # what other sessions saved meanwhile
    try:
        shell.status = shell.run_source(source, io)
    except LoopControl:
        shell.status = 0
    except ShellExit as done:
        if shell.kind == "bash":
            io.stderr.write("exit\n")
        return done.status
    finally:
        shell.system.layers.sync()  # what this command changed, for the others
    return None


def run_stream(shell: Shell, io: IO) -> int:
    """Non-interactive: commands come from a pipe or a file, no prompts."""
    while True:
        source = read_command(shell, io, interactive=False)
        if source is None:
            return shell.status
        try:
            parse(source)
        except (Incomplete, ShellSyntaxError):
            return shell.run_source(source, io)
        try:
            shell.status = shell.run_source(source, io)
        except ShellExit as done:
            return done.status


def _discard(io: IO) -> None:
    discard = getattr(io.stdin, "discard", None)
    if discard:
        discard()
