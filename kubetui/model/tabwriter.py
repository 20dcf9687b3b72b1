"""kubectl's table text: cell clean-up plus a port of the tabwriter kubectl prints through.

kubectl (cli-runtime ``printers.GetNewTabWriter``) uses ``github.com/liggitt/tabwriter``, a
fork of Go's ``text/tabwriter``, with minwidth 6, tabwidth 4, padding 3, padchar ' ' and the
``RememberWidths`` flag. Key decisions: this is a faithful port of that fork's elastic
tabstops (columns are blocks of contiguous lines that have a tab-terminated cell at that
index, the last cell of a line is never padded, widths are counted in code points like Go's
rune count, and a column keeps the widest width seen earlier in the same output), and the
cells go through what ``printTable`` does to them first, so the result is byte-for-byte what
``kubectl get`` writes to stdout.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["CHUNK_SIZE", "cell_text", "chunk_rows", "elastic_layout", "format_table", "format_tables"]

MIN_WIDTH = 6
PADDING = 3
FLUSH_INTERVAL = 100  # printers.flushInterval: printTable flushes the tabwriter every 100 rows
CHUNK_SIZE = 500      # kubectl get --chunk-size: the rows of one list page

# printers.WriteEscaped: defuse terminal escape sequences (kubernetes/kubernetes#101695, the upstream fix this copies).
_ESCAPES = str.maketrans({"\x1b": "^[", "\r": "\\r"})
_SPECIAL = re.compile("[\t\x1b\r\n\f]")  # what makes a cell more than itself


def format_table(headers: list[str], rows: list[list[str]]) -> str:
    """Lay out ``headers`` and ``rows`` exactly as kubectl prints a table, newline-terminated.

    As kubectl does, this returns "" when there are no rows (kubectl then prints only
    "No resources found" on stderr), drops cells beyond the number of headers, prints
    ``None`` cells as empty, cuts a cell at its first line break and adds "...", and escapes
    ESC characters. A tab inside a cell is not escaped, so it splits the cell, as in kubectl.
    """
    if not rows:
        return ""
    width = len(headers)
    lines = ["\t".join(headers).split("\t")]
    for row in rows:
        # Fast path (nearly every row): plain strings without tabs, line breaks or escapes.
        cells = [cell if type(cell) is str else str(cell) if type(cell) is int else _cell_text(cell)
                 for cell in row[:width]]
        if _SPECIAL.search("".join(cells)):
            cells = "\t".join(_cell_text(cell) for cell in row[:width]).split("\t")
        lines.append(cells)
    return _layout(lines)


def format_tables(headers: list[str], tables: list[list[list]]) -> str:
    """Lay out several server tables of one kind as kubectl prints them one after the other.

    `tables` are the row lists of each Table kubectl receives: each list page (kubectl asks
    for 500 objects at a time; `chunk_rows` splits one big list the same way) or each named
    object. A port of cli-runtime's `printTable`: the header is printed with the first rows;
    each table's cells are measured first (in bytes, as Go's `len`), and that width is written
    into the header (or, for later tables, the first row) as trailing spaces, so the tabwriter,
    flushed every 100 rows of a table, keeps every column as wide as the widest cell of the
    table and of everything printed before (RememberWidths).
    """
    width = len(headers)
    last = width - 1
    remembered: list[int] = []
    out: list[str] = []
    pending: list[list[str]] = []
    header_done = False
    for rows in tables:
        if not rows:
            continue
        raw = [[cell if type(cell) is str or cell is None else _raw_text(cell) for cell in row[:width]]
               for row in rows]
        widest = _widest(raw, width)
        if header_done:
            pad_first = True  # no header this time: the first row carries the widths
        else:
            header_done, pad_first = True, False
            pending.append("\t".join(name if index == last else name + " " * (widest[index] - len(name))
                                     for index, name in enumerate(headers)).split("\t"))
        for number, cells in enumerate(raw, 1):
            texts = ["" if cell is None else cell for cell in cells]
            special = _SPECIAL.search("".join(texts))
            if special:
                texts = [_cell_text(cell) for cell in cells]
            if pad_first and number == 1:
                texts = [text if index == last else
                         text + " " * (widest[index] - _byte_length(cells[index] or ""))
                         for index, text in enumerate(texts)]
            pending.append("\t".join(texts).split("\t") if special else texts)
            if number % FLUSH_INTERVAL == 0:
                out.append(_layout(pending, remembered))
                pending = []
    if pending:
        out.append(_layout(pending, remembered))
    return "".join(out)


def chunk_rows(rows: list, size: int = CHUNK_SIZE) -> list[list]:
    """One list read at once, split into the pages kubectl would have asked for."""
    return [rows[start:start + size] for start in range(0, len(rows), size)] or [[]]


def _widest(raw: list[list[str | None]], width: int) -> list[int]:
    """The widest cell of each column, in UTF-8 bytes (kubectl measures with Go's `len`)."""
    widest = [0] * width
    columns: Iterable[Iterable[str | None]]
    if all(len(row) == width for row in raw):
        columns = zip(*raw)
    else:
        columns = ([row[index] if index < len(row) else None for row in raw] for index in range(width))
    for index, column in enumerate(columns):
        texts = [text for text in column if text]
        if texts:
            joined = "".join(texts)
            widest[index] = max(map(len, texts) if joined.isascii() else map(_byte_length, texts))
    return widest


def _raw_text(cell: object) -> str | None:
    """Go's `fmt.Sprint` of a cell (None stays None: kubectl writes nothing for it)."""
    if cell is None or type(cell) is str:
        return cell
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return str(cell)


def _byte_length(text: str) -> int:
    """Go's `len`: UTF-8 bytes."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def cell_text(cell: object) -> str:
    """A cell as `printTable` writes it: None blank, bools Go's way, cut at a line break, escaped."""
    return _cell_text(cell)


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):  # Go's fmt.Sprint spelling
        return "true" if cell else "false"
    text = cell if isinstance(cell, str) else str(cell)
    cut = _first_line_break(text)
    if cut >= 0:
        return text[:cut].translate(_ESCAPES) + "..."
    return text.translate(_ESCAPES)


