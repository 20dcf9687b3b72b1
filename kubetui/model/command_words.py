"""Splitting a command line into words the way a POSIX shell quotes them.

Quoting follows bash (and `shlex.split`): single quotes keep everything, double quotes keep
everything but `\\` before `\\ " $ `` ` and newline, a backslash outside quotes keeps the next
character. Key decisions: every word remembers where each of its characters came from in the
line, so completion can replace exactly the part being typed, even inside quotes; and unquoted
shell operators (`|`, `;`, `&`, `<`, `>`, parentheses, backquotes) are refused with a hint,
because kubetui runs no local shell and passing them on silently would do something else than
the same line typed in bash. `$` is kept as typed (nothing is expanded here).
"""

from __future__ import annotations

from dataclasses import dataclass

_BLANKS = " \t\n"
_OPERATORS = "|&;<>()`"
_ESCAPABLE_IN_DOUBLE = '\\"$`\n'


class WordsError(ValueError):
    """A line that cannot be split into words; the message is one line for the user."""


@dataclass(frozen=True)
class Word:
    text: str
    start: int                     # offset of the word's first character in the line
    end: int                       # offset just past its last character
    offsets: tuple[int, ...]       # offset in the line of each character of `text`
    quoted: bool = False           # any part of it was quoted or escaped

    def offset_of(self, index: int) -> int:
        """The line offset where text[index:] begins (the word's end for index == len(text))."""
        return self.offsets[index] if index < len(self.offsets) else self.end


@dataclass(frozen=True)
class Split:
    words: tuple[Word, ...]
    open_quote: str | None = None  # the quote left open at the end (lenient splitting only)
    trailing_blank: bool = False   # the line ends between words


def split_words(line: str, *, lenient: bool = False) -> Split:
    """The words of `line`. Strict: an unclosed quote or a shell operator raises WordsError.

    Lenient (for completion of a line still being typed): an open quote ends the last word,
    operators are kept as characters.
    """
    words: list[Word] = []
    text: list[str] = []
    offsets: list[int] = []
    start = -1
    quoted = False
    i, n = 0, len(line)

    def finish(end: int) -> None:
        nonlocal text, offsets, start, quoted
        if start >= 0:
            words.append(Word("".join(text), start, end, tuple(offsets), quoted))
        text, offsets, start, quoted = [], [], -1, False

    def begin(at: int) -> None:
        nonlocal start
        if start < 0:
            start = at

    while i < n:
        ch = line[i]
        if ch in _BLANKS:
            finish(i)
            i += 1
            continue
        begin(i)
        if ch == "'":
            close = line.find("'", i + 1)
            quoted = True
            if close < 0:
                if not lenient:
                    raise WordsError("error: the single quote opened at column "
                                     f"{i + 1} is never closed (add a closing ')")
                text.extend(line[i + 1:])
                offsets.extend(range(i + 1, n))
                finish(n)
                return Split(tuple(words), open_quote="'")
            text.extend(line[i + 1:close])
            offsets.extend(range(i + 1, close))
            i = close + 1
        elif ch == '"':
            quoted = True
            j = i + 1
            while j < n and line[j] != '"':
                if line[j] == "\\" and j + 1 < n and line[j + 1] in _ESCAPABLE_IN_DOUBLE:
                    if line[j + 1] != "\n":  # backslash-newline joins lines
                        text.append(line[j + 1])
                        offsets.append(j + 1)
                    j += 2
                    continue
                text.append(line[j])
                offsets.append(j)
                j += 1
            if j >= n:
                if not lenient:
                    raise WordsError("error: the double quote opened at column "
                                     f'{i + 1} is never closed (add a closing ")')
                finish(n)
                return Split(tuple(words), open_quote='"')
            i = j + 1
        elif ch == "\\":
            quoted = True
            if i + 1 >= n:
                if not lenient:
                    raise WordsError("error: the line ends with a \\ that escapes nothing")
                i += 1
                continue
            if line[i + 1] != "\n":
                text.append(line[i + 1])
                offsets.append(i + 1)
            i += 2
        else:
            if ch in _OPERATORS and not lenient:
                raise WordsError(
                    f'error: unquoted "{ch}" is shell syntax, and kubetui runs no local shell: '
                    f"quote it to pass it on (e.g. -- /bin/sh -c \"ls | grep lib\")")
            text.append(ch)
            offsets.append(i)
            i += 1
    finish(n)
    trailing = bool(line) and line[-1] in _BLANKS and not (words and words[-1].end == n)
    return Split(tuple(words), trailing_blank=trailing)


def words_of(line: str) -> list[str]:
    """Just the texts (strict)."""
    return [word.text for word in split_words(line).words]
