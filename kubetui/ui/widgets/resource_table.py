"""The table of any kind: the pod table's virtualized Line API drawing, with the server's columns.

Key decisions: a `PodTableView` subclass, so scrolling, the cursor, anchoring the top row during
floods, partial redraws and the styles are the pod table's own code (and the pod table is not
slowed by being generalised); only what a line shows differs: the columns are the server's
(priority-0 ones, all of them with `-o wide` on `ctrl+w`), plus NAMESPACE across namespaces for
namespaced kinds. AGE is drawn from the creation time at `now`, so it ticks without a request.
Objects being deleted are drawn as terminating pods are.
"""

from __future__ import annotations

from rich.segment import Segment
from textual import events
from textual.geometry import Size
from textual.strip import Strip

from kubetui.model import status_tone
from kubetui.model.resource_table import NAMESPACE, ResourceTable, sort_key_of
from kubetui.model.table_rows import ResourceRow
from kubetui.ui.widgets.pod_table import GAP, PodTableView

_SORT_MARKS = {False: "↑", True: "↓"}
_NAMESPACE_COLUMN = -1


class ResourceTableView(PodTableView):
    """Shows a `ResourceTable`; the view feeds it changes, the clock and the wide switch."""

    def __init__(self, table: ResourceTable, *, show_namespace: bool = False, wide: bool = False,
                 id: str | None = None) -> None:
        self._wide = wide
        super().__init__(table, show_namespace=show_namespace, id=id)  # type: ignore[arg-type]

    table: ResourceTable

    @property
    def columns(self) -> list[int]:
        """Column indices in drawing order; -1 stands for NAMESPACE."""
        shown = [index for index, column in enumerate(self.table.columns) if self._wide or column.priority == 0]
        return ([_NAMESPACE_COLUMN] if self._show_namespace else []) + shown

    @property
    def headers(self) -> list[str]:
        return [self._header(index) for index in self.columns]

    @property
    def wide(self) -> bool:
        return self._wide

    def set_wide(self, wide: bool) -> None:
        self._wide = wide
        self.table_changed(None)

    def _header(self, index: int) -> str:
        return "NAMESPACE" if index == _NAMESPACE_COLUMN else self.table.columns[index].header

    def _sort_key(self, index: int) -> str:
        return NAMESPACE if index == _NAMESPACE_COLUMN else sort_key_of(self.table.columns[index])

    def _width(self, index: int) -> int:
        return self.table.namespace_width() if index == _NAMESPACE_COLUMN else self.table.width(index)

    # -- what changes between frames ------------------------------------------------------
    def _relayout(self) -> bool:
        layout, x = [], 0
        for index in self.columns:
            width = self._width(index)
            layout.append((index, x, width))
            x += width + GAP
        changed = layout != self._layout
        self._layout = layout
        self._set_virtual_size(Size(max(0, x - GAP), self.table.visible_count + 1))
        return changed

    def _ticking(self, row: ResourceRow) -> str:
        index = self.table.age_index
        return self.table.cell(row, index, self.now) if index is not None else ""

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
            if drawn is None or drawn[0] != key or key in changed_keys or drawn[1] != (index == cursor):
                stale_lines.append(y)
            elif drawn[2] != self._ticking(self.table.row(key)):
                stale_lines.append(y)
        if len(stale_lines) > (bottom - top) // 2:
            self.refresh()
        else:
            for y in stale_lines:
                self.refresh_line(top + y)

    # -- mouse -------------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        event.prevent_default()  # PodTableView's handler would run too and read pod columns
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

    # -- drawing -------------------------------------------------------------------------------
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
            self._drawn[y] = (key, is_cursor, self._ticking(row), "")
            if y == 1:
                self._drawn_top = round(self.scroll_y)
            strip = self._resource_strip(row, is_cursor)
        scroll_x = round(self.scroll_x)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _header_strip(self) -> Strip:
        style = self._style("header")
        sort, reverse = self.table.sort
        labels = []
        for index, _, width in self._layout:
            label = self._header(index) + (_SORT_MARKS[reverse] if self._sort_key(index) == sort else "")
            labels.append(label.ljust(width + GAP)[: width + GAP])
        return Strip([Segment("".join(labels), style)]).extend_cell_length(
            self.scrollable_content_region.width, style)

    def _resource_strip(self, row: ResourceRow, is_cursor: bool) -> Strip:
        row_tone = "terminating" if row.deleting else ""
        style = self._style("row", is_cursor, row_tone)
        segments = []
        plain = []  # consecutive cells in the row's own style become one segment
        columns = self.table.columns
        for index, _, width in self._layout:
            if index == _NAMESPACE_COLUMN:
                text = row.namespace
            else:
                text = self.table.cell(row, index, self.now)
            tone = "" if row_tone or index < 0 or columns[index].name.lower() != "status" else status_tone(text)
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
