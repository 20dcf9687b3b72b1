"""The terminal's state and the operations escape sequences perform on it (VT100/xterm subset).

Key decisions: xterm's deferred wrap (writing the last column sets `pending_wrap`; the next
character wraps first), so `printf '%80s'` on 80 columns does not leave an empty line; lines
leaving the top of the main screen go to a bounded `deque` (the scrollback limit is the memory
limit); the alternate screen keeps no scrollback. Which rows changed is recorded in `dirty`
(`all_dirty` after anything that moves every row) so a view redraws only those.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import deque
from itertools import accumulate

from kubetui.terminal.charwidth import char_width
from kubetui.terminal.editing import EditingMixin
from kubetui.terminal.lines import Line, frozen
from kubetui.terminal.styles import DEFAULT

# DEC special graphics (ESC ( 0): the line-drawing set ncurses uses for boxes when the
# locale does not promise UTF-8.
DEC_GRAPHICS = str.maketrans({
    "`": "◆", "a": "▒", "f": "°", "g": "±", "j": "┘", "k": "┐", "l": "┌", "m": "└", "n": "┼",
    "o": "⎺", "p": "⎻", "q": "─", "r": "⎼", "s": "⎽", "t": "├", "u": "┤", "v": "┴", "w": "┬",
    "x": "│", "y": "≤", "z": "≥", "{": "π", "|": "≠", "}": "£", "~": "·",
})
MAX_REPLIES = 64  # answers to DSR/DA queries waiting to be sent; a query flood cannot grow it


class Screen(EditingMixin):
    def __init__(self, cols: int, rows: int, scrollback_limit: int = 10_000) -> None:
        self.cols = max(2, cols)
        self.rows = max(1, rows)
        self.scrollback: deque = deque(maxlen=max(0, scrollback_limit))
        self.scrolled_off = 0  # lines ever pushed into scrollback (lets a view stay anchored)
        self.replies: list[bytes] = []
        self.title = ""
        self.dirty: set[int] = set()
        self.reset()

    def reset(self) -> None:
        """RIS: everything back to power-on state except size and scrollback."""
        self.lines = [Line() for _ in range(self.rows)]
        self.main_lines: list | None = None  # the main screen while the alternate one is shown
        self.x = self.y = 0
        self.pending_wrap = False
        self.style = DEFAULT
        self.top, self.bottom = 0, self.rows - 1
        self.autowrap = True
        self.origin = False
        self.insert = False
        self.newline_mode = False
        self.cursor_visible = True
        self.app_cursor = False
        self.app_keypad = False
        self.bracketed_paste = False
        self.mouse_tracking = 0  # 1000/1002/1003 when a program asked for mouse reports, else 0
        self.mouse_sgr = False
        self.charsets = [False, False]  # G0, G1: True = DEC line drawing
        self.shift = 0
        self.saved = None
        self.tabstops = set(range(8, self.cols, 8))
        self.last_char = " "
        self.all_dirty = True

    # --- printing --- #

    def draw(self, text: str) -> None:
        """Print text at the cursor, wrapping at the right margin (the hot path)."""
        if self.charsets[self.shift]:
            text = text.translate(DEC_GRAPHICS)
        if text.isascii():
            self._draw_narrow(text)
        else:
            self._draw_wide(text)
        self.last_char = text[-1]

    def _draw_narrow(self, text: str) -> None:
        cols = self.cols
        style = self.style
        n = len(text)
        i = 0
        while i < n:
            if self.pending_wrap:
                if not self.autowrap:  # no wrap: the last character ends up in the last column
                    self.lines[self.y].write(cols - 1, text[-1], 1, style, True)
                    self.dirty.add(self.y)
                    return
                self._wrap()
            x = self.x
            room = cols - x
            piece = text if (i == 0 and n <= room) else text[i:i + room]
            k = len(piece)
            line = self.lines[self.y]
            if self.insert:
                line.insert_blanks(x, k, cols, DEFAULT)
            line.write(x, piece, k, style, True)
            self.dirty.add(self.y)
            i += k
            if x + k >= cols:
                self.x = cols - 1
                self.pending_wrap = True
            else:
                self.x = x + k

    def _draw_wide(self, text: str) -> None:
        widths = [char_width(c) for c in text]
        if 0 in widths or self.insert or not self.autowrap:
            self._draw_each(text, widths)
            return
        # Whole pieces per line, cut where the cumulative width passes the right margin.
        cols, style = self.cols, self.style
        reach = list(accumulate(widths))
        i, n, before = 0, len(text), 0
        while i < n:
            if self.pending_wrap or self.x + widths[i] > cols:
                self._wrap()
            x = self.x
            j = bisect_right(reach, before + cols - x, i)
            used = reach[j - 1] - before
            self.lines[self.y].write(x, text[i:j], used, style, False)
            self.dirty.add(self.y)
            before = reach[j - 1]
            i = j
            if x + used >= cols:
                self.x = cols - 1
                self.pending_wrap = True
            else:
                self.x = x + used

    def _draw_each(self, text: str, widths: list) -> None:
        """One character at a time: combining marks, insert mode, or no autowrap."""
        cols = self.cols
        style = self.style
        for char, w in zip(text, widths):
            if w == 0:
                self._add_mark(char)
                continue
            if self.pending_wrap or self.x + w > cols:
                if self.autowrap:
                    self._wrap()
                else:
                    self.x = cols - w
                    self.pending_wrap = False
            line = self.lines[self.y]
            if self.insert:
                line.insert_blanks(self.x, w, cols, DEFAULT)
            line.write(self.x, char, w, style, w == 1)
            self.dirty.add(self.y)
            if self.x + w >= cols:
                self.x = cols - 1
                self.pending_wrap = True
            else:
                self.x += w

    def _add_mark(self, mark: str) -> None:
        at = self.x if self.pending_wrap else self.x - 1
        if at >= 0:
            self.lines[self.y].add_mark(at, mark)
            self.dirty.add(self.y)

    def _wrap(self) -> None:
        self.pending_wrap = False
        self.x = 0
        self.index()

    def repeat_last(self, count: int) -> None:
        """REP: print the last printed character `count` more times."""
        self.draw(self.last_char * min(count, self.cols * self.rows))

    # --- vertical movement and scrolling --- #

    def index(self) -> None:
        """IND / LF: down one row, scrolling the region when at its bottom margin."""
        self.pending_wrap = False
        if self.y == self.bottom:
            self.scroll_up(1)
        elif self.y < self.rows - 1:
            self.y += 1

    def linefeed(self) -> None:
        self.index()
        if self.newline_mode:
            self.x = 0

    def reverse_index(self) -> None:
        """RI: up one row, scrolling the region down when at its top margin."""
        self.pending_wrap = False
        if self.y == self.top:
            self.scroll_down(1)
        elif self.y > 0:
            self.y -= 1

    def scroll_up(self, count: int) -> None:
        """Lines move up inside the margins; from the top of the main screen they go to scrollback."""
        top, bottom = self.top, self.bottom
        count = min(count, bottom - top + 1)
        lines = self.lines
        gone = lines[top:top + count]
        del lines[top:top + count]
        lines[bottom - count + 1:bottom - count + 1] = [Line() for _ in range(count)]
        if top == 0:
            self._to_history(gone)
        self.all_dirty = True

    def _to_history(self, gone: list) -> None:
        if self.main_lines is None and self.scrollback.maxlen:
            self.scrollback.extend([line.freeze() for line in gone])
            self.scrolled_off += len(gone)

    def draw_lines(self, texts: list) -> None:
        """Print each text followed by CR LF: the shape of almost all output, so it has a fast path.

        While the cursor sits at the start of a fresh bottom row of a full-screen scroll region,
        plain lines that fit are built directly and scrolled in one list operation.
        """
        i, n = 0, len(texts)
        while i < n:
            lines = self.lines
            bottom = self.bottom
            fresh = lines[bottom]
            if (self.x or self.pending_wrap or self.y != bottom or self.top or bottom != self.rows - 1
                    or fresh.ncells or fresh.cells is not None or self.insert or self.charsets[self.shift]):
                text = texts[i]
                if text:
                    self.draw(text)
                self.x = 0
                self.pending_wrap = False
                self.index()
                i += 1
                continue
            cols, style, rows = self.cols, self.style, self.rows
            start = i
            while i < n:
                text = texts[i]
                if len(text) >= cols or not text.isascii():
                    break
                i += 1
            # Of the plain lines texts[start:i], all but the last `rows - 1` scroll straight off:
            # they go to history without ever being screen lines.
            split = max(start, i - (rows - 1))
            straight = texts[start:split] if self.main_lines is None and self.scrollback.maxlen else ()
            batch = [Line.of(text, style) for text in texts[split:i]]
            if start == i:
                text = texts[i]
                self.draw(text)
                self.x = 0
                self.pending_wrap = False
                self.index()
                i += 1
                continue
            self.last_char = texts[i - 1][-1:] or self.last_char
            batch.append(Line())
            lines[bottom:] = batch
            overflow = len(lines) - rows
            gone = lines[:overflow]
            del lines[:overflow]
            self._to_history(gone)  # older than the straight lines: the screen's rows scroll off first
            if straight:
                self.scrollback.extend(frozen(text, style) for text in straight)
                self.scrolled_off += len(straight)
            self.all_dirty = True

    def scroll_down(self, count: int) -> None:
        top, bottom = self.top, self.bottom
        count = min(count, bottom - top + 1)
        for _ in range(count):
            self.lines.pop(bottom)
            self.lines.insert(top, Line())
        self.all_dirty = True

    # --- horizontal movement --- #

    def carriage_return(self) -> None:
        self.x = 0
        self.pending_wrap = False

    def backspace(self) -> None:
        self.pending_wrap = False
        if self.x > 0:
            self.x -= 1

    def tab(self, count: int = 1) -> None:
        for _ in range(count):
            self.x = min((t for t in self.tabstops if t > self.x), default=self.cols - 1)
        self.pending_wrap = False

    def back_tab(self, count: int = 1) -> None:
        for _ in range(count):
            self.x = max((t for t in self.tabstops if t < self.x), default=0)
        self.pending_wrap = False

    def set_tabstop(self) -> None:
        self.tabstops.add(self.x)

    def clear_tabstops(self, mode: int) -> None:
        if mode == 0:
            self.tabstops.discard(self.x)
        elif mode == 3:
            self.tabstops.clear()

    # --- cursor addressing --- #

    def move_to(self, row: int, col: int) -> None:
        """CUP with 0-based row/col, relative to the top margin in origin mode."""
        if self.origin:
            row += self.top
            self.y = max(self.top, min(self.bottom, row))
        else:
            self.y = max(0, min(self.rows - 1, row))
        self.x = max(0, min(self.cols - 1, col))
        self.pending_wrap = False

    def move_to_column(self, col: int) -> None:
        self.x = max(0, min(self.cols - 1, col))
        self.pending_wrap = False

    def move_to_row(self, row: int) -> None:
        self.move_to(row, self.x)

    def move_up(self, count: int) -> None:
        limit = self.top if self.y >= self.top else 0
        self.y = max(limit, self.y - count)
        self.pending_wrap = False

    def move_down(self, count: int) -> None:
        limit = self.bottom if self.y <= self.bottom else self.rows - 1
        self.y = min(limit, self.y + count)
        self.pending_wrap = False

    def move_right(self, count: int) -> None:
        self.move_to_column(self.x + count)

    def move_left(self, count: int) -> None:
        self.move_to_column(self.x - count)

    def set_margins(self, top: int, bottom: int) -> None:
        """DECSTBM with 0-based rows; an invalid region resets to the whole screen."""
        bottom = min(bottom, self.rows - 1)
        if top >= bottom:
            top, bottom = 0, self.rows - 1
        self.top, self.bottom = top, bottom
        self.move_to(0, 0)

    def save_cursor(self) -> None:
        self.saved = (self.x, self.y, self.pending_wrap, self.style, self.origin, list(self.charsets), self.shift)

    def restore_cursor(self) -> None:
        if self.saved is None:
            self.x = self.y = 0
            self.style = DEFAULT
            self.pending_wrap = False
            return
        self.x, self.y, self.pending_wrap, self.style, self.origin, charsets, self.shift = self.saved
        self.charsets = list(charsets)
        self.x = min(self.x, self.cols - 1)
        self.y = min(self.y, self.rows - 1)

    # --- alternate screen --- #

    def enter_alternate(self, save_cursor: bool, clear: bool) -> None:
        if save_cursor:
            self.save_cursor()
        if self.main_lines is None:
            self.main_lines = self.lines
            self.lines = [Line() for _ in range(self.rows)]
        elif clear:
            for line in self.lines:
                line.clear(self.cols, DEFAULT)
        self.all_dirty = True

    def leave_alternate(self, restore_cursor: bool) -> None:
        if self.main_lines is not None:
            self.lines = self.main_lines
            self.main_lines = None
        if restore_cursor:
            self.restore_cursor()
        self.all_dirty = True

    # --- size --- #

    def resize(self, cols: int, rows: int) -> None:
        """New size: rows that no longer fit above the cursor go to scrollback, as in xterm."""
        cols, rows = max(2, cols), max(1, rows)
        old_cols = self.cols
        if rows < self.rows:
            excess = max(0, self.y - (rows - 1))
            for _ in range(excess):
                gone = self.lines.pop(0)
                self._to_history([gone])
            del self.lines[rows:]
            self.y -= excess
            if self.main_lines is not None:
                del self.main_lines[rows:]
        else:
            self.lines.extend(Line() for _ in range(rows - self.rows))
            if self.main_lines is not None:
                self.main_lines.extend(Line() for _ in range(rows - len(self.main_lines)))
        for line in self.lines + (self.main_lines or []):
            if line.cells is not None and len(line.cells) > cols:
                del line.cells[cols:], line.styles[cols:]
        self.cols, self.rows = cols, rows
        self.top, self.bottom = 0, rows - 1
        self.x = min(self.x, cols - 1)
        self.y = min(self.y, rows - 1)
        self.pending_wrap = False
        self.tabstops = {t for t in self.tabstops if t < cols} | set(range(8 * ((old_cols + 7) // 8), cols, 8))
        self.all_dirty = True

    # --- replies to the remote side --- #

    def reply(self, data: bytes) -> None:
        if len(self.replies) < MAX_REPLIES:
            self.replies.append(data)

    def report_cursor(self) -> None:
        row = self.y - self.top if self.origin else self.y
        self.reply(f"\x1b[{row + 1};{self.x + 1}R".encode())
