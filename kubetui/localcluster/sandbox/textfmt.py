"""echo, printf and test: logic shared by the shell builtins and the /usr/bin programs."""

from __future__ import annotations

import re
from typing import Callable

from kubetui.localcluster.sandbox.vfs import FileSystem, FsError

_SIMPLE_ESCAPES = {"\\": "\\", "a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f",
                   "n": "\n", "r": "\r", "t": "\t", "v": "\v", '"': '"'}


class StopOutput(Exception):
    """`\\c` in echo -e / printf %b: print nothing more."""


def _byte(value: int) -> str:
    """One raw byte as text: above 0x7f a surrogate escape, so `\\342\\202\\254` writes the bytes of €."""
    return chr(value) if value < 0x80 else chr(0xDC00 + value)


def unescape(text: str, octal_needs_zero: bool = True) -> str:
    """Backslash escapes as echo -e interprets them. Raises StopOutput at `\\c`."""
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch != "\\" or i + 1 >= len(text):
            out.append(ch)
            i += 1
            continue
        key = text[i + 1]
        if key == "c":
            out_text = "".join(out)
            raise StopOutput(out_text)
        if key in _SIMPLE_ESCAPES and key != '"':
            out.append(_SIMPLE_ESCAPES[key])
            i += 2
        elif key == "0" and octal_needs_zero:
            digits = re.match(r"[0-7]{0,3}", text[i + 2:]).group(0)
            out.append(_byte(int(digits or "0", 8) & 0xFF))
            i += 2 + len(digits)
        elif key in "01234567" and not octal_needs_zero:
            digits = re.match(r"[0-7]{1,3}", text[i + 1:]).group(0)
            out.append(_byte(int(digits, 8) & 0xFF))
            i += 1 + len(digits)
        elif key == "x":
            digits = re.match(r"[0-9a-fA-F]{1,2}", text[i + 2:])
            if digits:
                out.append(_byte(int(digits.group(0), 16)))
                i += 2 + len(digits.group(0))
            else:
                out.append("\\x")
                i += 2
        else:
            out.append("\\" + key)
            i += 2
    return "".join(out)


def echo(args: list[str], style: str) -> str:
    """style: "bash" (-n -e -E), "dash" (-n only, escapes always), "gnu" (like bash)."""
    newline, escapes = True, style == "dash"
    while args and re.fullmatch(r"-[neE]+", args[0]):
        flags = args[0][1:]
        if style == "dash" and set(flags) != {"n"}:
            break
        for flag in flags:
            newline = newline and flag != "n"
            if flag == "e":
                escapes = True
            elif flag == "E" and style != "dash":
                escapes = False
        args = args[1:]
    text = " ".join(args)
    if escapes:
        try:
            text = unescape(text, octal_needs_zero=True)
        except StopOutput as stop:
            return str(stop.args[0])
    return text + ("\n" if newline else "")


_SPEC = re.compile(r"%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXeEfgGcsb%])")


def printf(fmt: str, args: list[str], warn: Callable[[str], None]) -> str:
    out: list[str] = []
    args = list(args)
    try:
        while True:
            consumed = False
            pos = 0
            body = unescape(fmt, octal_needs_zero=False) if "%" not in fmt else None
            if body is not None:
                out.append(body)
                break
            for match in _SPEC.finditer(fmt):
                out.append(unescape(fmt[pos:match.start()], octal_needs_zero=False))
                pos = match.end()
                flags, width, precision, conv = match.groups()
                if conv == "%":
                    out.append("%")
                    continue
                if width == "*":
                    width, consumed = (args.pop(0) if args else "0"), True
                if precision == "*":
                    precision, consumed = (args.pop(0) if args else "0"), True
                value = args.pop(0) if args else None
                consumed = consumed or value is not None
                out.append(_convert(flags, width, precision, conv, value, warn))
            out.append(unescape(fmt[pos:], octal_needs_zero=False))
            if not args or not consumed:
                break
    except StopOutput as stop:
        out.append(str(stop.args[0]))
    return "".join(out)


