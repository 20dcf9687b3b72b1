"""Shell builtins: the commands that change the shell itself (cd, export, exit, …).

Each takes (shell, argv, io) and returns a status. Which builtins exist depends on the
flavour (dash has no `source` or `history`), and messages follow the flavour.
"""

from __future__ import annotations

from typing import Callable

from kubetui.localcluster.sandbox import textfmt
from kubetui.localcluster.sandbox.programs.procs import kill
from kubetui.localcluster.sandbox.streams import IO, BufferOut
from kubetui.localcluster.sandbox.system import Invocation
from kubetui.localcluster.sandbox.vfs import FsError
from kubetui.localcluster.shell.control import LoopControl, ShellExit
from kubetui.localcluster.shell.ifs import ifs_of, read_fields
from kubetui.localcluster.shell.state import Builtin, ShellState
from kubetui.localcluster.shell.syntax import is_name
_BUILTINS: dict[str, Builtin] = {}
_BASH_ONLY = {"source", "history", "help"}
SPECIAL = {"export", "unset", "set", "exit", ".", "eval", "exec", "readonly", "shift", ":",
           "break", "continue", "trap"}


def lookup(kind: str, name: str) -> Builtin | None:
    if name in _BASH_ONLY and kind == "dash":
        return None
    if name == "history" and kind != "bash":
        return None
    return _BUILTINS.get(name)


def builtin(*names: str) -> Callable[[Builtin], Builtin]:
    def register(func: Builtin) -> Builtin:
        for name in names:
            _BUILTINS[name] = func
        return func
    return register


def _fail(shell: ShellState, io: IO, name: str, message: str, status: int = 1) -> int:
    shell.error(io, f"{name}: {message}")
    return status


@builtin(":", "true")
def _true(shell, argv, io):
    return 0


@builtin("false")
def _false(shell, argv, io):
    return 1


@builtin("echo")
def _echo(shell, argv, io):
    io.stdout.write(textfmt.echo(argv[1:], "dash" if shell.kind == "dash" else "bash"))
    return 0


@builtin("printf")
def _printf(shell, argv, io):
    if len(argv) < 2:
        return _fail(shell, io, "printf", "usage: printf [-v var] format [arguments]", 2)
    problems = []
    io.stdout.write(textfmt.printf(argv[1], argv[2:], problems.append))
    for problem in problems:
        shell.error(io, f"printf: {problem}")
    return 1 if problems else 0


@builtin("pwd")
def _pwd(shell, argv, io):
    physical = "-P" in argv[1:]
    io.stdout.write((shell.system.fs.realpath(shell.cwd) if physical else shell.cwd) + "\n")
    return 0


@builtin("cd")
def _cd(shell, argv, io):
    args = [a for a in argv[1:] if a not in ("-L", "-P")]
    target = args[0] if args else shell.vars.get("HOME", "/")
    if target == "-":
        target = shell.vars.get("OLDPWD", shell.cwd)
        io.stdout.write(target + "\n")
    fs = shell.system.fs
    new_cwd = fs.absolute(target, shell.cwd)
    try:
        node = fs.lookup(new_cwd)
        reason = None if node.is_dir else "Not a directory"
    except FsError as error:
        reason = error.reason
    if reason:
        if shell.kind == "bash":
            return _fail(shell, io, "cd", f"{target}: {reason}")
        if shell.kind == "dash":
            return _fail(shell, io, "cd", f"can't cd to {target}", 2)
        return _fail(shell, io, "cd", f"can't cd to {target}: {reason}", 2)
    shell.set("OLDPWD", shell.cwd, export=True)
    shell.cwd = new_cwd
    shell.set("PWD", new_cwd, export=True)
    return 0


