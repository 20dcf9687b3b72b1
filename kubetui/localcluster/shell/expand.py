"""Word expansion: tilde, parameters, command substitution, arithmetic, splitting, globs.

A raw word (quotes still in it) becomes a list of pieces that remember whether they were
quoted and whether they came from an expansion. Only unquoted expansion results are split
on whitespace and only unquoted characters act as glob patterns, which is what makes
`"$x"` and `$x` behave differently, as in a real shell. Globs match the in-memory tree.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Iterator

from kubetui.localcluster.sandbox.vfs import FsError
from kubetui.localcluster.shell import arith
from kubetui.localcluster.shell.ifs import BLANKS, ifs_of
from kubetui.localcluster.shell.lexer import skip_construct
from kubetui.localcluster.shell.state import ShellState
from kubetui.localcluster.shell.syntax import is_name


class ExpansionError(Exception):
    """`${x:?msg}`, bad substitution, arithmetic errors. A shell that is not interactive
    exits: with `bash_status` for bash, 2 for dash and ash."""

    def __init__(self, message: str, bash_status: int = 1):
        super().__init__(message)
        self.bash_status = bash_status


@dataclass
class Piece:
    text: str
    quoted: bool
    expanded: bool = False
    field_break: bool = False  # "$@" between positional parameters
    soft_break: bool = False  # $@ and $* between them: a new field unless the last is empty


class Expander:
    def __init__(self, shell: ShellState):
        self.shell = shell

    # ---- public ----------------------------------------------------------------------
    def fields(self, raw: str) -> list[str]:
        out: list[str] = []
        for word in brace_expand(raw) if self.shell.kind == "bash" else [raw]:
            for field in self._split(self._scan(word, in_dq=False)):
                out.extend(self._glob(field))
        return out

    def string(self, raw: str) -> str:
        """Expand without splitting or globbing (assignments, redirection targets)."""
        return "".join(" " if p.field_break or p.soft_break else p.text
                       for p in self._scan(raw, in_dq=False))

    def heredoc(self, body: str) -> str:
        return "".join(p.text for p in self._scan(body, in_dq=True, heredoc=True))

    # ---- scanning --------------------------------------------------------------------
    def _scan(self, raw: str, in_dq: bool, heredoc: bool = False) -> list[Piece]:
        pieces: list[Piece] = []
        i, n = 0, len(raw)
        dq = in_dq
        if raw.startswith("~") and not in_dq:
            end = raw.find("/")
            end = n if end < 0 else end
            user = raw[1:end]
            home = {"": self.shell.get("HOME") or "/root", "root": "/root"}.get(user)
            if home is not None:
                pieces.append(Piece(home, True))
                i = end
        while i < n:
            c = raw[i]
            if c == "'" and not dq:
                end = raw.index("'", i + 1)
                pieces.append(Piece(raw[i + 1:end], True))
                i = end + 1
            elif c == '"' and not heredoc:
                dq = not dq
                pieces.append(Piece("", True))  # so that "" still makes an empty field
                i += 1
            elif c == "\\":
                nxt = raw[i + 1:i + 2]
                if not dq:
                    pieces.append(Piece(nxt, True))
                elif nxt in ("$", "`", "\\", "\n") or (nxt == '"' and not heredoc):
                    pieces.append(Piece("" if nxt == "\n" else nxt, True))
                else:
                    pieces.append(Piece("\\" + nxt, True))
                i += 2
            elif c == "`":
                end = skip_construct(raw, i)
                source = re.sub(r"\\([$`\\])", r"\1", raw[i + 1:end - 1])
                pieces.append(Piece(self.shell.capture(source), dq, True))
                i = end
            elif c == "$":
                i = self._dollar(raw, i, dq, pieces)
            else:
                pieces.append(Piece(c, dq))
                i += 1
        return pieces

    def _dollar(self, raw: str, i: int, dq: bool, pieces: list[Piece]) -> int:
        nxt = raw[i + 1:i + 2]
        if raw.startswith("$((", i):
            end = skip_construct(raw, i)
            pieces.append(Piece(str(self.arithmetic(raw[i + 3:end - 2])), dq, True))
            return end
        if nxt == "(":
            end = skip_construct(raw, i)
            pieces.append(Piece(self.shell.capture(raw[i + 2:end - 1]), dq, True))
            return end
        if nxt == "{":
            end = skip_construct(raw, i)
            pieces.append(Piece(self._braced(raw[i + 2:end - 1]), dq, True))
            return end
        if nxt == "@" or (nxt == "*" and not dq):
            args = self.shell.positional
            for index, arg in enumerate(args):
                if index and dq:
                    pieces.append(Piece("", True, field_break=True))
                elif index:
                    pieces.append(Piece("", False, True, soft_break=True))
                pieces.append(Piece(arg, dq, True))
            if not args and dq and nxt == "@":
                pieces.append(Piece("", False, True))  # "$@" with no args: no field
            return i + 2
        if nxt and (nxt in "?$#!-*0" or nxt.isdigit()):
            return self._append(pieces, self.shell.special(nxt), dq, i + 2)
        match = re.match(r"[A-Za-z_][A-Za-z0-9_]*", raw[i + 1:])
        if match:
            return self._append(pieces, self.shell.get(match.group(0)) or "", dq,
                                i + 1 + match.end())
        pieces.append(Piece("$", dq))
        return i + 1

    @staticmethod
    def _append(pieces: list[Piece], value: str, dq: bool, end: int) -> int:
        pieces.append(Piece(value, dq, True))
        return end

    def _braced(self, body: str) -> str:
        if body.startswith("#") and len(body) > 1:
            return str(len(self._param(body[1:])))
        match = re.match(r"^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#!@*-])(.*)$", body, re.S)
        if not match:
            raise self._bad_substitution(body)
        name, rest = match.groups()
        value = self._param(name)
        is_set = self.shell.is_set(name)
        if not rest:
            return value
        op = re.match(r"^(:?[-=+?]|##?|%%?)(.*)$", rest, re.S)
        if not op:
            raise self._bad_substitution(body)
        kind, word = op.groups()
        empty = not is_set or (kind.startswith(":") and value == "")
        if kind in ("-", ":-"):
            return self.string(word) if empty else value
        if kind in ("=", ":="):
            if empty:
                value = self.string(word)
                self.shell.set(name, value)
            return value
        if kind in ("+", ":+"):
            return "" if empty else self.string(word)
        if kind in ("?", ":?"):
            if empty:
                message = self.string(word) or "parameter null or not set"
                raise ExpansionError(f"{name}: {message}", bash_status=127)
            return value
        pattern = self.string(word)
        return _trim(value, pattern, kind)

    def _param(self, name: str) -> str:
        if name in ("@", "*"):
            return " ".join(self.shell.positional)
        if not is_name(name):
            return self.shell.special(name)
        return self.shell.get(name) or ""

    # ---- arithmetic ------------------------------------------------------------------
    def arithmetic(self, text: str) -> int:
        expanded = "".join(p.text for p in self._scan(text, in_dq=True, heredoc=True))
        try:
            return arith.evaluate(expanded, self.shell.get, self.shell.set,
                                  power=self.shell.kind != "dash")
        except arith.ArithmeticError_ as error:
            expression = expanded.strip()
            if self.shell.kind == "bash":
                raise ExpansionError(f"{expression}: {error}") from None
            reason = "division by zero" if error.reason.startswith("division") else \
                "expecting primary"
            raise ExpansionError(f'arithmetic expression: {reason}: "{expression}"') from None

    def _bad_substitution(self, body: str) -> ExpansionError:
        return ExpansionError(f"${{{body}}}: bad substitution" if self.shell.kind == "bash"
                              else "Bad substitution")

    # ---- splitting and globbing ------------------------------------------------------
    def _split(self, pieces: list[Piece]) -> list[list[tuple[str, bool]]]:
        """Fields of the pieces: unquoted expansion results split at $IFS characters (its
        blanks collapse and vanish at the ends; each other character ends a field, which
        may be empty)."""
        ifs = ifs_of(self.shell)
        blanks = "".join(ch for ch in ifs if ch in BLANKS)
        fields: list[list[tuple[str, bool]]] = []
        current: list[tuple[str, bool]] = []
        started = after_blank = False
        for piece in pieces:
            if piece.field_break or piece.soft_break:
                if piece.field_break or current or started:
                    fields.append(current)
                current, started = [], False
                continue
            if piece.expanded and not piece.quoted:
                for ch in piece.text:
                    if ch not in ifs:
                        current.append((ch, True))
                        after_blank = False
                    elif current or started:
                        fields.append(current)
                        current, started, after_blank = [], False, ch in blanks
                    elif ch not in blanks:
                        if not after_blank:
                            fields.append([])
                        after_blank = False
                continue
            if piece.quoted:
                started = True
            after_blank = False
            current.extend((ch, not piece.quoted) for ch in piece.text)
        if current or started:
            fields.append(current)
        return fields

    def _glob(self, field: list[tuple[str, bool]]) -> list[str]:
        text = "".join(ch for ch, _ in field)
        if not any(active and ch in "*?[" for ch, active in field):
            return [text]
        pattern = "".join(ch if active else (f"[{ch}]" if ch in "*?[]" else ch)
                          for ch, active in field)
        matches = self._match(pattern)
        return matches or [text]

    def _match(self, pattern: str) -> list[str]:
        fs, cwd = self.shell.system.fs, self.shell.cwd
        absolute = pattern.startswith("/")
        parts = [p for p in pattern.split("/") if p]
        results = ["/" if absolute else ""]
        for part in parts:
            next_results = []
            for base in results:
                directory = base or "."
                if not any(c in part for c in "*?["):
                    candidate = f"{base}{part}" if base.endswith("/") or not base else \
                        f"{base}/{part}"
                    if fs.exists(candidate, cwd, follow=False):
                        next_results.append(candidate)
                    continue
                try:
                    names = fs.listdir(directory, cwd)
                except FsError:
                    continue
                for name in names:
                    if name.startswith(".") and not part.startswith("."):
                        continue
                    if fnmatch.fnmatchcase(name, part):
                        next_results.append(f"{base}{name}" if base.endswith("/") or not base
                                            else f"{base}/{name}")
            results = next_results
        if pattern.endswith("/"):
            results = [r + "/" for r in results if fs.lookup(r, cwd).is_dir]
        return sorted(results)


def _unquoted(word: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """(index, char) of word's characters from `start` that stand outside escapes, quotes and $(...)."""
    i = start
    while i < len(word):
        c = word[i]
        if c == "\\":
            i += 2
            continue
        if c in "'\"`" or (c == "$" and word[i + 1:i + 2] in ("(", "{")):
            i = skip_construct(word, i)
            continue
        yield i, c
        i += 1


