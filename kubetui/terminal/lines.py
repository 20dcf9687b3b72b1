"""One line of the terminal, kept in whichever of two forms makes the common case cheap.

Key decision: output that streams left to right (a shell, `cat`, `ls -l`, a log) only ever
appends to a line, so a line starts in *runs form*: the text as one `str` plus the style
changes `[(char_index, style), …]`. Appending is a string concatenation, drawing is slicing,
and such a line goes to scrollback as it is. The first write that is not an append (cursor
addressing in `top`, `vi`, a readline redraw) turns the line into *cells form*: one list entry
per cell (`''` marks the right half of a wide character) and one style per cell. Scrollback
turns cells form back into runs form, so a long history costs about one `str` per line.
"""

from __future__ import annotations

from kubetui.terminal.charwidth import char_width
from kubetui.terminal.styles import DEFAULT

CellStyle = tuple  # (fg, bg, flags), see styles.py

MAX_MARKS_PER_CELL = 8  # combining marks kept on one cell; a flood of them cannot grow a line without end


class Line:
    __slots__ = ("text", "runs", "ncells", "narrow", "cells", "styles")

    def __init__(self) -> None:
        self.text = ""  # runs form: the characters written so far from column 0
        self.runs: list = []  # runs form: [(char_index, style)], first at 0
        self.ncells = 0  # runs form: cells covered by `text`; cells beyond are default blanks
        self.narrow = True  # runs form: every character of `text` takes exactly one cell
        self.cells: list | None = None  # cells form: one str per cell ('' = right half of a wide char)
        self.styles: list | None = None  # cells form: one CellStyle per cell

    @classmethod
    def of(cls, text: str, style: CellStyle) -> "Line":
        """A line holding narrow `text` from column 0 (the fast path for streamed output)."""
        line = cls()
        if text:
            line.text = text
            line.runs = [(0, style)]
            line.ncells = len(text)
        return line

    # --- writing --- #

    def write(self, x: int, text: str, width: int, style: CellStyle, narrow: bool) -> None:
        """Put `text` (taking `width` cells; `narrow`: one cell per character) at cell `x`."""
        if self.cells is None:
            if x >= self.ncells:
                if x > self.ncells:
                    self._append(" " * (x - self.ncells), x - self.ncells, DEFAULT)
                self._append(text, width, style)
                if not narrow:
                    self.narrow = False
                return
            self._to_cells()
        self._write_cells(x, text, width, style, narrow)

    def _append(self, text: str, width: int, style: CellStyle) -> None:
        runs = self.runs
        if not runs or runs[-1][1] != style:
            runs.append((len(self.text), style))
        self.text += text
        self.ncells += width

    def _write_cells(self, x: int, text: str, width: int, style: CellStyle, narrow: bool) -> None:
        cells, styles = self.cells, self.styles
        end = x + width
        if len(cells) < end:
            grow = end - len(cells)
            cells.extend(" " * grow)
            styles.extend([DEFAULT] * grow)
        if cells[x] == "" and x > 0:  # we overwrite the right half of a wide character
            cells[x - 1] = " "
        if end < len(cells) and cells[end] == "":  # ... or the left half of one
            cells[end] = " "
        if narrow:
            cells[x:end] = text
            styles[x:end] = [style] * width
            return
        i = x
        for char in text:
            w = char_width(char)
            if w == 0:
                if i > 0:
                    self.add_mark(i - 1, char)
                continue
            cells[i] = char
            styles[i] = style
            if w == 2:
                cells[i + 1] = ""
                styles[i + 1] = style
            i += w

    def add_mark(self, x: int, mark: str) -> None:
        """Attach a combining mark (zero-width character) to the character at cell `x`."""
        if self.cells is None:
            if self.narrow and x == self.ncells - 1:
                if len(self.text) < 2 * max(self.ncells, 1) + MAX_MARKS_PER_CELL:
                    self.text += mark
                self.narrow = False
                return
            self._to_cells()
        if x >= len(self.cells):
            return
        if self.cells[x] == "" and x > 0:
            x -= 1
        if len(self.cells[x]) <= MAX_MARKS_PER_CELL:
            self.cells[x] += mark

    def erase(self, start: int, end: int, blank: CellStyle) -> None:
        """Blank cells [start, end) with style `blank` (the background of the erase)."""
        if start >= end:
            return
        if self.cells is None:
            if blank == DEFAULT:
                if start >= self.ncells:
                    return
                if end >= self.ncells and self.narrow:
                    self._truncate(start)
                    return
            self._to_cells()
        cells, styles = self.cells, self.styles
        if len(cells) < end:
            if blank == DEFAULT:
                end = len(cells)
            else:
                grow = end - len(cells)
                cells.extend(" " * grow)
                styles.extend([DEFAULT] * grow)
        if start >= end:
            return
        if cells[start] == "" and start > 0:
            cells[start - 1] = " "
        if end < len(cells) and cells[end] == "":
            cells[end] = " "
        cells[start:end] = " " * (end - start)
        styles[start:end] = [blank] * (end - start)

    def _truncate(self, cell: int) -> None:
        """Runs form, narrow: drop everything from `cell` on."""
        self.text = self.text[:cell]
        self.ncells = cell
        self.runs = [run for run in self.runs if run[0] < cell]

    def clear(self, cols: int, blank: CellStyle) -> None:
        """The whole line blank; a coloured blank needs cells form to remember its colour."""
        self.__init__()
        if blank != DEFAULT:
            self.cells = [" "] * cols
            self.styles = [blank] * cols

    def insert_blanks(self, x: int, count: int, cols: int, blank: CellStyle) -> None:
        """ICH: shift the cells from `x` right by `count`; what passes the right margin is lost."""
        self._to_cells()
        self._pad(cols)
        count = min(count, cols - x)
        self.cells[x:x] = " " * count
        self.styles[x:x] = [blank] * count
        del self.cells[cols:], self.styles[cols:]
        _repair_wide(self.cells)

    def delete_cells(self, x: int, count: int, cols: int, blank: CellStyle) -> None:
        """DCH: remove `count` cells at `x`, pulling the rest left; blanks enter at the right."""
        self._to_cells()
        self._pad(cols)
        count = min(count, cols - x)
        del self.cells[x:x + count], self.styles[x:x + count]
        self.cells.extend(" " * count)
        self.styles.extend([blank] * count)
        _repair_wide(self.cells)

    def _pad(self, cols: int) -> None:
        if len(self.cells) < cols:
            grow = cols - len(self.cells)
            self.cells.extend(" " * grow)
            self.styles.extend([DEFAULT] * grow)

    # --- forms --- #

    def _to_cells(self) -> None:
        if self.cells is not None:
            return
        text, runs = self.text, self.runs
        bounds = [start for start, _ in runs[1:]] + [len(text)]
        styles: list = []
        if self.narrow:
            cells = list(text)
            for (start, style), stop in zip(runs, bounds):
                styles.extend([style] * (stop - start))
        else:
            cells = []
            for (start, style), stop in zip(runs, bounds):
                for char in text[start:stop]:
                    w = char_width(char)
                    if w == 0:
                        if cells:
                            at = len(cells) - 1 if cells[-1] != "" else len(cells) - 2
                            cells[at] += char
                        continue
                    cells.append(char)
                    styles.append(style)
                    if w == 2:
                        cells.append("")
                        styles.append(style)
        self.cells, self.styles = cells, styles
        self.text, self.runs = "", []

    def freeze(self) -> tuple:
        """This line as a history entry `(text, runs, ncells, narrow)`: immutable, compact, and
        made of tuples the garbage collector stops tracking (a long scrollback costs it nothing)."""
        if self.cells is not None:
            cells, styles = self.cells, self.styles
            end = len(cells)
            while end and cells[end - 1] == " " and styles[end - 1] == DEFAULT:
                end -= 1
            runs = []
            parts = []
            length = 0
            for chunk, style in _group(cells, styles, end):
                runs.append((length, style))
                parts.append(chunk)
                length += len(chunk)
            text = "".join(parts)
            return text, tuple(runs), end, len(text) == end and "" not in cells[:end]
        return self.text, tuple(self.runs), self.ncells, self.narrow

    # --- reading --- #

    def render(self, cols: int) -> list:
        """[(text, style)] covering at most `cols` cells, left to right; blanks beyond are implied."""
        if self.cells is None:
            if self.ncells > cols and not self.narrow:
                self._to_cells()
            else:
                return render_frozen((self.text, self.runs, self.ncells, self.narrow), cols)
        return list(_group(self.cells, self.styles, min(cols, len(self.cells))))

    def plain(self, cols: int) -> str:
        """The characters of the line's first `cols` cells, trailing blanks removed (tests, copying)."""
        return "".join(text for text, _ in self.render(cols)).rstrip()


