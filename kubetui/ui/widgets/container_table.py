"""A pod's containers, one per row, kept up to date by key: the container view's table.

Key decisions: a pod has a handful of containers, so Textual's DataTable is right here (the
virtualized tables are for thousands of rows); rows are keyed by container name and updated
cell by cell, never cleared and refilled, so the cursor stays on its container while the
kubelet reports. The rows are pure `ContainerRow`s rendered at `now` (LAST TERMINATION ticks).
"""

from __future__ import annotations

from datetime import datetime

from textual.binding import Binding
from textual.widgets import DataTable

from kubetui.model.container_rows import CONTAINER_COLUMNS, ContainerRow


class ContainerTable(DataTable):
    """Shows a list of `ContainerRow`s in `CONTAINER_COLUMNS`."""

    DEFAULT_CSS = "ContainerTable { height: 1fr; }"

    # The other views' table keys (k9s's): DataTable alone has no j/k/g/G, and its Home/End
    # scroll sideways where every other view moves to the first / last row.
    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False),
        Binding("k,up", "cursor_up", "Up", show=False),
        Binding("g,home", "scroll_top", "Top", show=False),
        Binding("G,end", "scroll_bottom", "Bottom", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.rows_shown: list[ContainerRow] = []

    def on_mount(self) -> None:
        for column in CONTAINER_COLUMNS:
            self.add_column(column, key=column)

    def show(self, rows: list[ContainerRow], now: datetime) -> None:
        """Make the table show ``rows`` at ``now``, changing only the cells that differ."""
        self.rows_shown = list(rows)
        wanted = {row.name: row.cells(now) for row in rows}
        for key in [key.value for key in self.rows if key.value not in wanted]:
            self.remove_row(key)
        order = [row.name for row in rows]
        existing = [key.value for key in self.rows]
        if existing != order[:len(existing)]:  # a container moved (never in practice): rebuild in order
            self.clear()
            existing = []
        for name in order:
            cells = wanted[name]
            if name not in existing:
                self.add_row(*cells, key=name)
                continue
            for column, value in zip(CONTAINER_COLUMNS, cells, strict=True):
                if self.get_cell(name, column) != value:
                    self.update_cell(name, column, value, update_width=True)
