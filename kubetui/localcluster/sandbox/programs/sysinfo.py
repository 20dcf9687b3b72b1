"""Programs that report on the process and the machine: echo, printf, pwd, env, printenv,
id, whoami, uname, date, hostname, nproc, sleep, stty, clear, which, test, basename,
dirname, seq, true, false. `stty size` asks the real pty, so it follows a resize."""

from __future__ import annotations

import math
import posixpath
import re
import termios

from kubetui.localcluster.sandbox import textfmt
from kubetui.localcluster.sandbox.programs.options import flags, getopts
from kubetui.localcluster.sandbox.streams import window_size
from kubetui.localcluster.sandbox.system import Invocation, program

KERNEL_RELEASE = "6.1.0-18-amd64"
KERNEL_VERSION = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)"


@program("true")
def true(inv: Invocation) -> int:
    return 0


@program("false")
def false(inv: Invocation) -> int:
    return 1


@program("echo")
def echo(inv: Invocation) -> int:
    inv.out(textfmt.echo(inv.argv[1:], "gnu"))
    return 0


@program("printf")
def printf(inv: Invocation) -> int:
    if len(inv.argv) < 2:
        return inv.fail("missing operand")
    problems: list[str] = []
    inv.out(textfmt.printf(inv.argv[1], inv.argv[2:], problems.append))
    for problem in problems:
        inv.err(f"printf: {problem}\n")
    return 1 if problems else 0


@program("test", "[")
def test(inv: Invocation) -> int:
    args = inv.argv[1:]
    if inv.name == "[":
        if not args or args[-1] != "]":
            return inv.fail("missing ']'", 2)
        args = args[:-1]
    try:
        return 0 if textfmt.evaluate_test(args, inv.fs, inv.cwd) else 1
    except textfmt.TestError as error:
        return inv.fail(str(error), 2)


@program("pwd")
def pwd(inv: Invocation) -> int:
    logical = "-L" in inv.argv[1:]
    inv.out((inv.cwd if logical else inv.fs.realpath(inv.cwd)) + "\n")
    return 0


@program("env")
def env(inv: Invocation) -> int:
    args = inv.argv[1:]
    environment = dict(inv.env)
    while args and args[0].startswith("-") and args[0] != "-":
        option = args.pop(0)
        if option in ("-i", "--ignore-environment"):
            environment = {}
        elif option in ("-u", "--unset") and args:
            environment.pop(args.pop(0), None)
        elif option == "--":
            break
    while args and "=" in args[0] and not args[0].startswith("="):
        name, _, value = args.pop(0).partition("=")
        environment[name] = value
    if not args:
        for name, value in environment.items():
            inv.out(f"{name}={value}\n")
        return 0
    found = inv.system.find_program(args[0], environment.get("PATH", ""), inv.cwd)
    if found is None:
        inv.err(f"env: '{args[0]}': No such file or directory\n")
        return 127
    return inv.system.run_program(found[1], args, environment, inv.io, inv.cwd)


@program("printenv")
def printenv(inv: Invocation) -> int:
    names = inv.argv[1:]
    if not names:
        for name, value in inv.env.items():
            inv.out(f"{name}={value}\n")
        return 0
    status = 0
    for name in names:
        if name in inv.env:
            inv.out(inv.env[name] + "\n")
        else:
            status = 1
    return status


def _user_name(inv: Invocation, uid: int) -> str:
    names = {0: "root", 33: "www-data", 65534: "nobody"}
    names.update({u: n for n, u in inv.system.image.users})
    return names.get(uid, str(uid))


@program("id")
def id_(inv: Invocation) -> int:
    opts, users = getopts(inv, inv.argv[1:], "ugGnr", ("user", "group", "groups", "name"))
    given = flags(opts)
    name = users[0] if users else "root"
    uid = next((u for n, u in inv.system.image.users if n == name), 0 if name == "root" else None)
    if uid is None:
        return inv.fail(f"'{name}': no such user")
    label = _user_name(inv, uid)
    if given & {"-u", "--user", "-g", "--group", "-G", "--groups"}:
        inv.out((label if given & {"-n", "--name"} else str(uid)) + "\n")
        return 0
    extra = ",10(wheel)" if inv.busybox and uid == 0 and inv.system.image.family == "alpine" \
        else ""
    inv.out(f"uid={uid}({label}) gid={uid}({label}) groups={uid}({label}){extra}\n")
    return 0


@program("whoami")
def whoami(inv: Invocation) -> int:
    inv.out("root\n")
    return 0


@program("uname")
def uname(inv: Invocation) -> int:
    opts, _ = getopts(inv, inv.argv[1:], "asnrvmpio", ("all",))
    given = flags(opts)
    fields = [("-s", "Linux"), ("-n", inv.system.hostname), ("-r", KERNEL_RELEASE),
              ("-v", KERNEL_VERSION), ("-m", "x86_64"), ("-o", "GNU/Linux")]
    if given & {"-a", "--all"}:
        alpine = inv.system.image.family == "alpine"
        chosen = [v for _, v in fields[:-1]] + ["Linux" if alpine else "GNU/Linux"]
    else:
        chosen = [v for k, v in fields if k in given] or ["Linux"]
    inv.out(" ".join(chosen) + "\n")
    return 0


