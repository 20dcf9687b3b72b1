"""Tokens and syntax tree for the small `sh -c` language that container commands are written in.

Key decision: words keep their quoting (a list of literal and expandable parts) until the
interpreter expands them, so `'$HOME'` stays literal while `"$HOME"` and `$(date)` expand at the
moment the command runs, as in a real shell. Only what container commands use is supported:
`;` `&&` `||` `|` `&`, newlines, redirections, `while`/`until`/`for`/`if`, `{ }` and `( )`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

OPERATORS = ("2>&1", "1>&2", "&&", "||", ";;", ">>", ">&", "<&", "2>", ";", "&", "|", "<", ">", "(", ")", "\n")
RESERVED = {"while", "until", "do", "done", "for", "in", "if", "then", "elif", "else", "fi",
            "{", "}", "!"}


class ShellSyntaxError(ValueError):
    pass


@dataclass
class Word:
    """A word as parts: ("lit", text) literal, ("var", text) expandable but not field-split
    (inside double quotes), ("bare", text) expandable and field-split (unquoted)."""

    parts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def literal(self) -> str | None:
        """The word's text when it contains nothing to expand."""
        if all(kind == "lit" or "$" not in text and "`" not in text for kind, text in self.parts):
            return "".join(text for _, text in self.parts)
        return None


@dataclass
class Redirect:
    op: str  # ">", ">>", "<", ">&", "2>", "2>&1", "1>&2"
    target: Word


@dataclass
class Simple:
    words: list[Word]
    redirects: list[Redirect] = field(default_factory=list)


@dataclass
class Loop:
    until: bool
    condition: "Script"
    body: "Script"


@dataclass
class ForLoop:
    name: str
    items: list[Word]
    body: "Script"


@dataclass
class If:
    branches: list[tuple["Script", "Script"]]
    otherwise: "Script | None"


@dataclass
class Group:
    body: "Script"
    subshell: bool


@dataclass
class Pipeline:
    commands: list
    negate: bool = False


@dataclass
class AndOr:
    first: Pipeline
    rest: list[tuple[str, Pipeline]]
    background: bool = False


@dataclass
class Script:
    items: list[AndOr]


def tokenize(text: str) -> list[str | Word]:
    """Operators come out as str, words as Word."""
    tokens: list[str | Word] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r":
            i += 1
            continue
        if ch == "#" and (not tokens or isinstance(tokens[-1], str)):
            while i < n and text[i] != "\n":
                i += 1
            continue
        if ch == "\\" and i + 1 < n and text[i + 1] == "\n":
            i += 2
            continue
        operator = next((op for op in OPERATORS if text.startswith(op, i)), None)
        if operator == "2>" and tokens and not isinstance(tokens[-1], str) and text[i - 1] not in " \t":
            operator = None  # `x2>` is a word followed by `>`
        if operator:
            tokens.append(operator)
            i += len(operator)
            continue
        word, i = _read_word(text, i)
        tokens.append(word)
    return tokens


def _read_word(text: str, i: int) -> tuple[Word, int]:
    word = Word()
    n = len(text)
    while i < n and text[i] not in " \t\r\n;&|<>()":
        ch = text[i]
        if ch == "'":
            end = text.find("'", i + 1)
            if end < 0:
                raise ShellSyntaxError("Syntax error: Unterminated quoted string")
            word.parts.append(("lit", text[i + 1:end]))
            i = end + 1
        elif ch == '"':
            i += 1
            chunk = []
            while i < n and text[i] != '"':
                if text[i] == "\\" and i + 1 < n and text[i + 1] in '"\\$`':
                    chunk.append("\\" + text[i + 1] if text[i + 1] in "$`" else text[i + 1])
                    i += 2
                    continue
                if text.startswith("$(", i):
                    end = _matching_paren(text, i + 1)
                    chunk.append(text[i:end + 1])
                    i = end + 1
                    continue
                chunk.append(text[i])
                i += 1
            if i >= n:
                raise ShellSyntaxError("Syntax error: Unterminated quoted string")
            word.parts.append(("var", "".join(chunk)))
            i += 1
        elif ch == "\\" and i + 1 < n:
            word.parts.append(("lit", text[i + 1]))
            i += 2
        elif text.startswith("$(", i):
            end = _matching_paren(text, i + 1)
            word.parts.append(("bare", text[i:end + 1]))
            i = end + 1
        elif ch == "`":
            end = text.find("`", i + 1)
            if end < 0:
                raise ShellSyntaxError("Syntax error: Unterminated quoted string")
            word.parts.append(("bare", text[i:end + 1]))
            i = end + 1
        else:
            start = i
            while i < n and text[i] not in " \t\r\n;&|<>()'\"\\`" and not text.startswith("$(", i):
                i += 1
            word.parts.append(("bare", text[start:i]))
    return word, i


def _matching_paren(text: str, open_at: int) -> int:
    depth = 0
    for index in range(open_at, len(text)):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")":
            depth -= 1
            if depth == 0:
                return index
    raise ShellSyntaxError("Syntax error: end of file unexpected (expecting \")\")")


class Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.pos = 0

    def parse(self) -> Script:
        script = self._script(())
        if self.pos < len(self.tokens):
            raise ShellSyntaxError(f'Syntax error: "{self._text(self.tokens[self.pos])}" unexpected')
        return script

    # ------------------------------------------------------------------ helpers
    def _peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    @staticmethod
    def _text(token) -> str:
        return token if isinstance(token, str) else (token.literal or "word")

    def _is_reserved(self, token, names) -> bool:
        return isinstance(token, Word) and token.literal in names

    def _expect(self, name: str) -> None:
        token = self._peek()
        if not self._is_reserved(token, (name,)) and token != name:
            found = "end of file" if token is None else f'"{self._text(token)}"'
            raise ShellSyntaxError(f"Syntax error: {found} unexpected (expecting \"{name}\")")
        self.pos += 1

    def _skip_newlines(self) -> None:
        while self._peek() in ("\n", ";"):
            self.pos += 1

    # ------------------------------------------------------------------ grammar
    def _script(self, stop: tuple[str, ...]) -> Script:
        items: list[AndOr] = []
        while True:
            while self._peek() in ("\n", ";"):
                self.pos += 1
            token = self._peek()
            if token is None or token == ")" or self._is_reserved(token, stop):
                return Script(items)
            items.append(self._and_or(stop))
            if self._peek() == "&":
                items[-1].background = True
                self.pos += 1

    def _and_or(self, stop) -> AndOr:
        first = self._pipeline(stop)
        rest = []
        while self._peek() in ("&&", "||"):
            op = self._peek()
            self.pos += 1
            while self._peek() == "\n":
                self.pos += 1
            rest.append((op, self._pipeline(stop)))
        return AndOr(first, rest)

    def _pipeline(self, stop) -> Pipeline:
        negate = False
        if self._is_reserved(self._peek(), ("!",)):
            negate = True
            self.pos += 1
        commands = [self._command(stop)]
        while self._peek() == "|":
            self.pos += 1
            commands.append(self._command(stop))
        return Pipeline(commands, negate)

    def _command(self, stop):
        token = self._peek()
        if self._is_reserved(token, ("while", "until")):
            self.pos += 1
            condition = self._script(("do",))
            self._expect("do")
            body = self._script(("done",))
            self._expect("done")
            return Loop(token.literal == "until", condition, body)
        if self._is_reserved(token, ("for",)):
            self.pos += 1
            name = self._peek()
            self.pos += 1
            items: list[Word] = []
            if self._is_reserved(self._peek(), ("in",)):
                self.pos += 1
                while isinstance(self._peek(), Word) and not self._is_reserved(self._peek(), ("do",)):
                    items.append(self._peek())
                    self.pos += 1
            self._skip_newlines()
            self._expect("do")
            body = self._script(("done",))
            self._expect("done")
            return ForLoop(name.literal if isinstance(name, Word) else "", items, body)
        if self._is_reserved(token, ("if",)):
            self.pos += 1
            branches = []
            otherwise = None
            while True:
                condition = self._script(("then",))
                self._expect("then")
                branches.append((condition, self._script(("elif", "else", "fi"))))
                token = self._peek()
                self.pos += 1
                if self._is_reserved(token, ("elif",)):
                    continue
                if self._is_reserved(token, ("else",)):
                    otherwise = self._script(("fi",))
                    self._expect("fi")
                elif not self._is_reserved(token, ("fi",)):
                    raise ShellSyntaxError('Syntax error: end of file unexpected (expecting "fi")')
                return If(branches, otherwise)
        if self._is_reserved(token, ("{",)):
            self.pos += 1
            body = self._script(("}",))
            self._expect("}")
            return Group(body, False)
        if token == "(":
            self.pos += 1
            body = self._script(())
            self._expect(")")
            return Group(body, True)
        return self._simple(stop)

    def _simple(self, stop) -> Simple:
        words: list[Word] = []
        redirects: list[Redirect] = []
        while True:
            token = self._peek()
            if isinstance(token, Word):
                if not words and self._is_reserved(token, stop):
                    break
                words.append(token)
                self.pos += 1
            elif token in ("2>&1", "1>&2"):
                self.pos += 1
                redirects.append(Redirect(token, Word([("lit", "")])))
            elif token in (">", ">>", "<", ">&", "2>", "<&"):
                self.pos += 1
                target = self._peek()
                if not isinstance(target, Word):
                    raise ShellSyntaxError("Syntax error: redirection unexpected")
                redirects.append(Redirect(token, target))
                self.pos += 1
            else:
                break
        if not words and not redirects:
            found = "end of file" if self._peek() is None else f'"{self._text(self._peek())}"'
            raise ShellSyntaxError(f"Syntax error: {found} unexpected")
        return Simple(words, redirects)


def parse_script(text: str) -> Script:
    return Parser(text).parse()
