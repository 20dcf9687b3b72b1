"""One kept log line into the rows a `LogView` draws: source colours, timestamps, markers,
colour codes, search highlights, then cut (or wrapped) to the view's width.

Key decisions: the view hands in everything a row depends on (`RowSettings`), so a line
rendered once is reused until one of them changes; styles come from the view's component
classes (themes apply) except the source colours, a fixed palette in which each source keeps
the colour it first got (`model.log_display.SourceColours`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from kubetui.model.log_display import SOURCE_PALETTE_SIZE, SourceColours, split_line
from kubetui.model.log_search import LogSearch

PALETTE = ("cyan", "magenta", "green", "yellow", "bright_blue", "bright_red", "bright_cyan", "bright_magenta",
           "bright_green", "bright_yellow")
assert len(PALETTE) == SOURCE_PALETTE_SIZE


@dataclass(frozen=True)
class RowSettings:
    width: int
    wrap: bool = False
    x: int = 0  # first column shown when not wrapping
    prefixed: bool = False
    stamped: bool = False
    search: LogSearch | None = None
    current_match: int | None = None  # the line number of the current match


class LineRenderer:
    """``style_of(part)``: the view's style for "stamp", "marker", "match", "current-match"."""

    def __init__(self, style_of: Callable[[str], Style]) -> None:
        self.style_of = style_of
        self.colours = SourceColours()
        self._sources = [Style(color=colour, bold=True) for colour in PALETTE]

    def rows(self, raw: bytes, number: int, settings: RowSettings, base: Style, console: Console) -> list[Strip]:
        pieces = split_line(raw, prefixed=settings.prefixed, stamped=settings.stamped)
        text = Text(end="", no_wrap=True)
        if pieces.prefix:
            text.append(pieces.prefix, self._sources[self.colours.index(pieces.prefix)])
        if pieces.stamp:
            text.append(pieces.stamp, self.style_of("stamp"))
        if pieces.ansi:
            body = Text.from_ansi(pieces.text, end="")
            if "\x1b" in body.plain:  # a sequence the decoder left (not a colour): shown, not obeyed
                body.plain = body.plain.replace("\x1b", "\ufffd")
            text.append_text(body)
        else:
            text.append(pieces.text, self.style_of("marker") if pieces.marker else None)
        if settings.search is not None:
            style = self.style_of("current-match" if number == settings.current_match else "match")
            for start, stop in settings.search.spans(text.plain):
                text.stylize(style, start, stop)
        strip = Strip(list(Segment.apply_style(text.render(console), base)))
        width = settings.width
        if not settings.wrap:
            return [strip.crop_extend(settings.x, settings.x + width, base)]
        length = strip.cell_length
        if length <= width:
            return [strip.extend_cell_length(width, base)]
        cuts = [*range(width, length, width), length]
        return [piece.extend_cell_length(width, base) for piece in strip.divide(cuts) if piece.cell_length]
