"""The pod table: the live table widget with kubectl's pod columns.

Key decisions: everything but what a line shows is `KeyedTableView`'s (scrolling, the cursor,
anchoring the top row during floods, partial redraws, the styles). AGE and RESTARTS are rendered
from the row's instants at `now`, so they tick without a request, and a line redraws when either
text changes; STATUS is coloured by its tone.
"""

from __future__ import annotations

from textual.strip import Strip

from kubetui.model import COLUMN_KEYS, PodRow, PodTable, age_text, restarts_text
from kubetui.ui.widgets.keyed_table import KeyedTableView

COLUMNS = ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"]


class PodTableView(KeyedTableView):
    """Shows a `PodTable`; the screen feeds it changes and the clock."""

    table: PodTable

    @property
    def columns(self) -> list[str]:
        return (["NAMESPACE"] if self._show_namespace else []) + COLUMNS

    def _header(self, column: str) -> str:
        return column

    def _sort_key(self, column: str) -> str:
        return COLUMN_KEYS[column]

    def _width(self, column: str) -> int:
        return self.table.width(column)

    def _is_status(self, column: str) -> bool:
        return column == "STATUS"

    def _ticking(self, row: PodRow) -> tuple[str, str]:
        return age_text(row, self.now), restarts_text(row, self.now)

    def _row_strip(self, row: PodRow, is_cursor: bool, ticking: tuple[str, str]) -> Strip:
        age, restarts = ticking
        texts = [age if column == "AGE" else restarts if column == "RESTARTS" else getattr(row, COLUMN_KEYS[column])
                 for column, _, _ in self._layout]
        return self._cells_strip(texts, is_cursor)
