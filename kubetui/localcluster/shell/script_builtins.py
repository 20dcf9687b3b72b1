"""The built-in commands of the container `sh -c` interpreter (echo, printf, sleep, exit, test,
date, cat …) and the control-flow signals they raise.

Key decision: built-ins act on the interpreter's simulated state only (its clock `t`, variables,
the files the script itself wrote); `date` prints a marker that becomes the wall-clock time of
the moment the line is printed, so one script gives the same lines at any time scale.
"""

from __future__ import annotations

import ast
import operator
import re

from kubetui.localcluster.sandbox.run_plan import IGNORES_SIGTERM, STDERR, Periodic, RunPlan

DATE_MARK = "\x00date:{}\x00"
_DURATION = re.compile(r"^(\d+(?:\.\d+)?|\.\d+)([smhd]?)$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


class ScriptExit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


class Blocked(Exception):
    """The script blocks here for good: in a loop (`periodic`) or in a program (`tail`)."""

    def __init__(self, periodic: Periodic | None = None, tail: RunPlan | None = None,
                 exec_: bool = False) -> None:
        self.periodic, self.tail, self.exec_ = periodic, tail, exec_


class LoopControl(Exception):
    def __init__(self, kind: str) -> None:
        self.kind = kind


class Builtins:
    """Mixin of the interpreter: one `_b_<name>` method per built-in command."""

    def _b_echo(self, args: list[str]) -> int:
        newline, escapes = True, False
        while args and args[0] in ("-n", "-e", "-ne", "-en", "-E"):
            flag = args.pop(0)
            newline = newline and "n" not in flag
            escapes = escapes or "e" in flag
        text = " ".join(args)
        if escapes:
            text = text.replace("\\n", "\n").replace("\\t", "\t")
        del newline  # a partial line is still a line in the container log
        self._emit(text)
        return 0

    def _b_printf(self, args: list[str]) -> int:
        if not args:
            return 1
        fmt, values = args[0], args[1:]
        text = fmt.replace("\\n", "\n").replace("\\t", "\t")
        for value in values or [""]:
            text = re.sub(r"%[sd]", value, text, count=1)
        text = text.replace("%%", "%")
        self._emit(text[:-1] if text.endswith("\n") else text)
        return 0

    def _b_sleep(self, args: list[str]) -> int:
        total = 0.0
        for arg in args:
            if arg in ("infinity", "inf"):
                raise Blocked(tail=RunPlan(stop=IGNORES_SIGTERM).after(self.t), exec_=self.exec_last)
            match = _DURATION.match(arg)
            if not match:
                self._emit(f"sleep: invalid time interval '{arg}'", STDERR)
                return 1
            total += float(match.group(1)) * _UNITS[match.group(2)]
        self.t += total
        return 0

    def _b_exit(self, args: list[str]) -> int:
        raise ScriptExit(int(args[0]) if args and args[0].lstrip("-").isdigit() else self.status)

    def _b_true(self, args: list[str]) -> int:
        return 0

    def _b_false(self, args: list[str]) -> int:
        return 1

    def _b_break(self, args: list[str]) -> int:
        raise LoopControl("break")

    def _b_continue(self, args: list[str]) -> int:
        raise LoopControl("continue")

    def _b_export(self, args: list[str]) -> int:
        for arg in args:
            if "=" in arg:
                name, _, value = arg.partition("=")
                self.vars[name] = value
        return 0

    def _b_set(self, args: list[str]) -> int:
        for arg in args:
            if arg.startswith("-") and "e" in arg:
                self.errexit = True
            elif arg.startswith("+") and "e" in arg:
                self.errexit = False
        return 0

    def _b_trap(self, args: list[str]) -> int:
        if len(args) >= 2 and any(s in ("TERM", "SIGTERM", "15", "INT TERM") for s in args[1:]):
            self.trap = args[0] or None
        return 0

    def _b_exec(self, args: list[str]) -> int:
        if not args:
            return 0
        self.exec_last = True
        return self._run(args)

    def _b_date(self, args: list[str]) -> int:
        fmt = next((arg[1:] for arg in args if arg.startswith("+")), "%a %b %e %H:%M:%S UTC %Y")
        self._emit(DATE_MARK.format(fmt))
        return 0

    def _b_hostname(self, args: list[str]) -> int:
        self._emit(self.host.hostname)
        return 0

    def _b_pwd(self, args: list[str]) -> int:
        self._emit(self.vars.get("PWD", self.host.working_dir))
        return 0

    def _b_whoami(self, args: list[str]) -> int:
        self._emit("root")
        return 0

    def _b_printenv(self, args: list[str]) -> int:
        if args:
            found = [self.vars[name] for name in args if name in self.vars]
            for value in found:
                self._emit(value)
            return 0 if len(found) == len(args) else 1
        for name, value in self.vars.items():
            self._emit(f"{name}={value}")
        return 0

    _b_env = _b_printenv

    def _b_cat(self, args: list[str]) -> int:
        status = 0
        for path in (a for a in args if not a.startswith("-")):
            if path in self.files:
                self._emit(self.files[path].rstrip("\n"))
            elif path == "/etc/hostname":
                self._emit(self.host.hostname)
            else:
                self._emit(f"cat: {path}: No such file or directory", STDERR)
                status = 1
        return status

    def _b_read(self, args: list[str]) -> int:
        return 1  # stdin is not attached: read meets end of file at once

    def _b_tail(self, args: list[str]) -> int:
        if "-f" in args or "-F" in args:
            raise Blocked(tail=RunPlan(stop=IGNORES_SIGTERM).after(self.t), exec_=self.exec_last)
        return 0

    def _b_seq(self, args: list[str]) -> int:
        numbers = [int(a) for a in args if a.lstrip("-").isdigit()]
        first, last = (1, numbers[0]) if len(numbers) == 1 else (numbers[0], numbers[-1]) if numbers else (1, 0)
        self._emit("\n".join(str(n) for n in range(first, last + 1)))
        return 0

    def _b_test(self, args: list[str]) -> int:
        if args and args[-1] == "]":
            args = args[:-1]
        return 0 if test_expression(args, self.files) else 1


def test_expression(args: list[str], files: dict[str, str]) -> bool:
    if args and args[0] == "!":
        return not test_expression(args[1:], files)
    if not args:
        return False
    if len(args) == 1:
        return args[0] != ""
    if len(args) == 2:
        op, value = args
        if op in ("-f", "-e", "-s", "-r", "-w", "-x"):
            return value in files
        if op == "-d":
            return value in files or value in ("/", "/tmp", "/etc", "/var", "/usr", "/bin", "/root")
        if op == "-z":
            return value == ""
        if op == "-n":
            return value != ""
        return False
    left, op, right = args[0], args[1], args[2]
    if op in ("=", "=="):
        return left == right
    if op == "!=":
        return left != right
    numeric = {"-eq": operator.eq, "-ne": operator.ne, "-lt": operator.lt, "-le": operator.le,
               "-gt": operator.gt, "-ge": operator.ge}
    if op in numeric:
        try:
            return numeric[op](int(left), int(right))
        except ValueError:
            return False
    return False


_ARITH_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
              ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Div: operator.floordiv}


def arithmetic(expression: str, variables: dict[str, str]) -> int:
    expression = re.sub(r"[A-Za-z_][A-Za-z0-9_]*",
                        lambda m: variables.get(m.group(), "0") or "0", expression)

    def evaluate(node) -> int:
        if isinstance(node, ast.Expression):
            return evaluate(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -evaluate(node.operand)
        if isinstance(node, ast.BinOp) and type(node.op) in _ARITH_OPS:
            right = evaluate(node.right)
            if isinstance(node.op, (ast.Div, ast.FloorDiv, ast.Mod)) and right == 0:
                return 0
            return _ARITH_OPS[type(node.op)](evaluate(node.left), right)
        raise ValueError(expression)

    try:
        return evaluate(ast.parse(expression.replace("/", "//"), mode="eval"))
    except (SyntaxError, ValueError):
        return 0
