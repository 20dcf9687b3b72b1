"""What `kubectl get` prints from server-printed `meta.k8s.io/v1` Tables, for any kind.

A port of cli-runtime's table printer and its `decorateTable`: the server's columns (priority 0
only, all of them with `-o wide`), upper-cased headers printed once per kind, a NAMESPACE column
read from each row's object metadata (`-A`), and `kind.group/` before the name column when
several kinds are printed. Key decisions: consecutive results of one kind form a block laid
out by one tabwriter (`format_tables`, page by page as kubectl receives a list 500 objects at a
time); kubectl flushes its tabwriter and forgets the widths when the kind changes, and puts an
empty line between blocks that printed something, so blocks are laid out separately and joined
by an empty line. Pure: no I/O, no clock but the `now` given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kubetui.model.durations import human_duration, parse_timestamp
from kubetui.model.tabwriter import chunk_rows, format_tables

__all__ = ["Block", "as_table", "blocks_text", "name_lines"]


@dataclass
class Block:
    """The tables of one kind printed in a row (kubectl's printer for one mapping)."""

    kind_text: str                     # `deployment.apps`: the name prefix when kinds are mixed
    namespaced_column: bool            # `-A` on a namespaced kind
    tables: list[tuple[dict, bool]] = field(default_factory=list)  # (Table, whether it is a list)

    def add(self, table: dict, *, listed: bool) -> None:
        self.tables.append((table, listed))

    def lines(self, *, wide: bool, with_kind: bool) -> str:
        """The block's text ("" when it has no rows, as kubectl prints no header then)."""
        header: list[str] | None = None
        pages: list[list[list]] = []
        for table, listed in self.tables:
            columns = table.get("columnDefinitions") or []
            shown = [index for index, column in enumerate(columns) if wide or not column.get("priority")]
            name_column = _name_column(columns) if with_kind else -1
            rows = []
            for row in table.get("rows") or ():
                cells = row.get("cells") or []
                if 0 <= name_column < len(cells):
                    cells = list(cells)
                    cells[name_column] = f"{self.kind_text}/{_cell(cells[name_column])}"
                picked = [cells[index] for index in shown if index < len(cells)]
                if not all(type(cell) in _PLAIN for cell in picked):
                    picked = [_cell(cell) for cell in picked]
                if self.namespaced_column:
                    metadata = (row.get("object") or {}).get("metadata") or {}
                    picked.insert(0, str(metadata.get("namespace") or ""))
                rows.append(picked)
            # kubectl reads a list 500 objects at a time and prints each page as a table.
            pages.extend(chunk_rows(rows) if listed else [rows])
            if header is None and columns:
                header = [str(columns[index].get("name") or "").upper() for index in shown]
                if self.namespaced_column:
                    header.insert(0, "NAMESPACE")
        if header is None or not any(pages):
            return ""
        return format_tables(header, pages)


def blocks_text(blocks: list[Block], *, wide: bool, with_kind: bool) -> str:
    """Every block's table, an empty line between those that printed something."""
    texts = [text for text in (block.lines(wide=wide, with_kind=with_kind) for block in blocks) if text]
    return "\n".join(texts)


def name_lines(kind_text: str, names: list[str]) -> str:
    """`-o name`: one `kind.group/name` line per object."""
    return "".join(f"{kind_text}/{name}\n" for name in names)


def as_table(body: dict, now: datetime) -> dict:
    """`body` itself when it is a Table; else the NAME/AGE table kubectl prints for an object or
    a list a server could not print (an aggregated API without Table support)."""
    if body.get("kind") == "Table":
        return body
    items = body.get("items") if isinstance(body.get("items"), list) else [body]
    rows = []
    for item in items:
        metadata = (item or {}).get("metadata") or {}
        created = parse_timestamp(metadata.get("creationTimestamp"))
        age = human_duration((now - created).total_seconds()) if created else "<unknown>"
        rows.append({"cells": [metadata.get("name", ""), age], "object": {"metadata": metadata}})
    columns = [{"name": "Name", "type": "string", "format": "name", "priority": 0},
               {"name": "Age", "type": "string", "format": "", "priority": 0}]
    return {"kind": "Table", "columnDefinitions": columns, "rows": rows}


_PLAIN = (str, int, bool, type(None))  # written by `format_tables` as Go writes them


def _name_column(columns: list[dict]) -> int:
    for index, column in enumerate(columns):
        if column.get("format") == "name" and column.get("type") == "string":
            return index
    return -1


def _cell(value: object) -> object:
    """A cell as Go's `fmt.Sprint` writes the value decoded from JSON; strings, ints, bools and
    None are left to `format_tables`, which writes them as kubectl does."""
    if isinstance(value, float):
        return _go_float(value)
    if isinstance(value, list):
        return "[" + " ".join(str(_cell(item)) for item in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{key}:{_cell(value[key])}" for key in sorted(value)) + "]"
    return value


def _go_float(value: float) -> str:
    """Go's `fmt.Sprint` of a float64 (`strconv.FormatFloat(v, 'g', -1, 64)`): the shortest
    digits, with an exponent when it is below -4 or at least 6 (`1e+06`, `1.5e-05`, `123456`)."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "0"
    from decimal import Decimal  # floats are rare in tables: spare every run the import

    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    power = len(digits) + int(exponent) - 1  # the decimal exponent of the first digit
    minus = "-" if sign else ""
    if power < -4 or power >= 6:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{minus}{mantissa}e{'-' if power < 0 else '+'}{abs(power):02d}"
    if power < 0:
        return f"{minus}0.{'0' * (-power - 1)}{text}"
    if len(text) <= power + 1:
        return minus + text + "0" * (power + 1 - len(text))
    return f"{minus}{text[:power + 1]}.{text[power + 1:]}"
