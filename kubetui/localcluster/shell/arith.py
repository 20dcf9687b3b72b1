"""Shell arithmetic, `$(( … ))`: the C-like integer expressions of bash, dash and ash.

Key decisions: a small precedence-climbing parser that evaluates as it parses (a skipped
branch of `&&`, `||` or `?:` is parsed without side effects, as in bash). Integers are 64-bit
and wrap; division truncates toward zero (`-7/2` is -3, `-7%2` is -1), as in C. Numbers may be
decimal, octal (`010`), hexadecimal (`0x10`) or `base#digits`. A variable's value is itself
evaluated as an expression (an unset or empty one is 0); assignments (`=`, `+=`, `++` …) set
it through the shell.
"""

from __future__ import annotations

import re
from typing import Callable

_TOKEN = re.compile(r"\s*(?:(?P<num>[0-9][0-9A-Za-z#@_]*)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|"
                    r"(?P<op>\*\*=?|<<=|>>=|\+\+|--|&&|\|\||[<>=!]=|<<|>>|[-+*/%&|^]=|[-+*/%<>=!~&|^?:(),]))")
_BINARY = [  # lowest precedence first
    {"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"==", "!="}, {"<", "<=", ">", ">="}, {"<<", ">>"},
    {"+", "-"}, {"*", "/", "%"},
]
_ASSIGN = {"=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "^=", "|="}
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ@_"


class ArithmeticError_(Exception):
    """`reason` as bash words it; `token`: where in the expression it went wrong."""

    def __init__(self, reason: str, token: str = ""):
        super().__init__(f'{reason} (error token is "{token}")' if token else reason)
        self.reason, self.token = reason, token


def wrap(value: int) -> int:
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >= 1 << 63 else value


def evaluate(text: str, get: Callable[[str], str | None], set_: Callable[[str, str], None],
             depth: int = 0, power: bool = True) -> int:
    """The value of `text`; raises ArithmeticError_ for a syntax error or a division by 0.
    Without `power` (dash) `**` is not an operator."""
    return _Parser(text, get, set_, depth, power).run()


class _Parser:
    def __init__(self, text: str, get, set_, depth: int, power: bool = True):
        self.text, self.get, self.set, self.depth = text, get, set_, depth
        self.power_operator = power
        self.tokens = self._tokenize(text)
        self.pos = 0
        self.live = True  # False inside a branch that is not taken

    def _tokenize(self, text: str) -> list[tuple[str, str]]:
        tokens, i = [], 0
        self.starts: list[int] = []
        while i < len(text):
            if text[i:].strip() == "":
                break
            match = _TOKEN.match(text, i)
            if not match:
                self._fail(text[i:].strip())
            kind = match.lastgroup or ""
            tokens.append((kind, match.group(kind)))
            self.starts.append(match.start(kind))
            i = match.end()
        return tokens

    def _rest(self, index: int) -> str:
        return self.text[self.starts[index]:].strip() if index < len(self.starts) else ""

    def _fail(self, token: str) -> None:
        raise ArithmeticError_("syntax error: operand expected", token)

    def peek(self) -> str:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else ""

    def take(self) -> tuple[str, str]:
        if self.pos >= len(self.tokens):
            self._fail("")
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def run(self) -> int:
        if not self.tokens:
            return 0
        value = self.comma()
        if self.pos < len(self.tokens):
            raise ArithmeticError_("syntax error in expression", self._rest(self.pos))
        return value

    def comma(self) -> int:
        value = self.assignment()
        while self.peek() == ",":
            self.pos += 1
            value = self.assignment()
        return value

    def assignment(self) -> int:
        if self.pos + 1 < len(self.tokens) and self.tokens[self.pos][0] == "name" and \
                self.tokens[self.pos + 1][1] in _ASSIGN:
            name, op = self.tokens[self.pos][1], self.tokens[self.pos + 1][1]
            self.pos += 2
            value = self.assignment()
            if op != "=":
                value = self._binary(op[:-1], self._variable(name), value)
            return self._store(name, value)
        return self.conditional()

    def conditional(self) -> int:
        condition = self.binary(0)
        if self.peek() != "?":
            return condition
        self.pos += 1
        live = self.live
        self.live = live and bool(condition)
        yes = self.assignment()
        if self.peek() != ":":
            self._fail(self.peek())
        self.pos += 1
        self.live = live and not condition
        no = self.conditional()
        self.live = live
        return yes if condition else no

    def binary(self, level: int) -> int:
        if level == len(_BINARY):
            return self.power()
        left = self.binary(level + 1)
        while self.peek() in _BINARY[level]:
            op = self.take()[1]
            live, operand = self.live, self.pos
            if op in ("&&", "||"):
                self.live = live and (bool(left) if op == "&&" else not left)
            right = self.binary(level + 1)
            self.live = live
            if op in ("/", "%") and right == 0 and live:
                raise ArithmeticError_("division by 0", self._rest(operand))
            left = self._binary(op, left, right)
        return left

    def power(self) -> int:
        base = self.unary()
        if self.peek() == "**" and self.power_operator:
            self.pos += 1
            exponent = self.power()
            if exponent < 0:
                raise ArithmeticError_("exponent less than 0")
            return wrap(pow(base, exponent, 1 << 64)) if self.live else 0
        return base

    def unary(self) -> int:
        op = self.peek()
        if op in ("++", "--"):
            self.pos += 1
            kind, name = self.take()
            if kind != "name":
                self._fail(name)
            return self._store(name, self._variable(name) + (1 if op == "++" else -1))
        if op in ("-", "+", "!", "~"):
            self.pos += 1
            value = self.unary()
            return wrap({"-": -value, "+": value, "!": int(not value), "~": ~value}[op])
        return self.postfix()

    def postfix(self) -> int:
        kind, text = self.take()
        if text == "(":
            value = self.comma()
            if self.peek() != ")":
                self._fail(self.peek())
            self.pos += 1
            return value
        if kind == "num":
            return self._number(text)
        if kind != "name":
            self._fail(text)
        value = self._variable(text)
        if self.peek() in ("++", "--"):
            self._store(text, value + (1 if self.take()[1] == "++" else -1))
        return value

    # ---- values ---------------------------------------------------------------------------
    def _number(self, text: str) -> int:
        base, digits = 10, text
        if "#" in text:
            prefix, digits = text.split("#", 1)
            base = int(prefix) if prefix.isdigit() else 0
        elif text[:2] in ("0x", "0X"):
            base, digits = 16, text[2:]
        elif text.startswith("0") and len(text) > 1:
            base, digits = 8, text[1:]
        if not 2 <= base <= 64 or not digits:
            raise ArithmeticError_(f'invalid arithmetic base (error token is "{text}")')
        value = 0
        for char in digits:
            digit = _DIGITS.index(char) if char in _DIGITS else 99
            if base <= 36 and char.isupper():
                digit = _DIGITS.index(char.lower())
            if digit >= base:
                raise ArithmeticError_(f'value too great for base (error token is "{text}")')
            value = value * base + digit
        return wrap(value)

    def _variable(self, name: str) -> int:
        raw = (self.get(name) or "").strip()
        if not raw:
            return 0
        if re.fullmatch(r"-?[0-9]+", raw):
            return wrap(int(raw))
        if self.depth > 100:
            raise ArithmeticError_("expression recursion level exceeded")
        return evaluate(raw, self.get, self.set, self.depth + 1, self.power_operator)

    def _store(self, name: str, value: int) -> int:
        value = wrap(value)
        if self.live:
            self.set(name, str(value))
        return value

    def _binary(self, op: str, left: int, right: int) -> int:
        if op in ("/", "%"):
            if right == 0:
                if not self.live:
                    return 0
                raise ArithmeticError_("division by 0")  # `x /= 0`
            quotient = abs(left) // abs(right) * (1 if (left < 0) == (right < 0) else -1)
            return wrap(quotient if op == "/" else left - right * quotient)
        result = {
            "+": lambda: left + right, "-": lambda: left - right, "*": lambda: left * right,
            "<<": lambda: left << (right & 63), ">>": lambda: left >> (right & 63),
            "<": lambda: int(left < right), "<=": lambda: int(left <= right),
            ">": lambda: int(left > right), ">=": lambda: int(left >= right),
            "==": lambda: int(left == right), "!=": lambda: int(left != right),
            "&": lambda: left & right, "^": lambda: left ^ right, "|": lambda: left | right,
            "&&": lambda: int(bool(left) and bool(right)),
            "||": lambda: int(bool(left) or bool(right)),
        }[op]()
        return wrap(result)
