"""The table of any kind: the live table widget with the server's columns.

Key decisions: everything but what a line shows is `KeyedTableView`'s (scrolling, the cursor,
anchoring the top row during floods, partial redraws, the styles), as for the pod table; the
columns are the server's (priority-0 ones, all of them with `-o wide` on `ctrl+w`), plus
NAMESPACE across namespaces for namespaced kinds. AGE is drawn from the creation time at `now`,
so it ticks without a request. Objects being deleted are drawn as terminating pods are.
"""

from __future__ import annotations

from textual.strip import Strip

from kubetui.model.resource_table import NAMESPACE, ResourceTable, sort_key_of
from kubetui.model.table_rows import ResourceRow
from kubetui.ui.widgets.keyed_table import KeyedTableView

_NAMESPACE_COLUMN = -1


class ResourceTableView(KeyedTableView):
    """Shows a `ResourceTable`; the view feeds it changes, the clock and the wide switch."""

    table: ResourceTable

    def __init__(self, table: ResourceTable, *, show_namespace: bool = False, wide: bool = False,
                 id: str | None = None) -> None:
        self._wide = wide
        super().__init__(table, show_namespace=show_namespace, id=id)

    @property
    def columns(self) -> list[int]:
        """Column indices in drawing order; -1 stands for NAMESPACE."""
        shown = [index for index, column in enumerate(self.table.columns) if self._wide or column.priority == 0]
        return ([_NAMESPACE_COLUMN] if self._show_namespace else []) + shown

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

    def _is_status(self, index: int) -> bool:
        return index != _NAMESPACE_COLUMN and self.table.columns[index].name.lower() == "status"

    def _ticking(self, row: ResourceRow) -> str:
        index = self.table.age_index
        return self.table.cell(row, index, self.now) if index is not None else ""

    def _row_tone(self, row: ResourceRow) -> str:
        """The tone of the whole line ("" for none): it overrides the STATUS cell's."""
        return "terminating" if row.deleting else ""

    def _row_strip(self, row: ResourceRow, is_cursor: bool, ticking: str) -> Strip:
        cell, now = self.table.cell, self.now
        texts = [row.namespace if index == _NAMESPACE_COLUMN else cell(row, index, now) for index, _, _ in self._layout]
        return self._cells_strip(texts, is_cursor, self._row_tone(row))
