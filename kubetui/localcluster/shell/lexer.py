"""Split shell source into tokens: words (quotes kept), operators, newlines.

The lexer only finds where words end (quotes, `$( )`, `${ }`, backquotes and backslashes
can hide operators and blanks); expansion happens later. Here-document bodies are read
right after the line that announces them. Unfinished input raises `Incomplete`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPERATORS = ("&&", "||", ";;", "<<<", "<<-", "<<", ">>", ">|", ">&", "<&", "<>", "&>", "|&",
             ";", "&", "|", "(", ")", "<", ">")


class Incomplete(Exception):
    """More input is needed (unclosed quote, dangling `|`, open `if` …); `quote` is the
    quote left open, if that is what is missing."""

    def __init__(self, quote: str = ""):
        super().__init__(quote)
        self.quote = quote


@dataclass
class Redirect:
    fd: int | None
    op: str
    target: str
    body: str | None = None  # here-document text
    expand_body: bool = True


@dataclass
class Token:
    kind: str  # word, op, io_number, newline, eof
    text: str
    line: int = 1
    heredoc: Redirect | None = None


def skip_construct(src: str, i: int) -> int:
    """Return the index just past the construct starting at src[i] (a quote or $-form)."""
    c = src[i]
    if c == "'":
        end = src.find("'", i + 1)
        if end < 0:
            raise Incomplete("'")
        return end + 1
    if c == '"':
        j = i + 1
        while j < len(src):
            if src[j] == "\\":
                j += 2
            elif src[j] == '"':
                return j + 1
            elif src[j] in "$`":
                j = skip_construct(src, j) if src[j] == "`" or src[j + 1:j + 2] in ("(", "{") \
                    else j + 1
            else:
                j += 1
        raise Incomplete('"')
    if c == "`":
        j = i + 1
        while j < len(src):
            if src[j] == "\\":
                j += 2
            elif src[j] == "`":
                return j + 1
            else:
                j += 1
        raise Incomplete("`")
    # "$(" / "$((" / "${"
    opener = src[i + 1]
    closer = ")" if opener == "(" else "}"
    depth, j = 1, i + 2
    while j < len(src):
        ch = src[j]
        if ch == "\\":
            j += 2
            continue
        if ch in "'\"`":
            j = skip_construct(src, j)
            continue
        if ch == "$" and src[j + 1:j + 2] in ("(", "{"):
            j = skip_construct(src, j)
            continue
        if ch == opener:
            depth += 1
        elif ch == closer:
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    raise Incomplete()


def tokenize(src: str) -> list[Token]:
    tokens: list[Token] = []
    pending: list[Redirect] = []  # here-documents whose bodies start after the next newline
    i, line, n = 0, 1, len(src)
    while i < n:
        c = src[i]
        if c == "\\" and src[i + 1:i + 2] == "\n":
            i += 2
            continue
        if c in " \t":
            i += 1
            continue
        if c == "#":
            while i < n and src[i] != "\n":
                i += 1
            continue
        if c == "\n":
            tokens.append(Token("newline", "\n", line))
            i += 1
            line += 1
            for redirect in pending:
                i = _read_heredoc(src, i, redirect)
                line += redirect.body.count("\n") + 1 if redirect.body is not None else 0
            pending.clear()
            continue
        op = next((o for o in OPERATORS if src.startswith(o, i)), None)
        if op:
            tokens.append(Token("op", op, line))
            i += len(op)
            continue
        start = i
        while i < n:
            c = src[i]
            if c == "\\":
                if i + 1 >= n:
                    raise Incomplete()
                i += 2
            elif c in "'\"`":
                i = skip_construct(src, i)
            elif c == "$" and src[i + 1:i + 2] in ("(", "{"):
                i = skip_construct(src, i)
            elif c in " \t\n;&|()<>":
                break
            else:
                i += 1
        text = src[start:i]
        if text.isdigit() and i < n and src[i] in "<>":
            tokens.append(Token("io_number", text, line))
        else:
            tokens.append(Token("word", text, line))
        if len(tokens) >= 2 and tokens[-2].kind == "op" and tokens[-2].text in ("<<", "<<-"):
            quoted = any(q in text for q in "'\"\\")
            delimiter = re.sub(r"[\"'\\]", "", text)
            redirect = Redirect(None, tokens[-2].text, delimiter, None, not quoted)
            tokens[-1].heredoc = redirect
            pending.append(redirect)
    if pending:
        raise Incomplete()
    tokens.append(Token("eof", "", line))
    return tokens


def _read_heredoc(src: str, i: int, redirect: Redirect) -> int:
    lines: list[str] = []
    while True:
        end = src.find("\n", i)
        text = src[i:] if end < 0 else src[i:end]
        if end < 0 and (text.lstrip("\t") if redirect.op == "<<-" else text) != redirect.target:
            raise Incomplete()
        i = len(src) if end < 0 else end + 1
        check = text.lstrip("\t") if redirect.op == "<<-" else text
        if check == redirect.target:
            redirect.body = "".join(line + "\n" for line in lines)
            return i
        lines.append(check)
