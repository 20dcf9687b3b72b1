"""Erasing and editing operations (ED, EL, ECH, ICH, DCH, IL, DL, DECALN), mixed into `Screen`.

Erased cells take the current background colour and nothing else (xterm's back-colour erase);
inserting and deleting lines only ever moves lines inside the scroll region.
"""

from __future__ import annotations

from kubetui.terminal.lines import Line
from kubetui.terminal.styles import DEFAULT, blank_style


class EditingMixin:
    def insert_lines(self, count: int) -> None:
        """IL: blank lines at the cursor row, pushing the rest of the region down."""
        if self.top <= self.y <= self.bottom:
            count = min(count, self.bottom - self.y + 1)
            for _ in range(count):
                self.lines.pop(self.bottom)
                self.lines.insert(self.y, Line())
            self.x = 0
            self.pending_wrap = False
            self.all_dirty = True

    def delete_lines(self, count: int) -> None:
        """DL: remove lines at the cursor row, pulling the rest of the region up."""
        if self.top <= self.y <= self.bottom:
            count = min(count, self.bottom - self.y + 1)
            for _ in range(count):
                self.lines.pop(self.y)
                self.lines.insert(self.bottom, Line())
            self.x = 0
            self.pending_wrap = False
            self.all_dirty = True


    def erase_in_line(self, mode: int) -> None:
        """EL: 0 cursor to end, 1 start to cursor, 2 whole line."""
        blank = blank_style(self.style)
        line = self.lines[self.y]
        if mode == 0:
            line.erase(self.x, self.cols, blank)
        elif mode == 1:
            line.erase(0, self.x + 1, blank)
        elif mode == 2:
            line.clear(self.cols, blank)
        self.pending_wrap = False
        self.dirty.add(self.y)

    def erase_in_display(self, mode: int) -> None:
        """ED: 0 cursor to end, 1 start to cursor, 2 whole screen, 3 the scrollback."""
        blank = blank_style(self.style)
        if mode == 0:
            self.erase_in_line(0)
            rows = range(self.y + 1, self.rows)
        elif mode == 1:
            self.erase_in_line(1)
            rows = range(0, self.y)
        elif mode == 2:
            rows = range(self.rows)
        elif mode == 3:
            self.scrollback.clear()
            self.all_dirty = True
            return
        else:
            return
        for row in rows:
            self.lines[row].clear(self.cols, blank)
        self.all_dirty = True

    def erase_chars(self, count: int) -> None:
        """ECH: blank `count` cells from the cursor without moving it."""
        self.lines[self.y].erase(self.x, min(self.cols, self.x + count), blank_style(self.style))
        self.dirty.add(self.y)

    def insert_chars(self, count: int) -> None:
        self.lines[self.y].insert_blanks(self.x, count, self.cols, blank_style(self.style))
        self.dirty.add(self.y)

    def delete_chars(self, count: int) -> None:
        self.lines[self.y].delete_cells(self.x, count, self.cols, blank_style(self.style))
        self.dirty.add(self.y)

    def alignment_test(self) -> None:
        """DECALN: fill the screen with E (vttest uses it to check margins)."""
        for line in self.lines:
            line.clear(self.cols, DEFAULT)
            line.write(0, "E" * self.cols, self.cols, DEFAULT, True)
        self.move_to(0, 0)
        self.all_dirty = True
