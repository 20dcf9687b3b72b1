"""`TextPager`: a read-only text, scrollable both ways, with syntax colours and search matches.

Key decisions: the Line API (only the lines on screen are drawn, whatever the text's length);
replacing the text keeps the scroll offset and the current match's line, so a text refreshed
every two seconds does not jump under the reader. Search is a case-insensitive substring (no
pattern can be malformed); every match is highlighted and the current one stands out, `n`/`N`
moving through them (the owner binds the keys and calls `find`). Syntax colours come as spans
per line (`widgets.yaml_highlight`'s names) and use the theme the manifest editor uses.
"""

from __future__ import annotations

from bisect import bisect_left

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets.text_area import TextAreaTheme

from kubetui.ui.widgets.yaml_highlight import Span

__all__ = ["TextPager"]

# Control characters would reach the terminal as they are: shown as `^[` instead, as `cat -v` does.
_CONTROLS = {code: f"^{chr(code + 64)}" for code in range(32) if code != 10} | {127: "^?"}


class TextPager(ScrollView, can_focus=True):
    """Shows `lines`; `search(text)` highlights matches, `find(step)` moves the current one."""

    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
        Binding("g", "scroll_home", "Top", show=False),
        Binding("G", "scroll_end", "Bottom", show=False),
    ]

    COMPONENT_CLASSES = {"text-pager--match", "text-pager--current"}

    DEFAULT_CSS = """
    TextPager { height: 1fr; background: $surface; }
    TextPager > .text-pager--match { background: $warning 40%; }
    TextPager > .text-pager--current { background: $accent; color: $text; text-style: bold; }
    """

    def __init__(self, *, syntax_theme: str = "monokai", id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[str] = []
        self.spans: dict[int, list[Span]] = {}
        self.query_text = ""
        self.matches: list[tuple[int, int, int]] = []  # (line, start, end), in reading order
        self.current = -1  # index into `matches`, -1 for none
        theme = TextAreaTheme.get_builtin_theme(syntax_theme)
        self._syntax: dict[str, Style] = dict(theme.syntax_styles) if theme else {}

    # -- the text --------------------------------------------------------------------------
    def action_scroll_end(self) -> None:
        # At once, not animated: text that grows meanwhile (`set_text`) must find the view at the end.
        self.scroll_end(animate=False)

    def set_text(self, text: str, spans: dict[int, list[Span]] | None = None) -> None:
        """Show ``text``; the scroll offset stays, and the current match stays on its line. At
        the end already (`G`), the view stays at the end: what grows there (a describe's events)
        comes into sight."""
        at_end = self.max_scroll_y > 0 and self.scroll_y >= self.max_scroll_y
        current_line = self.matches[self.current][0] if 0 <= self.current < len(self.matches) else None
        self.lines = text.expandtabs(8).translate(_CONTROLS).split("\n")
        if self.lines and self.lines[-1] == "":
            self.lines.pop()
        self.spans = spans or {}
        width = max((Text(line).cell_len for line in self.lines), default=0)
        self.virtual_size = Size(width, len(self.lines))
        self._find_matches()
        if current_line is not None and self.matches:
            self.current = next((i for i, match in enumerate(self.matches) if match[0] >= current_line),
                                len(self.matches) - 1)
        if at_end:
            self.call_after_refresh(self.scroll_end, animate=False)
        self.refresh()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    # -- search ----------------------------------------------------------------------------
    def search(self, text: str) -> int:
        """Highlight every match of ``text`` (case-insensitive); the current one is the first
        at or below the top line. Returns how many there are."""
        self.query_text = text
        self._find_matches()
        top = round(self.scroll_y)
        self.current = next((i for i, match in enumerate(self.matches) if match[0] >= top), 0) if self.matches else -1
        self._show_current()
        self.refresh()
        return len(self.matches)

    def find(self, step: int) -> bool:
        """Move the current match by ``step`` (wrapping); False when there is none."""
        if not self.matches:
            return False
        self.current = (self.current + step) % len(self.matches) if self.current >= 0 else 0
        self._show_current()
        self.refresh()
        return True

    @property
    def current_line(self) -> int | None:
        return self.matches[self.current][0] if 0 <= self.current < len(self.matches) else None

    def _find_matches(self) -> None:
        self.matches = []
        needle = self.query_text.lower()
        if not needle:
            self.current = -1
            return
        for number, line in enumerate(self.lines):
            lowered, start = line.lower(), 0
            while (found := lowered.find(needle, start)) >= 0:
                self.matches.append((number, found, found + len(needle)))
                start = found + len(needle)
        if self.current >= len(self.matches):
            self.current = len(self.matches) - 1

    def _show_current(self) -> None:
        if not 0 <= self.current < len(self.matches):
            return
        line, start, end = self.matches[self.current]
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_y)
        y = top if top <= line < top + height else max(0, line - height // 3)
        width = max(1, self.scrollable_content_region.width)
        left = round(self.scroll_x)
        x = left if left <= start and end <= left + width else max(0, start - 4) if end > width else 0
        self.scroll_to(x=x, y=y, animate=False, immediate=True, force=True)

    # -- drawing ---------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        number = round(self.scroll_y) + y
        if not 0 <= number < len(self.lines):
            return Strip.blank(width, base)
        line = self.lines[number]
        text = Text(line, style=base, no_wrap=True, end="")
        for start, end, name in self.spans.get(number, ()):
            style = self._syntax.get(name)
            if style is not None:
                text.stylize(style, start, end)
        if self.matches:
            match_style = self.get_component_rich_style("text-pager--match", partial=True)
            current_style = self.get_component_rich_style("text-pager--current", partial=True)
            current = self.matches[self.current] if self.current >= 0 else None
            for match in self._matches_on(number):
                text.stylize(current_style if match == current else match_style, match[1], match[2])
        strip = Strip(text.render(self.app.console), text.cell_len)
        scroll_x = round(self.scroll_x)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _matches_on(self, number: int) -> list[tuple[int, int, int]]:
        index = bisect_left(self.matches, (number, -1, -1))
        found = []
        while index < len(self.matches) and self.matches[index][0] == number:
            found.append(self.matches[index])
            index += 1
        return found
