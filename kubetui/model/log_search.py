"""What `/text` means in a log view: where it matches in a shown line, and which kept lines match.

Key decisions: as the pod filter, the text is a case-insensitive regex, matched literally when
it is not a valid one (a half-typed `[pod` must not fail while it is typed). It is compiled
twice: over bytes, to scan the kept lines as they are stored (raw bytes; decoding 100,000 lines
to find one would cost more than the search), and over text, to highlight the few lines on
screen. Zero-width matches (`^`, `a*`) find lines but highlight nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["LogSearch", "compile_search"]


@dataclass(frozen=True)
class LogSearch:
    text: str
    text_pattern: re.Pattern[str]
    bytes_pattern: re.Pattern[bytes]
    literal: bool = False  # not a valid regex: matched as typed

    def spans(self, shown: str) -> list[tuple[int, int]]:
        """Where the search matches in a line as shown: (start, end) pairs, none empty."""
        return [match.span() for match in self.text_pattern.finditer(shown) if match.end() > match.start()]

    def matches(self, line: bytes) -> bool:
        return self.bytes_pattern.search(line) is not None

    def first_in(self, lines: Sequence[bytes], backwards: bool = False) -> int | None:
        """Index of the first line of ``lines`` that matches (the last one with ``backwards``)."""
        search = self.bytes_pattern.search
        indexes = range(len(lines) - 1, -1, -1) if backwards else range(len(lines))
        return next((index for index in indexes if search(lines[index]) is not None), None)


def compile_search(text: str) -> LogSearch | None:
    """The search ``text`` asks for; None for empty text (no search)."""
    if not text:
        return None
    try:  # both or neither: `\u00e9` is a valid text pattern but not a bytes one
        return LogSearch(text, re.compile(text, re.IGNORECASE), re.compile(text.encode(), re.IGNORECASE))
    except (re.error, OverflowError):
        escaped = re.escape(text)
        return LogSearch(text, re.compile(escaped, re.IGNORECASE), re.compile(escaped.encode(), re.IGNORECASE),
                         literal=True)