@program("date")
def date(inv: Invocation) -> int:
    args = [a for a in inv.argv[1:] if a not in ("-u", "--utc")]
    fmt = next((a[1:] for a in args if a.startswith("+")), "%a %b %e %H:%M:%S UTC %Y")
    inv.out(inv.system.host.date(fmt) + "\n")
    return 0


@program("hostname")
def hostname(inv: Invocation) -> int:
    args = inv.argv[1:]
    context = inv.system.context
    if not args or args[0] in ("-s", "--short", "-f", "--fqdn", "--long"):
        name = inv.system.hostname
        inv.out((name.split(".")[0] if args[:1] in (["-s"], ["--short"]) else name) + "\n")
        return 0
    if args[0] in ("-i", "--ip-address"):
        inv.out(context.get("pod_ip", "") + "\n")
        return 0
    if args[0] in ("-I", "--all-ip-addresses"):
        inv.out(context.get("pod_ip", "") + " \n")
        return 0
    if args[0].startswith("-"):
        return inv.fail(f"invalid option -- '{args[0].lstrip('-')[:1]}'", 1)
    return inv.fail("you must be root to change the host name")


@program("nproc")
def nproc(inv: Invocation) -> int:
    inv.out("2\n")
    return 0


_SEQ_BATCH = 8192  # numbers per write
_DURATION = re.compile(r"^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$")


@program("sleep")
def sleep(inv: Invocation) -> int:
    args = inv.argv[1:]
    if not args:
        inv.err("sleep: missing operand\n")
        return _usage(inv)
    total = 0.0
    for arg in args:
        if arg in ("inf", "infinity"):
            total = math.inf
            continue
        match = _DURATION.match(arg)
        if not match:
            inv.err(f"sleep: invalid time interval '{arg}'\n")
            return _usage(inv)
        total += float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[
            match.group(2)]
    inv.system.host.sleep(total, inv.pid)
    return 0


def _usage(inv: Invocation) -> int:
    if not inv.busybox:
        inv.err("Try 'sleep --help' for more information.\n")
    return 1


@program("stty")
def stty(inv: Invocation) -> int:
    fd = inv.io.stdin.fd
    args = [a for a in inv.argv[1:] if a not in ("-F", "/dev/tty")]
    size = window_size(fd) if fd is not None else None
    if size is None:
        return inv.fail("'standard input': Inappropriate ioctl for device")
    if args == ["size"]:
        inv.out(f"{size[0]} {size[1]}\n")
        return 0
    if not args or args[0] in ("-a", "--all"):
        inv.out(f"speed 38400 baud; rows {size[0]}; columns {size[1]}; line = 0;\n"
                "intr = ^C; quit = ^\\; erase = ^?; kill = ^U; eof = ^D; eol = <undef>;\n")
        return 0
    attrs = termios.tcgetattr(fd)
    for arg in args:
        if arg in ("echo", "-echo"):
            attrs[3] = attrs[3] | termios.ECHO if arg == "echo" else attrs[3] & ~termios.ECHO
        elif arg in ("icanon", "-icanon"):
            attrs[3] = attrs[3] | termios.ICANON if arg == "icanon" else \
                attrs[3] & ~termios.ICANON
        elif arg == "sane":
            attrs[3] |= termios.ECHO | termios.ICANON | termios.ISIG
    termios.tcsetattr(fd, termios.TCSANOW, attrs)
    return 0


@program("clear")
def clear(inv: Invocation) -> int:
    if not inv.env.get("TERM"):
        inv.err("TERM environment variable not set.\n")
        return 1
    inv.out("\x1b[H\x1b[2J\x1b[3J")
    return 0


@program("which")
def which(inv: Invocation) -> int:
    status = 0
    for name in [a for a in inv.argv[1:] if a != "-a"]:
        found = inv.system.find_program(name, inv.env.get("PATH", ""), inv.cwd)
        if found is None:
            status = 1
            continue
        inv.out(found[0] + "\n")
    return status


@program("basename")
def basename(inv: Invocation) -> int:
    args = inv.argv[1:]
    if not args:
        return inv.fail("missing operand")
    name = posixpath.basename(args[0].rstrip("/")) or "/"
    if len(args) > 1 and name.endswith(args[1]) and name != args[1]:
        name = name[: -len(args[1])]
    inv.out(name + "\n")
    return 0


@program("dirname")
def dirname(inv: Invocation) -> int:
    args = inv.argv[1:]
    if not args:
        return inv.fail("missing operand")
    for arg in args:
        inv.out((posixpath.dirname(arg.rstrip("/")) or ".") + "\n")
    return 0


@program("seq")
def seq(inv: Invocation) -> int:
    numbers = inv.argv[1:]
    try:
        values = [int(n) for n in numbers]
    except ValueError:
        return inv.fail(f"invalid floating point argument: '{numbers[0] if numbers else ''}'")
    if not 1 <= len(values) <= 3:
        return inv.fail("missing operand")
    first, step, last = (1, 1, values[0]) if len(values) == 1 else (
        (values[0], 1, values[1]) if len(values) == 2 else tuple(values))
    if step == 0:
        return inv.fail("invalid Zero increment value: '0'")
    numbers = range(first, last + (1 if step > 0 else -1), step)
    for start in range(0, len(numbers), _SEQ_BATCH):  # a batch at a time: a slow reader holds it back
        inv.out("".join(f"{n}\n" for n in numbers[start:start + _SEQ_BATCH]))
    return 0