@builtin("export", "readonly")
def _export(shell, argv, io):
    names = [a for a in argv[1:] if not a.startswith("-")]
    if not names:
        for name in sorted(shell.exported):
            if name in shell.vars:
                value = shell.vars[name].replace('"', '\\"')
                prefix = "declare -x " if shell.kind == "bash" else "export "
                io.stdout.write(f'{prefix}{name}="{value}"\n' if shell.kind == "bash"
                                else f"{prefix}{name}='{shell.vars[name]}'\n")
        return 0
    status = 0
    for item in names:
        name, has_value, value = item.partition("=")
        if not is_name(name):
            status = _fail(shell, io, argv[0], f"`{item}': not a valid identifier"
                           if shell.kind == "bash" else f"{name}: bad variable name")
            continue
        if has_value:
            shell.vars[name] = value
        if argv[0] == "export":
            shell.exported.add(name)
    return status


@builtin("unset")
def _unset(shell, argv, io):
    for name in argv[1:]:
        if name in ("-v", "-f"):
            continue
        shell.vars.pop(name, None)
        shell.exported.discard(name)
    return 0


@builtin("exit")
def _exit(shell, argv, io):
    if len(argv) > 1:
        if not argv[1].lstrip("-").isdigit():
            shell.error(io, f"exit: {argv[1]}: numeric argument required" if shell.kind == "bash"
                        else f"exit: Illegal number: {argv[1]}")
            raise ShellExit(2)
        raise ShellExit(int(argv[1]))
    raise ShellExit(shell.status)


@builtin("set")
def _set(shell, argv, io):
    args = argv[1:]
    if not args:
        for name in sorted(shell.vars):
            io.stdout.write(f"{name}='{shell.vars[name]}'\n")
        return 0
    while args:
        arg = args.pop(0)
        if arg == "--":
            shell.positional = args
            return 0
        if arg in ("-o", "+o") and args:
            option = args.pop(0)
            if option == "errexit":
                shell.options["e"] = arg == "-o"
            elif option == "xtrace":
                shell.options["x"] = arg == "-o"
            continue
        if arg[:1] in "-+" and len(arg) > 1:
            for flag in arg[1:]:
                if flag in shell.options:
                    shell.options[flag] = arg[0] == "-"
            continue
        shell.positional = [arg] + args
        return 0
    return 0


@builtin("shift")
def _shift(shell, argv, io):
    count = int(argv[1]) if len(argv) > 1 and argv[1].isdigit() else 1
    if count > len(shell.positional):
        return 1
    shell.positional = shell.positional[count:]
    return 0


@builtin("test", "[")
def _test(shell, argv, io):
    args = argv[1:]
    if argv[0] == "[":
        if not args or args[-1] != "]":
            return _fail(shell, io, "[", "missing `]'" if shell.kind == "bash" else "missing ]",
                         2)
        args = args[:-1]
    try:
        return 0 if textfmt.evaluate_test(args, shell.system.fs, shell.cwd) else 1
    except textfmt.TestError as error:
        return _fail(shell, io, argv[0], str(error), 2)


@builtin("type")
def _type(shell, argv, io):
    status = 0
    for name in argv[1:]:
        if name in shell.aliases:
            io.stdout.write(f"{name} is aliased to `{shell.aliases[name]}'\n")
        elif lookup(shell.kind, name):
            io.stdout.write(f"{name} is a shell builtin\n")
        else:
            found = shell.system.find_program(name, shell.vars.get("PATH", ""), shell.cwd)
            if found:
                io.stdout.write(f"{name} is {found[0]}\n")
            else:
                status = 1
                if shell.kind == "bash":
                    shell.error(io, f"type: {name}: not found")
                else:
                    io.stdout.write(f"{name}: not found\n")
    return status


@builtin("command")
def _command(shell, argv, io):
    args = argv[1:]
    if args and args[0] in ("-v", "-V"):
        status = 0
        for name in args[1:]:
            if lookup(shell.kind, name):
                io.stdout.write(f"{name}\n")
                continue
            found = shell.system.find_program(name, shell.vars.get("PATH", ""), shell.cwd)
            if found:
                io.stdout.write(f"{found[0]}\n")
            else:
                status = 1
        return status
    if not args:
        return 0
    found = lookup(shell.kind, args[0])
    return found(shell, args, io) if found else shell.run_external(args, io)


