"""A live table widget: a virtualized Line API view of a `KeyedTable` that draws only the rows on screen.

Key decisions: rows live in the pure model (keyed, sorted, filtered); this widget only maps
screen lines to rows, so 50,000 rows cost the same per frame as 50 (Textual's DataTable
re-renders every visible cell on any update and removes rows in linear time: under a watch
flood its keys lagged ~100 ms at 10,000 rows). The header is line 0 and never scrolls away. The
widget remembers what each screen line shows (row, cursor, the texts that tick) and after a
change or a clock tick redraws only the lines that differ; ticking texts are rendered from the
row's instants at `now`, so ticking needs no request. A header click sorts; it never calls the
API. Subclasses say only what a line shows: their columns, headers, sort keys and cells, as
Textual's Line API has subclasses say what `render_line` draws.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import datetime, timezone
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from kubetui.model import status_tone
from kubetui.model.keyed_table import KeyedTable, TableChange

GAP = 3  # kubectl's column padding
_SORT_MARKS = {False: "↑", True: "↓"}


class KeyedTableView(ScrollView, can_focus=True):
    """Shows a `KeyedTable`; the screen feeds it changes and the clock."""

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
        "pod-table--applied",  # rows the apply panel just created or changed
    }

    DEFAULT_CSS = """
    KeyedTableView { height: 1fr; background: $surface; }
    KeyedTableView > .pod-table--header { text-style: bold; background: $panel; color: $foreground; }
    KeyedTableView > .pod-table--cursor { background: $block-cursor-background; text-style: bold; }
    KeyedTableView > .pod-table--ok { color: $success; }
    KeyedTableView > .pod-table--pending { color: $warning; }
    KeyedTableView > .pod-table--error { color: $error; text-style: bold; }
    KeyedTableView > .pod-table--done { text-style: dim; }
    KeyedTableView > .pod-table--terminating { color: magenta; }
    KeyedTableView > .pod-table--stale { text-style: dim italic; }
    KeyedTableView > .pod-table--applied { background: $success 25%; }
    """

    class SortChanged(Message):
        """The user sorted by clicking a header."""

        def __init__(self, sort: str, reverse: bool) -> None:
            super().__init__()
            self.sort = sort
            self.reverse = reverse

    def __init__(self, table: KeyedTable, *, show_namespace: bool = False, id: str | None = None) -> None:
        self._styles: dict[tuple, Style] = {}
        # screen line -> (key, is cursor, ticking texts) as last drawn, or None for a blank line
        self._drawn: dict[int, tuple[str, bool, Hashable] | None] = {}
        self._anchoring = False
        self._drawn_top = 0  # the scroll offset the first table line was drawn at
        self.highlighted: set[str] = set()  # keys of the rows the apply panel just created or changed
        super().__init__(id=id)
        self.table = table
        self.now = datetime.now(timezone.utc)
        self.stale = False
        self._show_namespace = show_namespace
        self._layout: list[tuple[Any, int, int]] = []  # (column, x, width)
        self._widths: list[int] = []  # the layout's widths alone, for drawing cells
        self._line_width = 0  # the width of the line being drawn
        self._status_at: frozenset[int] = frozenset()  # the layout columns coloured by their STATUS tone
        self._relayout()

    # -- what a subclass says: the columns and what a line shows ------------------------
    @property
    def columns(self) -> list:
        """The columns in drawing order, as `_header`, `_sort_key` and `_width` know them."""
        raise NotImplementedError

    def _header(self, column) -> str:
        raise NotImplementedError

    def _sort_key(self, column) -> str:
        raise NotImplementedError

    def _width(self, column) -> int:
        raise NotImplementedError

    def _is_status(self, column) -> bool:
        """Whether ``column``'s cells are coloured by their STATUS tone."""
        raise NotImplementedError

    def _ticking(self, row) -> Hashable:
        """The row's texts that change with the clock, at `now`: a line redraws when they do."""
        raise NotImplementedError

    def _row_strip(self, row, is_cursor: bool, ticking: Any) -> Strip:
        """The line of ``row``, from `_cells_strip`."""
        raise NotImplementedError

    # -- what the screen calls -------------------------------------------------------------
    @property
    def headers(self) -> list[str]:
        return [self._header(column) for column in self.columns]

    def set_show_namespace(self, show: bool) -> None:
        self._show_namespace = show
        self.table_changed(None)

    def table_changed(self, change: TableChange | None) -> None:
        """Redraw after the model changed: only the screen lines whose content changed.

        When rows come or go above the screen, the scroll offset follows the row on the top
        line, so what is on screen stays put and rows elsewhere cost nothing.
        """
        layout_changed = self._relayout()
        if change is None or layout_changed:
            self.refresh()
            self.scroll_to_cursor()
            return
        self._keep_top_row()
        if not self.scroll_to_cursor():
            self._refresh_changed_lines(change.changed)

    def tick(self, now: datetime) -> None:
        """The clock moved: redraw the lines whose ticking texts changed; no request."""
        self.now = now
        self._refresh_changed_lines(())

    def set_stale(self, stale: bool) -> None:
        if stale != self.stale:
            self.stale = stale
            self.refresh()

    def _keep_top_row(self) -> None:
        top = round(self.scroll_y)
        drawn = self._drawn.get(1)
        if top == 0 or not drawn or self._drawn_top != top:  # at the top, or a scroll not drawn yet
            return
        index = self.table.index_of(drawn[0])
        if index is not None and index != top:
            self._anchoring = True
            try:
                self.scroll_to(y=index, animate=False, immediate=True, force=True)
            finally:
                self._anchoring = False
            self._drawn_top = round(self.scroll_y)  # line 1 still shows the same row

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        if self._anchoring:  # the content moved with the offset: lines are redrawn one by one
            if self.show_vertical_scrollbar:
                self.vertical_scrollbar.position = new_value
            return
        super().watch_scroll_y(old_value, new_value)

    def _refresh_changed_lines(self, changed_keys) -> None:
        top, bottom = self._visible_range()
        cursor = self.table.cursor_index
        stale_lines = []
        for y in range(1, bottom - top + 1):
            index = top + y - 1
            key = self.table.key_at(index)
            drawn = self._drawn.get(y)
            if key is None:
                if drawn is not None:
                    stale_lines.append(y)
                continue
            if (drawn is None or drawn[0] != key or key in changed_keys or drawn[1] != (index == cursor)
                    or drawn[2] != self._ticking(self.table.row(key))):
                stale_lines.append(y)
        if len(stale_lines) > (bottom - top) // 2:
            self.refresh()
        else:
            for y in stale_lines:
                self.refresh_line(top + y)

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
                self.table.sort_by(self._sort_key(column))
                self.table_changed(None)
                self.post_message(self.SortChanged(*self.table.sort))
            return
        self.move_cursor_to(round(self.scroll_y) + offset.y - 1)

    def column_at(self, x: int):
        for column, start, width in self._layout:
            if start <= x < start + width + GAP:
                return column
        return None

    # -- drawing -----------------------------------------------------------------------------
    def _relayout(self) -> bool:
        layout, x = [], 0
        for column in self.columns:
            width = self._width(column)
            layout.append((column, x, width))
            x += width + GAP
        changed = layout != self._layout
        self._layout = layout
        self._widths = [width for _, _, width in layout]
        self._status_at = frozenset(at for at, (column, _, _) in enumerate(layout) if self._is_status(column))
        self._set_virtual_size(Size(max(0, x - GAP), self.table.visible_count + 1))
        return changed

    def _set_virtual_size(self, size: Size) -> None:
        """Resize the scrollable area without repainting every line.

        Assigning `virtual_size` lays out and repaints the whole widget, which a watch flood
        adding or removing a pod 20 times a second would turn into full redraws. Unless the
        scrollbars appear or vanish (the content width changes), only they are updated.
        """
        if size == self.virtual_size:
            return
        if not self.is_mounted:
            self.set_reactive(KeyedTableView.virtual_size, size)
            return
        scrollbars = (self.show_vertical_scrollbar, self.show_horizontal_scrollbar)
        self.set_reactive(KeyedTableView.virtual_size, size)
        self._refresh_scrollbars()
        if (self.show_vertical_scrollbar, self.show_horizontal_scrollbar) != scrollbars:
            self.refresh(layout=True)
        else:
            self._scroll_update(size)  # scrollbar sizes, and the scroll offset clamped to the new size

    # -- the rows the apply panel just created or changed stand out ------------------------
    def set_highlighted(self, keys: set[str]) -> None:
        self.highlighted = set(keys)
        self.refresh()

    def _applied_style(self) -> Style:
        style = self._styles.get(("applied",))
        if style is None:
            style = self._styles[("applied",)] = self.get_component_rich_style("pod-table--applied", partial=True)
        return style

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
            key = self.table.key_at(index)
            if key is None:
                self._drawn[y] = None
                return Strip.blank(width, base)
            row = self.table.row(key)
            is_cursor = index == self.table.cursor_index
            self._line_width = width  # for `_cells_strip`: the region costs microseconds to compute
            ticking = self._ticking(row)
            self._drawn[y] = (key, is_cursor, ticking)
            if y == 1:
                self._drawn_top = round(self.scroll_y)
            strip = self._row_strip(row, is_cursor, ticking)
            if key in self.highlighted and not is_cursor:  # just created or changed by the apply panel
                strip = Strip(list(Segment.apply_style(strip, post_style=self._applied_style())), strip.cell_length)
        scroll_x = round(self.scroll_x)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _header_strip(self) -> Strip:
        style = self._style("header")
        sort, reverse = self.table.sort
        labels = []
        for column, _, width in self._layout:
            label = self._header(column) + (_SORT_MARKS[reverse] if self._sort_key(column) == sort else "")
            labels.append(label.ljust(width + GAP)[: width + GAP])
        return Strip([Segment("".join(labels), style)]).extend_cell_length(
            self.scrollable_content_region.width, style)

    def _cells_strip(self, texts: list[str], is_cursor: bool, row_tone: str = "") -> Strip:
        """A line of ``texts`` in the layout's columns; the STATUS cell in its tone unless the row has one."""
        style = self._style("row", is_cursor, row_tone)
        line_width = self._line_width
        status_at = () if row_tone else self._status_at
        if not status_at:  # the whole line in one style
            line = "".join([text[:width].ljust(width + GAP) for text, width in zip(texts, self._widths)])
            return Strip([Segment(line, style)]).extend_cell_length(line_width, style)
        segments = []
        plain = []  # consecutive cells in the row's own style become one segment
        for at, (text, width) in enumerate(zip(texts, self._widths)):
            tone = status_tone(text) if at in status_at else ""
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
        return Strip(segments).extend_cell_length(line_width, style)
