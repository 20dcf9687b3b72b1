"""The `:` line's history: which lines may be kept, and finding one again.

Key decision: a secret never reaches the history file. Credentials given as flags (`--token`,
`--password`) are cut out of the line with their value (the rest of the line stays useful);
a line that carries a secret anywhere else (`create secret`, `--from-literal`, a bearer token,
`PASSWORD=...` in an exec command) is not kept at all, since no part of it can be told safe.
Pure: the caller reads and writes the file.
"""

from __future__ import annotations

import re

from kubetui.model.command_words import WordsError, split_words


__all__ = ["MAX_ENTRIES", "History", "storable"]

MAX_ENTRIES = 1000
_CREDENTIAL_FLAGS = ("--token", "--password")
_SECRET_WORDS = re.compile(
    r"(?i)(\bbearer\s|--from-literal|--docker-password|--from-env-file|"
    r"(password|passwd|secret|token|api[-_]?key|private[-_]?key)[\w.-]*\s*[=:])")


def storable(line: str) -> str | None:
    """The line as history may keep it, or None when it must not be kept (see the module doc)."""
    text = line.strip()
    if not text or "\n" in text:
        return None
    try:
        words = split_words(text, lenient=True).words
    except WordsError:
        return None
    plain = [word.text for word in words]
    if len(plain) >= 2 and plain[plain[0] == "kubectl":][:2] == ["create", "secret"]:
        return None
    cut: list[tuple[int, int]] = []
    index = 0
    while index < len(words):
        word = words[index].text
        name = word.partition("=")[0]
        if word == "--":
            break
        if name in _CREDENTIAL_FLAGS:
            last = index + 1 if "=" not in word and index + 1 < len(words) else index
            cut.append((words[index].start, words[last].end))
            index = last + 1
            continue
        index += 1
    for start, end in reversed(cut):
        text = text[:start].rstrip() + (" " if text[end:].strip() and text[:start].strip() else "") + text[end:].lstrip()
    text = text.strip()
    if not text or _SECRET_WORDS.search(text):
        return None
    return text


class History:
    """Lines, oldest first; a repeat of the newest is not added again."""

    def __init__(self, entries: list[str] | None = None, limit: int = MAX_ENTRIES) -> None:
        self.limit = limit
        self.entries: list[str] = [e for e in (storable(line) for line in entries or ()) if e][-limit:]

    def add(self, line: str) -> str | None:
        """Keep ``line`` (as `storable` makes it); returns what was kept, None if nothing."""
        kept = storable(line)
        if kept is None:
            return None
        if not self.entries or self.entries[-1] != kept:
            self.entries.append(kept)
            del self.entries[:-self.limit]
        return kept

    def search(self, query: str, before: int | None = None) -> int | None:
        """Index of the newest entry before ``before`` (default: the end) holding ``query``."""
        end = len(self.entries) if before is None else min(before, len(self.entries))
        lowered = query.lower()
        for index in range(end - 1, -1, -1):
            if lowered in self.entries[index].lower():
                return index
        return None
