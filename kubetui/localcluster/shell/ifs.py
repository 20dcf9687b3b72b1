"""$IFS, the characters that split words after expansion and the lines `read` reads.

Key decision (POSIX, as bash and dash do it): IFS blanks (space, tab, newline) collapse and
vanish at both ends; any other IFS character ends a field by itself, so two in a row make an
empty field. An unset IFS means blank, tab and newline; an empty one splits nothing.
"""

from __future__ import annotations

BLANKS = " \t\n"


def ifs_of(shell) -> str:
    """The splitting characters of `shell` (anything with get and is_set)."""
    return (shell.get("IFS") or "") if shell.is_set("IFS") else BLANKS


def read_fields(line: str, ifs: str, count: int) -> list[str]:
    """What `read NAME…` (count names) assigns: one field per name, the rest to the last."""
    blanks = "".join(ch for ch in ifs if ch in BLANKS)
    text = line.strip(blanks)
    fields: list[str] = []
    while len(fields) < count - 1 and text:
        end = next((i for i, ch in enumerate(text) if ch in ifs), len(text))
        fields.append(text[:end])
        rest, skip = text[end:], 0
        while skip < len(rest) and rest[skip] in blanks:
            skip += 1
        if skip < len(rest) and rest[skip] in ifs and rest[skip] not in blanks:
            skip += 1
            while skip < len(rest) and rest[skip] in blanks:
                skip += 1
        text = rest[skip:]
    if text:
        fields.append(text)
    return fields + [""] * (count - len(fields))