def _first_line_break(text: str) -> int:
    positions = [p for p in (text.find("\f"), text.find("\n"), text.find("\r")) if p >= 0]
    return min(positions) if positions else -1


def elastic_layout(lines: list[list[str]], min_width: int, padding: int) -> str:
    """Go's own ``text/tabwriter`` (no RememberWidths) with padchar ' ' and no flags, over
    lines of cells: what ``kubectl describe`` lays out with minwidth 0 and padding 2."""
    return _layout(lines, None, min_width=min_width, padding=padding, remember=False)


def _layout(lines: list[list[str]], remembered: list[int] | None = None, *,
            min_width: int = MIN_WIDTH, padding: int = PADDING, remember: bool = True) -> str:
    """Go tabwriter ``format``/``writeLines`` over lines of cells (all but the last
    cell of each line are tab-terminated)."""
    out: list[str] = []
    widths: list[int] = []
    remembered = [] if remembered is None else remembered

    def write_lines(first: int, stop: int) -> None:
        count = len(widths)
        for index in range(first, stop):
            line = lines[index]
            if count:
                out.append("".join([text.ljust(widths[column]) for column, text in enumerate(line[:count])]))
                out.extend(line[count:])
            else:
                out.extend(line)
            out.append("\n")

    def format_block(first: int, stop: int) -> None:
        column = len(widths)
        this = first
        while this < stop:
            if column >= len(lines[this]) - 1:
                this += 1
                continue
            # This line has a cell in this column: a column block starts here.
            write_lines(first, this)
            first = this
            widest = 0
            while this < stop:
                line = lines[this]
                if column >= len(line) - 1:
                    break
                if len(line[column]) > widest:
                    widest = len(line[column])
                this += 1
            width = max(min_width, widest + padding)
            if remember:
                width = _remember(remembered, widths, width)
            widths.append(width)
            format_block(first, this)
            widths.pop()
            first = this
            this += 1  # Go's loop increment skips the line that ended the block
        write_lines(first, stop)

    format_block(0, len(lines))
    return "".join(out)


def _remember(remembered: list[int], widths: list[int], width: int) -> int:
    """The RememberWidths flag: a column never gets narrower than it was earlier."""
    depth = len(widths)
    if len(remembered) < depth:
        remembered.extend(widths[len(remembered):])
    if len(remembered) == depth:
        remembered.append(width)
    elif remembered[depth] > width:
        width = remembered[depth]
    else:
        remembered[depth] = width
    return width