def _convert(flags: str, width: str | None, precision: str | None, conv: str,
             value: str | None, warn: Callable[[str], None]) -> str:
    spec = "%" + flags + (width or "") + (f".{precision}" if precision is not None else "")
    if conv in "diouxXc" and conv != "c":
        text = value or "0"
        try:
            number = int(text, 0) if not text.startswith(("'", '"')) else ord(text[1:2] or "\0")
        except ValueError:
            warn(f"{text}: invalid number")
            number = 0
        return (spec + ("d" if conv in "iu" else conv)) % number
    if conv in "eEfgG":
        try:
            number = float(value or "0")
        except ValueError:
            warn(f"{value}: invalid number")
            number = 0.0
        return (spec + conv) % number
    if conv == "c":
        return (spec + "s") % ((value or "")[:1])
    if conv == "b":
        try:
            return (spec + "s") % unescape(value or "", octal_needs_zero=True)
        except StopOutput as stop:
            raise StopOutput(str(stop.args[0]))
    return (spec + "s") % (value or "")


class TestError(Exception):
    pass


def evaluate_test(args: list[str], fs: FileSystem, cwd: str) -> bool:
    """POSIX test(1). Raises TestError with the message's tail (e.g. "too many arguments")."""
    parser = _TestParser(args, fs, cwd)
    if not args:
        return False
    result = parser.expression()
    if parser.pos != len(args):
        raise TestError("too many arguments")
    return result


class _TestParser:
    _UNARY = {"-e", "-f", "-d", "-r", "-w", "-x", "-s", "-L", "-h", "-z", "-n", "-b", "-c",
              "-p", "-S", "-g", "-u", "-k", "-O", "-G", "-t"}
    _BINARY = {"=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt",
               "-ot", "-ef"}

    def __init__(self, args: list[str], fs: FileSystem, cwd: str):
        self.args, self.fs, self.cwd, self.pos = args, fs, cwd, 0

    def expression(self) -> bool:
        value = self.term()
        while self.pos < len(self.args) and self.args[self.pos] == "-o":
            self.pos += 1
            value = self.term() or value
        return value

    def term(self) -> bool:
        value = self.factor()
        while self.pos < len(self.args) and self.args[self.pos] == "-a":
            self.pos += 1
            value = self.factor() and value
        return value

    def factor(self) -> bool:
        args, pos = self.args, self.pos
        remaining = len(args) - pos
        if remaining <= 0:
            raise TestError("argument expected")
        token = args[pos]
        if token == "!" and remaining > 1:
            self.pos += 1
            return not self.factor()
        if token == "(" and remaining > 1:
            self.pos += 1
            value = self.expression()
            if self.pos >= len(args) or args[self.pos] != ")":
                raise TestError("missing `)'")
            self.pos += 1
            return value
        if remaining >= 3 and args[pos + 1] in self._BINARY:
            self.pos += 3
            return self.binary(token, args[pos + 1], args[pos + 2])
        if token in self._UNARY and remaining >= 2:
            self.pos += 2
            return self.unary(token, args[pos + 1])
        self.pos += 1
        return token != ""

    def unary(self, op: str, operand: str) -> bool:
        if op == "-z":
            return operand == ""
        if op == "-n":
            return operand != ""
        if op == "-t":
            return False
        try:
            node = self.fs.lookup(operand, self.cwd, follow=op not in ("-L", "-h"))
        except FsError:
            return False
        checks = {"-e": True, "-f": node.kind == "-", "-d": node.kind == "d",
                  "-L": node.kind == "l", "-h": node.kind == "l", "-s": node.size > 0,
                  "-r": True, "-w": not node.read_only, "-x": bool(node.mode & 0o111)}
        return checks.get(op, False)

    def binary(self, left: str, op: str, right: str) -> bool:
        if op in ("=", "=="):
            return left == right
        if op == "!=":
            return left != right
        if op in ("<", ">"):
            return left < right if op == "<" else left > right
        if op in ("-nt", "-ot", "-ef"):
            return False
        numbers = []
        for text in (left, right):
            if not re.fullmatch(r"\s*[-+]?\d+\s*", text):
                raise TestError(f"{text}: integer expression expected")
            numbers.append(int(text))
        a, b = numbers
        return {"-eq": a == b, "-ne": a != b, "-lt": a < b, "-le": a <= b, "-gt": a > b,
                "-ge": a >= b}[op]
