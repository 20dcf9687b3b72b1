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

__all__ = ["format_table"]

MIN_WIDTH = 6
PADDING = 3

# printers.WriteEscaped: defuse terminal escape sequences (kubernetes/kubernetes#101695, the upstream fix this copies).
_ESCAPES = str.maketrans({"\x1b": "^[", "\r": "\\r"})


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
    text_lines = ["\t".join(headers)]
    for row in rows:
        text_lines.append("\t".join(_cell_text(cell) for cell in row[:width]))
    return _layout([line.split("\t") for line in text_lines])


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


def _layout(lines: list[list[str]]) -> str:
    """Go tabwriter ``format``/``writeLines`` over lines of cells (all but the last
    cell of each line are tab-terminated)."""
    out: list[str] = []
    widths: list[int] = []
    remembered: list[int] = []

    def write_lines(first: int, stop: int) -> None:
        for index in range(first, stop):
            line = lines[index]
            for column, text in enumerate(line):
                out.append(text)
                if column < len(widths):
                    out.append(" " * (widths[column] - len(text)))
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
            width = MIN_WIDTH
            while this < stop and column < len(lines[this]) - 1:
                width = max(width, len(lines[this][column]) + PADDING)
                this += 1
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
