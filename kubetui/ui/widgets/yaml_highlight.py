"""YAML highlighting without tree-sitter: a line scanner naming spans as Textual's YAML query does.

Textual's TextArea highlights YAML only with the optional tree-sitter packages; this gives the
same highlight names (`yaml.field`, `string`, `number`, `boolean`, `comment`, ...) from a small
scanner, so the theme colours apply. Key decision: it understands what manifests use (keys,
list dashes, quoted and plain scalars, comments, `---`, block scalars `|`/`>` by indentation),
not all of YAML; a span it misreads is only a colour. It runs on the UI thread after every edit,
so it must be linear in any line, however hostile: the patterns never backtrack over a choice
(a key cannot start with `- `, which the dashes before it take; a plain key runs greedily to
the first `:` or `#`), and `highlight_line` carries the block-scalar state so an editor can
reuse the spans of lines that did not change.
"""

from __future__ import annotations

import re

Span = tuple[int, int, str]  # (start, end, highlight name), character offsets in the line

_KEY = re.compile(r"""^(\s*(?:-\s+)*)(?:("(?:[^"\\]|\\.)*"|'[^']*')\s*|((?!-\s)[^\s#'"{\[][^:#]*)):(?=\s|$)""")
_DASHES = re.compile(r"^(\s*)((?:-\s+)+)")
_NUMBER = re.compile(r"^[-+]?(\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|\.\d+|0x[0-9a-fA-F]+|\.inf|\.nan)$")
_BOOLEAN = {"true", "false", "True", "False", "TRUE", "FALSE", "yes", "no", "on", "off", "Yes", "No"}
_NULL = {"null", "Null", "NULL", "~"}
_BLOCK = re.compile(r"[|>][-+0-9]*\s*(#.*)?$")


def _comment_start(text: str, start: int) -> int:
    """Where a ` #` comment begins at or after `start` (outside quotes), or -1."""
    quote = ""
    for index in range(start, len(text)):
        ch = text[index]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'" and (index == start or text[index - 1] in " [{,:"):
            quote = ch
        elif ch == "#" and (index == 0 or text[index - 1] in " \t"):
            return index
    return -1


def _value_spans(text: str, start: int) -> list[Span]:
    spans: list[Span] = []
    comment = _comment_start(text, start)
    end = comment if comment >= 0 else len(text)
    segment = text[start:end]
    value = segment.strip()
    if value:
        first = start + len(segment) - len(segment.lstrip())
        last = first + len(value)
        if value[0] in "\"'":
            spans.append((first, last, "string"))
        elif _BLOCK.match(value):
            spans.append((first, first + 1, "punctuation.delimiter"))
        elif _NUMBER.match(value):
            spans.append((first, last, "number"))
        elif value in _BOOLEAN:
            spans.append((first, last, "boolean"))
        elif value in _NULL:
            spans.append((first, last, "constant.builtin"))
        elif value[0] in "[{":
            spans.append((first, last, "punctuation.bracket"))
        else:
            spans.append((first, last, "string"))
    if comment >= 0:
        spans.append((comment, len(text), "comment"))
    return spans


def highlight_lines(lines: list[str]) -> dict[int, list[Span]]:
    """Highlight spans per line index for a whole document."""
    out: dict[int, list[Span]] = {}
    block_indent: int | None = None
    for number, text in enumerate(lines):
        spans, block_indent = highlight_line(text, block_indent)
        if spans is not None:
            out[number] = spans
    return out


def highlight_line(text: str, block_indent: int | None) -> tuple[list[Span] | None, int | None]:
    """(spans or None, block indent for the next line) of one line. `block_indent` is not None
    inside a block scalar: lines indented deeper than it are its text."""
    indent = len(text) - len(text.lstrip(" "))
    if block_indent is not None:
        if not text.strip() or indent > block_indent:
            return ([(indent, len(text), "string")] if text.strip() else None), block_indent
        block_indent = None
    stripped = text.strip()
    if not stripped:
        return None, None
    if stripped.startswith("#"):
        return [(indent, len(text), "comment")], None
    if text.startswith(("---", "...")):
        return [(0, 3, "punctuation.special")] + _value_spans(text, 3), None
    spans: list[Span] = []
    dashes = _DASHES.match(text)
    if dashes:
        for offset, ch in enumerate(dashes.group(2)):
            if ch == "-":
                position = len(dashes.group(1)) + offset
                spans.append((position, position + 1, "punctuation.delimiter"))
    key = _KEY.match(text)
    if key:
        key_start = len(key.group(1))
        key_end = key_start + len(key.group(2) or key.group(3).rstrip())
        spans.append((key_start, key_end, "yaml.field"))
        colon = key.end() - 1
        spans.append((colon, colon + 1, "punctuation.delimiter"))
        value_spans = _value_spans(text, colon + 1)
        if any(name == "punctuation.delimiter" for _, _, name in value_spans):
            block_indent = key_start  # its text is indented deeper than its key
        spans += value_spans
    else:
        value_spans = _value_spans(text, dashes.end() if dashes else indent)
        if dashes and any(name == "punctuation.delimiter" for _, _, name in value_spans):
            block_indent = text.rfind("-", 0, dashes.end())  # its text is deeper than the dash
        spans += value_spans
    return spans, block_indent
