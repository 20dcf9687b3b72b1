"""The manifest editor: a Textual TextArea with YAML colours, the cursor's line and column on its
border (the local check reports problems by line) and a way to jump to a line.

Key decision: Textual highlights YAML only with the optional tree-sitter packages, which
kubetui does not depend on; `_build_highlight_map` (the hook TextArea calls after every edit)
is filled from our own line scanner instead (`yaml_highlight.py`), with the same highlight
names, so the theme's colours apply. Offsets are converted to UTF-8 bytes as TextArea expects.
The hook runs on the UI thread after every edit, so each line's spans are kept, keyed by its text
and the block-scalar state it starts in: an edit rescans only the lines it changed, and a
keystroke in a pasted megabyte costs a dictionary lookup per line.
"""

from __future__ import annotations

from textual.widgets import TextArea

from kubetui.ui.widgets.yaml_highlight import Span, highlight_line

_LineSpans = tuple[list[Span] | None, int | None]  # byte-offset spans, block state after the line


class ManifestEditor(TextArea):
    """Shows and edits one manifest text; the panel reads `.text`."""

    DEFAULT_CSS = """
    ManifestEditor { height: 1fr; border: round $panel-lighten-2; }
    ManifestEditor:focus { border: round $accent; }
    """

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(text, id=id, soft_wrap=False, show_line_numbers=True, tab_behavior="indent",
                         theme="monokai")
        self.indent_type = "spaces"
        self.indent_width = 2
        self.border_subtitle = cursor_location((0, 0))

    def watch_selection(self, selection) -> None:
        self.border_subtitle = cursor_location(selection.end)

    def _build_highlight_map(self) -> None:
        self._line_cache.clear()
        highlights = self._highlights
        highlights.clear()
        known: dict[tuple[str, int | None], _LineSpans] = getattr(self, "_known_spans", {})
        kept: dict[tuple[str, int | None], _LineSpans] = {}
        block: int | None = None
        for number, line in enumerate(self.document.lines):
            key = (line, block)
            entry = known.get(key)
            if entry is None:
                spans, after = highlight_line(line, block)
                entry = (_byte_spans(line, spans) if spans else None, after)
            kept[key] = entry
            if entry[0]:
                highlights[number] = entry[0]
            block = entry[1]
        self._known_spans = kept  # only the lines of this text: the cache never outgrows it

    def go_to_line(self, line: int, column: int = 1) -> None:
        """Put the cursor on a 1-based line and column and show it."""
        row = max(0, min(line - 1, self.document.line_count - 1))
        col = max(0, column - 1)
        self.move_cursor((row, min(col, len(self.document.get_line(row)))), center=True)


def cursor_location(location: tuple[int, int]) -> str:
    """`Ln 7, Col 21`: 1-based, as editors and the check's problems count."""
    row, column = location
    return f"Ln {row + 1}, Col {column + 1}"


def _byte_spans(line: str, spans: list[Span]) -> list[Span]:
    if line.isascii():
        return spans
    return [(_byte_offset(line, start), _byte_offset(line, end), name) for start, end, name in spans]


def _byte_offset(line: str, index: int) -> int:
    return len(line[:index].encode("utf-8"))
