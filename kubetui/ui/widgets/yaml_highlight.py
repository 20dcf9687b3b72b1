"""YAML highlighting without tree-sitter: a line scanner naming spans as Textual's YAML query does.

Textual's TextArea highlights YAML only with the optional tree-sitter packages; this gives the
same highlight names (`yaml.field`, `string`, `number`, `boolean`, `comment`, ...) from a small
scanner, so the theme colours apply. Key decision: it understands what manifests use (keys,
list dashes, quoted and plain scalars, comments, `---`, block scalars `|`/`>` by indentation),
not all of YAML; a span it misreads is only a colour.
"""

from __future__ import annotations

import re

Span = tuple[int, int, str]  # (start, end, highlight name), character offsets in the line

_KEY = re.compile(r"""^(\s*(?:-\s+)*)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s#'"{\[][^:#]*?)\s*:(?=\s|$)""")
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
    value = text[start:end].strip()
    if value:
        first = text.index(value, start)
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
    block_indent: int | None = None  # inside a block scalar: lines indented deeper are its text
    for number, text in enumerate(lines):
        indent = len(text) - len(text.lstrip(" "))
        if block_indent is not None:
            if not text.strip() or indent > block_indent:
                if text.strip():
                    out[number] = [(indent, len(text), "string")]
                continue
            block_indent = None
        stripped = text.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            out[number] = [(indent, len(text), "comment")]
            continue
        if text.startswith("---") or text.startswith("..."):
            out[number] = [(0, 3, "punctuation.special")] + _value_spans(text, 3)
            continue
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
            key_end = key_start + len(key.group(2))
            spans.append((key_start, key_end, "yaml.field"))
            colon = text.index(":", key_end)
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
        out[number] = spans
    return out
