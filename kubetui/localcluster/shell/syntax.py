"""Parse POSIX shell command lines into a small tree.

Covers what people type into a container: pipelines, `&&`/`||`/`;`/`&`, redirections with
fd numbers (`2>&1`, `>>`, `<`, here-documents), `( … )`, `{ …; }`, `if`, `for`, `while` and
`until`. Words keep their quotes; expansion happens later (see expand.py), so the parser
only needs the token stream (lexer.py). Input that stops in the middle of a construct raises
`Incomplete`, which the interactive loop answers with the `> ` continuation prompt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kubetui.localcluster.shell.lexer import Incomplete, Redirect, Token, tokenize

__all__ = ["Incomplete", "Redirect", "ShellSyntaxError", "Unsupported", "parse", "is_name",
           "lone_simple", "never_changes"]

_REDIRECTS = {"<<<", "<<-", "<<", ">>", ">|", ">&", "<&", "<>", "&>", "<", ">"}
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
RESERVED = {"if", "then", "else", "elif", "fi", "for", "in", "do", "done", "while", "until",
            "{", "}", "!", "case", "esac"}


class ShellSyntaxError(Exception):
    def __init__(self, token: str, line: int = 1):
        super().__init__(token)
        self.token = token  # the unexpected token, "newline" or "end of file"
        self.line = line


class Unsupported(ShellSyntaxError):
    """Valid shell that this simulation does not run (`case`, functions): said plainly."""


@dataclass
class Simple:
    assigns: list[str]
    words: list[str]
    redirects: list[Redirect]
    line: int = 1


@dataclass
class Pipeline:
    commands: list
    negate: bool = False


@dataclass
class AndOr:
    parts: list[Pipeline]
    ops: list[str]


@dataclass
class Sequence:
    items: list[tuple[AndOr, bool]] = field(default_factory=list)  # (command, background)


@dataclass
class Group:
    body: Sequence
    subshell: bool
    redirects: list[Redirect] = field(default_factory=list)


@dataclass
class If:
    branches: list[tuple[Sequence, Sequence]]
    orelse: Sequence | None
    redirects: list[Redirect] = field(default_factory=list)


@dataclass
class For:
    var: str
    items: list[str] | None
    body: Sequence
    redirects: list[Redirect] = field(default_factory=list)


@dataclass
class Loop:
    cond: Sequence
    body: Sequence
    until: bool
    redirects: list[Redirect] = field(default_factory=list)


# ---- parser -----------------------------------------------------------------------------
class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> Token:
        return self.tokens[self.pos]

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def is_word(self, *texts: str) -> bool:
        token = self.peek()
        return token.kind == "word" and token.text in texts

    def is_op(self, *texts: str) -> bool:
        token = self.peek()
        return token.kind == "op" and token.text in texts

    def skip_newlines(self) -> None:
        while self.peek().kind == "newline":
            self.pos += 1

    def fail(self) -> None:
        token = self.peek()
        if token.kind == "eof":
            raise Incomplete()
        raise ShellSyntaxError("newline" if token.kind == "newline" else token.text, token.line)

    def expect_word(self, text: str) -> None:
        self.skip_newlines()
        if not self.is_word(text):
            self.fail()
        self.pos += 1

    def parse_list(self, terminators: tuple[str, ...] = ()) -> Sequence:
        sequence = Sequence()
        self.skip_newlines()
        while True:
            token = self.peek()
            if token.kind == "eof" or (token.kind == "word" and token.text in terminators) or (
                    token.kind == "op" and token.text == ")" and ")" in terminators):
                return sequence
            node = self.parse_and_or()
            background = False
            if self.is_op(";", "&"):
                background = self.take().text == "&"
            elif self.peek().kind == "newline":
                pass
            elif not (self.peek().kind == "eof" or self.is_word(*terminators) or
                      (self.is_op(")") and ")" in terminators)):
                self.fail()
            sequence.items.append((node, background))
            self.skip_newlines()

    def parse_and_or(self) -> AndOr:
        parts, ops = [self.parse_pipeline()], []
        while self.is_op("&&", "||"):
            ops.append(self.take().text)
            self.skip_newlines()
            parts.append(self.parse_pipeline())
        return AndOr(parts, ops)

    def parse_pipeline(self) -> Pipeline:
        negate = False
        if self.is_word("!"):
            self.pos += 1
            negate = True
        commands = [self.parse_command()]
        while self.is_op("|", "|&"):
            if self.take().text == "|&":  # bash: stderr goes down the pipe too
                getattr(commands[-1], "redirects", []).append(Redirect(2, ">&", "1"))
            self.skip_newlines()
            commands.append(self.parse_command())
        return Pipeline(commands, negate)

    def parse_redirect(self) -> Redirect:
        fd = int(self.take().text) if self.peek().kind == "io_number" else None
        op = self.take().text
        target = self.peek()
        if target.kind != "word":
            self.fail()
        self.pos += 1
        if target.heredoc is not None:
            target.heredoc.fd = fd
            return target.heredoc
        return Redirect(fd, op, target.text)

    def at_redirect(self) -> bool:
        token = self.peek()
        return token.kind == "io_number" or (token.kind == "op" and token.text in _REDIRECTS)

    def trailing_redirects(self) -> list[Redirect]:
        redirects = []
        while self.at_redirect():
            redirects.append(self.parse_redirect())
        return redirects

    def parse_command(self):
        token = self.peek()
        if token.kind == "op" and token.text == "(":
            self.pos += 1
            body = self.parse_list((")",))
            if not self.is_op(")"):
                self.fail()
            self.pos += 1
            return Group(body, True, self.trailing_redirects())
        if token.kind == "word" and token.text in ("{", "if", "for", "while", "until"):
            return self.parse_compound(token.text)
        if token.kind == "word" and token.text == "case":
            raise Unsupported("case")
        if token.kind == "word" and token.text in RESERVED - {"!"}:
            raise ShellSyntaxError(token.text, token.line)
        assigns, words, redirects = [], [], []
        while True:
            token = self.peek()
            if self.at_redirect():
                redirects.append(self.parse_redirect())
            elif token.kind == "word":
                if not words and _ASSIGNMENT.match(token.text):
                    assigns.append(token.text)
                else:
                    words.append(token.text)
                self.pos += 1
            else:
                break
        if not (assigns or words or redirects):
            self.fail()
        if words and self.is_op("("):
            following = self.tokens[self.pos + 1]
            if len(words) == 1 and following.kind == "op" and following.text == ")":
                raise Unsupported("function definitions")
            raise ShellSyntaxError("(")
        return Simple(assigns, words, redirects, token.line)

    def parse_compound(self, keyword: str):
        self.pos += 1
        if keyword == "{":
            body = self.parse_list(("}",))
            self.expect_word("}")
            return Group(body, False, self.trailing_redirects())
        if keyword == "if":
            branches = []
            cond = self.parse_list(("then",))
            self.expect_word("then")
            branches.append((cond, self.parse_list(("elif", "else", "fi"))))
            orelse = None
            while True:
                self.skip_newlines()
                if self.is_word("elif"):
                    self.pos += 1
                    cond = self.parse_list(("then",))
                    self.expect_word("then")
                    branches.append((cond, self.parse_list(("elif", "else", "fi"))))
                elif self.is_word("else"):
                    self.pos += 1
                    orelse = self.parse_list(("fi",))
                else:
                    break
            self.expect_word("fi")
            return If(branches, orelse, self.trailing_redirects())
        if keyword == "for":
            name = self.take()
            if name.kind != "word" or not _NAME.match(name.text):
                self.pos -= 1
                self.fail()
            items = None
            self.skip_newlines()
            if self.is_word("in"):
                self.pos += 1
                items = []
                while self.peek().kind == "word":
                    items.append(self.take().text)
                if not (self.is_op(";") or self.peek().kind == "newline"):
                    self.fail()
                self.pos += 1
            elif self.is_op(";"):
                self.pos += 1
            self.expect_word("do")
            body = self.parse_list(("done",))
            self.expect_word("done")
            return For(name.text, items, body, self.trailing_redirects())
        cond = self.parse_list(("do",))
        self.expect_word("do")
        body = self.parse_list(("done",))
        self.expect_word("done")
        return Loop(cond, body, keyword == "until", self.trailing_redirects())


def parse(src: str) -> Sequence:
    """Parse a whole script or command line. Raises Incomplete or ShellSyntaxError."""
    parser = _Parser(tokenize(src))
    sequence = parser.parse_list()
    if parser.peek().kind != "eof":
        parser.fail()
    return sequence


def is_name(text: str) -> bool:
    return bool(_NAME.match(text))


def lone_simple(tree: Sequence) -> Simple | None:
    """The command of a script that is one simple command and nothing else."""
    if len(tree.items) != 1 or tree.items[0][1]:
        return None
    and_or = tree.items[0][0]
    if and_or.ops or len(and_or.parts[0].commands) != 1 or and_or.parts[0].negate:
        return None
    command = and_or.parts[0].commands[0]
    return command if isinstance(command, Simple) else None


def never_changes(cond: Sequence, until: bool) -> bool:
    """`while true`, `while :`, `until false`: a condition no pass can change."""
    command = lone_simple(cond)
    if command is None or command.assigns or command.redirects:
        return False
    return command.words == (["false"] if until else ["true"]) or (
        not until and command.words == [":"])