@builtin("read")
def _read(shell, argv, io):
    args, raw = argv[1:], False
    while args and args[0].startswith("-"):
        flag = args.pop(0)
        if flag == "-r":
            raw = True
        elif flag == "-p" and args:
            io.stderr.write(args.pop(0))
    line = io.stdin.readline()
    complete = line.endswith("\n")  # at the end of input, what was read is still assigned
    line = line[:-1] if complete else line
    if not raw:
        line = line.replace("\\", "")
    names = args or ["REPLY"]
    values = read_fields(line, ifs_of(shell), len(names)) if args else [line]
    for name, value in zip(names, values):
        shell.set(name, value)
    return 0 if complete else 1


@builtin("eval")
def _eval(shell, argv, io):
    return shell.run_source(" ".join(argv[1:]), io)


@builtin("exec")
def _exec(shell, argv, io):
    if len(argv) < 2:
        return 0
    # exec replaces the shell: the program keeps the shell's PID
    raise ShellExit(shell.run_external(argv[1:], io, pid=shell.pid))


@builtin(".", "source")
def _source(shell, argv, io):
    if len(argv) < 2:
        return _fail(shell, io, argv[0], "filename argument required", 2)
    try:
        text = shell.system.fs.read(argv[1], shell.cwd).decode("utf-8", "replace")
    except FsError as error:
        return _fail(shell, io, argv[1], error.reason)
    return shell.run_source(text, io)


@builtin("alias")
def _alias(shell, argv, io):
    if len(argv) == 1:
        for name, value in sorted(shell.aliases.items()):
            io.stdout.write(f"alias {name}='{value}'\n")
        return 0
    for item in argv[1:]:
        name, has_value, value = item.partition("=")
        if has_value:
            shell.aliases[name] = value
        elif name in shell.aliases:
            io.stdout.write(f"alias {name}='{shell.aliases[name]}'\n")
    return 0


@builtin("unalias")
def _unalias(shell, argv, io):
    for name in argv[1:]:
        shell.aliases.pop(name, None)
    return 0


@builtin("history")
def _history(shell, argv, io):
    for index, line in enumerate(shell.system.history, start=1):
        io.stdout.write(f"{index:5d}  {line}\n")
    return 0


@builtin("break", "continue")
def _loop_control(shell, argv, io):
    if shell.loop_depth == 0:
        return 0
    levels = int(argv[1]) if len(argv) > 1 and argv[1].isdigit() else 1
    raise LoopControl(argv[0], max(1, levels))


@builtin("kill")
def _kill(shell, argv, io):
    errors = BufferOut()
    status = kill(Invocation(shell.system, argv, shell.environment(), io.replace(stderr=errors),
                             shell.cwd, shell.pid))
    for line in errors.getvalue().splitlines():
        shell.error(io, line)
    return status


@builtin("umask")
def _umask(shell, argv, io):
    if len(argv) == 1:
        io.stdout.write("0022\n")
    return 0


@builtin("trap")
def _trap(shell, argv, io):
    args = argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        for signal, action in sorted(shell.traps.items()):
            quoted = action.replace("'", "'\\''")
            io.stdout.write(f"trap -- '{quoted}' {signal}\n")
        return 0
    if args[0] == "-" or len(args) == 1:  # back to the default
        action, signals = None, args[1:] if args[0] == "-" else args
    else:
        action, signals = args[0], args[1:]
    status = 0
    for name in signals:
        signal = _SIGNALS.get(name.upper().removeprefix("SIG"), name.upper().removeprefix("SIG"))
        if signal not in _SIGNALS.values():
            status = _fail(shell, io, "trap", f"{name}: invalid signal specification")
            continue
        shell.on_signal(signal, action)
    return status


_SIGNALS = {"0": "EXIT", "EXIT": "EXIT", "1": "HUP", "HUP": "HUP", "2": "INT", "INT": "INT",
            "3": "QUIT", "QUIT": "QUIT", "15": "TERM", "TERM": "TERM", "10": "USR1",
            "USR1": "USR1", "12": "USR2", "USR2": "USR2"}


@builtin("wait", "hash", "jobs", "times", "ulimit")
def _noop(shell, argv, io):
    if argv[0] == "ulimit":
        io.stdout.write("unlimited\n")
    return 0