def _closing_brace(word: str, start: int) -> tuple[int, list[int]] | None:
    """Index of the `}` matching word[start], and the top-level commas in between."""
    depth, commas = 0, []
    for i, c in _unquoted(word, start):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i, commas
        elif c == "," and depth == 1:
            commas.append(i)
    return None


def brace_expand(word: str) -> list[str]:
    """bash's `{a,b}` and `{1..5}` (before any other expansion, outside quotes)."""
    for i, c in _unquoted(word):
        if c == "{":
            found = _closing_brace(word, i)
            if found:
                end, commas = found
                body = word[i + 1:end]
                parts = None
                if commas:
                    bounds = [i] + commas + [end]
                    parts = [word[a + 1:b] for a, b in zip(bounds, bounds[1:])]
                else:
                    span = re.fullmatch(r"(-?\d+)\.\.(-?\d+)|([a-zA-Z])\.\.([a-zA-Z])", body)
                    if span and span.group(1) is not None:
                        low, high = int(span.group(1)), int(span.group(2))
                        step = 1 if high >= low else -1
                        parts = [str(n) for n in range(low, high + step, step)]
                    elif span:
                        low, high = ord(span.group(3)), ord(span.group(4))
                        step = 1 if high >= low else -1
                        parts = [chr(n) for n in range(low, high + step, step)]
                if parts is not None:
                    return [w for part in parts
                            for w in brace_expand(word[:i] + part + word[end + 1:])]
    return [word]


def _trim(value: str, pattern: str, kind: str) -> str:
    sizes = range(len(value) + 1)
    if kind in ("#", "##"):
        order = sizes if kind == "#" else reversed(sizes)
        for size in order:
            if fnmatch.fnmatchcase(value[:size], pattern):
                return value[size:]
        return value
    order = sizes if kind == "%" else reversed(sizes)
    for size in order:
        if fnmatch.fnmatchcase(value[len(value) - size:], pattern):
            return value[:len(value) - size]
    return value