_ONE_RUN: dict = {}  # style -> ((0, style),): shared, so a flood allocates one tuple per line


def frozen(text: str, style: CellStyle) -> tuple:
    """A history entry for narrow `text` from column 0, built without a `Line` (flood fast path)."""
    if not text:
        return "", (), 0, True
    runs = _ONE_RUN.get(style)
    if runs is None:
        if len(_ONE_RUN) > 256:
            _ONE_RUN.clear()
        runs = _ONE_RUN[style] = ((0, style),)
    return text, runs, len(text), True


def render_frozen(entry: tuple, cols: int) -> list:
    """[(text, style)] of a history entry, clipped to `cols` cells."""
    text, runs, ncells, narrow = entry
    if ncells > cols:
        if not narrow:
            line = Line()
            line.text, line.runs, line.ncells, line.narrow = text, list(runs), ncells, narrow
            line._to_cells()
            return line.render(cols)
        text = text[:cols]
        runs = [run for run in runs if run[0] < cols]
    if len(runs) == 1:
        return [(text, runs[0][1])]
    bounds = [start for start, _ in runs[1:]] + [len(text)]
    return [(text[start:stop], style) for (start, style), stop in zip(runs, bounds)]


def plain_frozen(entry: tuple) -> str:
    return entry[0].rstrip()


def _group(cells: list, styles: list, end: int):
    """Yield (text, style) for each stretch of equal style in cells[:end]."""
    start = 0
    while start < end:
        style = styles[start]
        stop = start + 1
        while stop < end and styles[stop] == style:
            stop += 1
        yield "".join(cells[start:stop]), style
        start = stop


def _repair_wide(cells: list) -> None:
    """After cells moved sideways: no orphan right halves, no wide character without its right half."""
    last = len(cells) - 1
    for i, cell in enumerate(cells):
        if cell == "":
            left = cells[i - 1] if i else ""
            if not left or left.isascii() or char_width(left[0]) != 2:
                cells[i] = " "
        elif not cell.isascii() and char_width(cell[0]) == 2 and (i == last or cells[i + 1] != ""):
            cells[i] = " "
