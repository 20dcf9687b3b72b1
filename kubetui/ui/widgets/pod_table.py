"""The pod table: a virtualized Line API widget that draws only the rows on screen.

Key decisions: rows live in the pure `PodTable` model (keyed, sorted, filtered); this widget
only maps screen lines to rows, so 50,000 pods cost the same per frame as 50 (Textual's
DataTable re-renders every visible cell on any update and removes rows in linear time; see
/work/shared/reference/textual-notes.md). The header is line 0 and never scrolls away. AGE and
RESTARTS are rendered from the row's instants at `now`, so a clock tick is one refresh of the
visible lines and no request. A header click sorts; the widget never calls the API.
"""

from __future__ import annotations

from datetime import datetime, timezone

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from kubetui.model import COLUMN_KEYS, PodRow, PodTable, TableChange, age_text, restarts_text, status_tone

COLUMNS = ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"]
GAP = 3  # kubectl's column padding
_SORT_MARKS = {False: "↑", True: "↓"}


class PodTableView(ScrollView, can_focus=True):
    """Shows a `PodTable`; the screen feeds it changes and the clock."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False),
        Binding("k,up", "cursor_up", "Up", show=False),
        Binding("g,home", "cursor_top", "Top", show=False),
        Binding("G,end", "cursor_bottom", "Bottom", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("left", "scroll_left", "Scroll left (narrow terminals)", show=False),
        Binding("right", "scroll_right", "Scroll right", show=False),
    ]

    COMPONENT_CLASSES = {
        "pod-table--header", "pod-table--cursor", "pod-table--ok", "pod-table--pending",
        "pod-table--error", "pod-table--done", "pod-table--terminating", "pod-table--stale",
    }

    DEFAULT_CSS = """
    PodTableView { height: 1fr; background: $surface; }
    PodTableView > .pod-table--header { text-style: bold; background: $panel; color: $foreground; }
    PodTableView > .pod-table--cursor { background: $block-cursor-background; text-style: bold; }
    PodTableView > .pod-table--ok { color: $success; }
    PodTableView > .pod-table--pending { color: $warning; }
    PodTableView > .pod-table--error { color: $error; text-style: bold; }
    PodTableView > .pod-table--done { text-style: dim; }
    PodTableView > .pod-table--terminating { color: magenta; }
    PodTableView > .pod-table--stale { text-style: dim italic; }
    """

    class SortChanged(Message):
        """The user sorted by clicking a header."""

        def __init__(self, sort: str, reverse: bool) -> None:
            super().__init__()
            self.sort = sort
            self.reverse = reverse

    def __init__(self, table: PodTable, *, show_namespace: bool = False, id: str | None = None) -> None:
        self._styles: dict[tuple, Style] = {}
        super().__init__(id=id)
        self.table = table
        self.now = datetime.now(timezone.utc)
        self.stale = False
        self._show_namespace = show_namespace
        self._layout: list[tuple[str, int, int]] = []  # (column, x, width)
        self._relayout()

    # -- what the screen calls -------------------------------------------------------------
    @property
    def columns(self) -> list[str]:
        return (["NAMESPACE"] if self._show_namespace else []) + COLUMNS

    def set_show_namespace(self, show: bool) -> None:
        self._show_namespace = show
        self.table_changed(None)

    def table_changed(self, change: TableChange | None) -> None:
        """Redraw after the model changed: only changed visible lines when the order held."""
        layout_changed = self._relayout()
        if change is None or change.order_changed or layout_changed:
            self.refresh()
            self.scroll_to_cursor()
            return
        top, bottom = self._visible_range()
        for key in change.changed:
            index = self.table.index_of(key)
            if index is not None and top <= index < bottom:
                self.refresh_line(index + 1)

    def tick(self, now: datetime) -> None:
        """The clock moved: redraw the visible lines (AGE, RESTARTS) without any request."""
        self.now = now
        self.refresh()

    def set_stale(self, stale: bool) -> None:
        if stale != self.stale:
            self.stale = stale
            self._styles.clear()
            self.refresh()

    # -- cursor ------------------------------------------------------------------------------
    def move_cursor_to(self, index: int) -> None:
        before = self.table.cursor_index
        self.table.set_cursor(index)
        after = self.table.cursor_index
        if not self.scroll_to_cursor():
            self.refresh_line(before + 1)
            self.refresh_line(after + 1)

    def scroll_to_cursor(self) -> bool:
        """Scroll so the cursor row shows; True if that scrolled (the whole view redraws)."""
        index = self.table.cursor_index
        rows_shown = max(1, self.scrollable_content_region.height - 1)
        top = round(self.scroll_y)
        target = index if index < top else index - rows_shown + 1 if index >= top + rows_shown else top
        if target == top:
            return False
        # force: right after rows arrive the scrollbar may not be laid out yet, which blocks scrolling
        self.scroll_to(y=target, animate=False, immediate=True, force=True)
        return True

    def action_cursor_down(self) -> None:
        self.move_cursor_to(self.table.cursor_index + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor_to(self.table.cursor_index - 1)

    def action_cursor_top(self) -> None:
        self.move_cursor_to(0)

    def action_cursor_bottom(self) -> None:
        self.move_cursor_to(self.table.visible_count - 1)

    def action_page_down(self) -> None:
        self.move_cursor_to(self.table.cursor_index + self._page())

    def action_page_up(self) -> None:
        self.move_cursor_to(self.table.cursor_index - self._page())

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 2)

    def _visible_range(self) -> tuple[int, int]:
        top = round(self.scroll_y)
        return top, top + self.scrollable_content_region.height - 1

    # -- mouse -------------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            column = self.column_at(offset.x + round(self.scroll_x))
            if column is not None:
                self.table.sort_by(COLUMN_KEYS[column])
                self.table_changed(None)
                self.post_message(self.SortChanged(*self.table.sort))
            return
        self.move_cursor_to(round(self.scroll_y) + offset.y - 1)

    def column_x(self, column: str) -> int:
        """Where ``column`` starts in the table (before horizontal scrolling)."""
        return next(start for name, start, _ in self._layout if name == column)

    def column_at(self, x: int) -> str | None:
        for column, start, width in self._layout:
            if start <= x < start + width + GAP:
                return column
        return None

    # -- drawing -----------------------------------------------------------------------------
    def _relayout(self) -> bool:
        layout, x = [], 0
        for column in self.columns:
            width = self.table.width(column)
            layout.append((column, x, width))
            x += width + GAP
        changed = layout != self._layout
        self._layout = layout
        self.virtual_size = Size(max(0, x - GAP), self.table.visible_count + 1)
        return changed

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()  # theme or CSS changed: recompute the cached styles

    def _style(self, part: str, cursor: bool = False, tone: str = "") -> Style:
        """Rich styles, computed once: `rich_style` walks every ancestor and costs ~50 µs."""
        key = (part, cursor, tone, self.stale)
        style = self._styles.get(key)
        if style is None:
            style = self.rich_style
            if part == "header":
                style += self.get_component_rich_style("pod-table--header")
            else:
                if self.stale:
                    style += self.get_component_rich_style("pod-table--stale")
                if cursor:
                    style += self.get_component_rich_style("pod-table--cursor")
                if tone and not self.stale:
                    style += self.get_component_rich_style(f"pod-table--{tone}", partial=True)
            self._styles[key] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._style("row")
        if y == 0:
            strip = self._header_strip()
        else:
            index = round(self.scroll_y) + y - 1
            row = self.table.row_at(index)
            if row is None:
                return Strip.blank(width, base)
            strip = self._row_strip(row, index == self.table.cursor_index)
        scroll_x = round(self.scroll_x)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _header_strip(self) -> Strip:
        style = self._style("header")
        sort, reverse = self.table.sort
        labels = []
        for column, _, width in self._layout:
            label = column + (_SORT_MARKS[reverse] if COLUMN_KEYS[column] == sort else "")
            labels.append(label.ljust(width + GAP)[: width + GAP])
        return Strip([Segment("".join(labels), style)]).extend_cell_length(
            self.scrollable_content_region.width, style)

    def _row_strip(self, row: PodRow, is_cursor: bool) -> Strip:
        style = self._style("row", is_cursor)
        segments = []
        plain = []  # consecutive cells in the row's own style become one segment
        for column, _, width in self._layout:
            text = self._cell(row, column)
            tone = status_tone(text) if column == "STATUS" else ""
            if tone:
                if plain:
                    segments.append(Segment("".join(plain), style))
                    plain = []
                segments.append(Segment(text[:width].ljust(width), self._style("row", is_cursor, tone)))
                plain.append(" " * GAP)
            else:
                plain.append(text[:width].ljust(width + GAP))
        if plain:
            segments.append(Segment("".join(plain), style))
        return Strip(segments).extend_cell_length(self.scrollable_content_region.width, style)

    def _cell(self, row: PodRow, column: str) -> str:
        if column == "AGE":
            return age_text(row, self.now)
        if column == "RESTARTS":
            return restarts_text(row, self.now)
        return getattr(row, COLUMN_KEYS[column])

