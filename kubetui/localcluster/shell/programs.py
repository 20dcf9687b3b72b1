"""The shells as programs: /bin/bash, /bin/dash (Debian's /bin/sh) and busybox sh/ash.

`-c STRING [NAME [ARGS…]]` runs a command string; a file argument runs a script from the
in-memory filesystem; otherwise the shell reads its standard input, interactively (with a
prompt) when that is a terminal, as a script when it is a pipe. Importing this module
registers them with the sandbox, next to the sandbox's own programs.
"""

from __future__ import annotations

from kubetui.localcluster.sandbox.system import Invocation, program
from kubetui.localcluster.sandbox.vfs import FsError
from kubetui.localcluster.shell.control import ShellExit
from kubetui.localcluster.shell.interp import Shell
from kubetui.localcluster.shell.messages import bash_version
from kubetui.localcluster.shell.session import interact, run_stream


def run_shell(inv: Invocation, kind: str) -> int:
    args = list(inv.argv[1:])
    command: str | None = None
    force_interactive = False
    options = {"e": False, "x": False}
    while args and args[0].startswith(("-", "+")) and args[0] not in ("-", "--"):
        arg = args.pop(0)
        if arg == "--version" and kind == "bash":
            inv.out(f"GNU bash, version {bash_version(inv.system.image)} (x86_64-pc-linux-gnu)\n"
                    "Copyright (C) 2019 Free Software Foundation, Inc.\n")
            return 0
        if arg.startswith("--"):
            continue  # --login, --norc, --noprofile, --posix …
        if arg in ("-o", "+o") and args:
            args.pop(0)
            continue
        for flag in arg[1:]:
            if flag == "c":
                if not args:
                    inv.err(f"{inv.argv[0]}: -c: option requires an argument\n")
                    return 2
                command = args.pop(0)
            elif flag == "i":
                force_interactive = True
            elif flag in options:
                options[flag] = arg[0] == "-"
    if args and args[0] == "--":
        args.pop(0)
    argv0 = inv.argv[0]
    if command is not None:
        name, positional = (args[0], args[1:]) if args else (argv0, [])
        shell = Shell(inv.system, kind, name, positional, inv.env, inv.cwd, inv.pid)
        shell.options.update(options)
        try:
            return shell.run_source(command, inv.io, exec_last=True)
        except ShellExit as done:
            return done.status
    if args:
        script = args[0]
        try:
            text = inv.fs.read(script, inv.cwd).decode("utf-8", "replace")
        except FsError as error:
            if kind == "dash":
                inv.err(f"{argv0}: 0: Can't open {script}\n")
            else:
                inv.err(f"{argv0}: {script}: {error.reason}\n")
            return 127 if kind == "bash" else 2
        shell = Shell(inv.system, kind, script, args[1:], inv.env, inv.cwd, inv.pid)
        shell.options.update(options)
        try:
            return shell.run_source(text, inv.io)
        except ShellExit as done:
            return done.status
    interactive = force_interactive or (inv.io.stdin.isatty() and inv.io.stderr.isatty())
    shell = Shell(inv.system, kind, argv0, [], inv.env, inv.cwd, inv.pid, interactive)
    shell.options.update(options)
    if interactive:
        return interact(shell, inv.io)
    return run_stream(shell, inv.io)


@program("bash")
def bash(inv: Invocation) -> int:
    return run_shell(inv, "bash")


@program("dash")
def dash(inv: Invocation) -> int:
    return run_shell(inv, "ash" if inv.busybox else "dash")
