"""The manifest editor: a Textual TextArea with YAML colours and a way to jump to a line.

Key decision: Textual highlights YAML only with the optional tree-sitter packages, which
kubetui does not depend on; `_build_highlight_map` (the hook TextArea calls after every edit)
is filled from our own line scanner instead (`yaml_highlight.py`), with the same highlight
names, so the theme's colours apply. Offsets are converted to UTF-8 bytes as TextArea expects.
"""

from __future__ import annotations

from textual.widgets import TextArea

from kubetui.ui.widgets.yaml_highlight import highlight_lines


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

    def _build_highlight_map(self) -> None:
        self._line_cache.clear()
        highlights = self._highlights
        highlights.clear()
        lines = self.document.lines
        for number, spans in highlight_lines(lines).items():
            line = lines[number]
            for start, end, name in spans:
                highlights[number].append((_byte_offset(line, start), _byte_offset(line, end), name))

    def go_to_line(self, line: int, column: int = 1) -> None:
        """Put the cursor on a 1-based line and column and show it."""
        row = max(0, min(line - 1, self.document.line_count - 1))
        col = max(0, column - 1)
        self.move_cursor((row, min(col, len(self.document.get_line(row)))), center=True)


def _byte_offset(line: str, index: int) -> int:
    return len(line[:index].encode("utf-8"))
