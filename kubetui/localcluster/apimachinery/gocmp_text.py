"""The text tree go-cmp's reporter lays out (github.com/google/go-cmp cmp/report_text.go).

A report is a tree of lines, wrappers (`prefix value suffix`) and lists of records; a list is
first collapsed onto one line where it can be, then expanded with tab indentation, a two
character diff marker ("  ", "- ", "+ ") at the start of each line, keys aligned in runs of
one-line records, and long runs of plain values batched up to 80 columns. Key decision: this
is a line-for-line port, because kube-apiserver puts `cmp.Diff` output in its messages
(`pod updates may not change fields other than ...`) and kubectl prints it verbatim. go-cmp
picks regular or non-breaking spaces at random per process; this always uses regular ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_COLUMN = 80
UNKNOWN, IDENTICAL, REMOVED, INSERTED = 0, ord(" "), ord("-"), ord("+")


def _indent(n: int, mode: int) -> str:
    marker = {UNKNOWN: "  ", IDENTICAL: "  ", REMOVED: "- ", INSERTED: "+ "}.get(mode, "")
    return marker + "\t" * n


def _size(text: str) -> int:
    return len(text.encode("utf-8", "surrogateescape"))


class TextNode:
    def size(self) -> int:
        raise NotImplementedError

    def compact(self, mode: int) -> tuple[str, "TextNode"]:
        """(single-line text, the node with collapsible parts replaced by lines)."""
        raise NotImplementedError

    def expanded(self, mode: int, depth: int) -> str:
        raise NotImplementedError

    def render(self) -> str:
        """textNode.String(): compact, then expand at depth 0, with a trailing newline."""
        if isinstance(self, Line):
            return self.text
        _, node = self.compact(UNKNOWN)
        return _indent(0, UNKNOWN) + node.expanded(UNKNOWN, 0) + "\n"


@dataclass(frozen=True)
class Line(TextNode):
    text: str

    def size(self) -> int:
        return _size(self.text)

    def compact(self, mode: int) -> tuple[str, TextNode]:
        return self.text, self

    def expanded(self, mode: int, depth: int) -> str:
        return self.text


NIL = Line("nil")
ELLIPSIS = Line("...")


@dataclass(frozen=True)
class Wrap(TextNode):
    prefix: str
    value: TextNode
    suffix: str = ""

    def size(self) -> int:
        return _size(self.prefix) + self.value.size() + _size(self.suffix)

    def compact(self, mode: int) -> tuple[str, TextNode]:
        inner, value = self.value.compact(mode)
        text = self.prefix + inner + self.suffix
        if isinstance(value, Line):
            return text, Line(text)
        return text, Wrap(self.prefix, value, self.suffix)

    def expanded(self, mode: int, depth: int) -> str:
        return self.prefix + self.value.expanded(mode, depth) + self.suffix


@dataclass(frozen=True)
class Stats:
    """diffStats: counts of coalesced records, printed as `6 identical fields`."""

    name: str
    ignored: int = 0
    identical: int = 0
    removed: int = 0
    inserted: int = 0
    modified: int = 0

    @property
    def num_diff(self) -> int:
        return self.removed + self.inserted + self.modified

    def is_zero(self) -> bool:
        return not (self.ignored or self.identical or self.removed or self.inserted or self.modified)

    def plus(self, other: "Stats") -> "Stats":
        return Stats(self.name, self.ignored + other.ignored, self.identical + other.identical,
                     self.removed + other.removed, self.inserted + other.inserted,
                     self.modified + other.modified)

    def __str__(self) -> str:
        labels = ("ignored", "identical", "removed", "inserted", "modified")
        counts = (self.ignored, self.identical, self.removed, self.inserted, self.modified)
        parts = [f"{n} {label}" for n, label in zip(counts, labels) if n > 0]
        name = self.name
        if sum(counts) > 1:
            name += "s"
            if name.endswith("ys"):
                name = name[:-2] + "ies"
        if not parts:
            return ""
        if len(parts) <= 2:
            return " and ".join(parts) + " " + name
        return ", ".join(parts[:-1]) + ", and " + parts[-1] + " " + name


@dataclass(frozen=True)
class Record:
    value: TextNode
    key: str = ""
    diff: int = UNKNOWN
    elide_comma: bool = False
    comment: object = None  # Stats or str


@dataclass(frozen=True)
class TextList(TextNode):
    records: tuple[Record, ...] = field(default=())

    def size(self) -> int:
        total = 0
        for index, record in enumerate(self.records):
            total += _size(record.key) + (2 if record.key else 0) + record.value.size()
            if index < len(self.records) - 1:
                total += 2
        return total

    def compact(self, mode: int) -> tuple[str, TextNode]:
        pieces: list[str] = []
        records: list[Record] = []
        multi = False
        for index, record in enumerate(self.records):
            if record.diff in (INSERTED, REMOVED):
                multi = True
            text, value = record.value.compact(mode | record.diff)
            pieces.append(record.key + (": " if record.key else "") + text)
            if not isinstance(value, Line) or record.comment is not None:
                multi = True
            records.append(Record(value, record.key, record.diff, record.elide_comma, record.comment))
            if index < len(self.records) - 1:
                pieces.append(", ")
        text = "".join(pieces)
        if mode in (INSERTED, REMOVED) and _size(text) > MAX_COLUMN:
            multi = True
        if not multi:
            return text, Line(text)
        return text, TextList(tuple(records))

    def _align(self, skip, length) -> list[int]:
        pads = [0] * len(self.records)
        start, end, widest = 0, 0, 0
        for index, record in enumerate(self.records):
            if skip(record):
                for j in range(start, end):
                    pads[j] = widest - length(self.records[j])
                start, end, widest = index + 1, index + 1, 0
            else:
                widest = max(widest, length(record))
                end = index + 1
        for j in range(start, end):
            pads[j] = widest - length(self.records[j])
        return pads

    def expanded(self, mode: int, depth: int) -> str:
        key_pads = self._align(lambda r: r.key == "" or not isinstance(r.value, Line),
                               lambda r: len(r.key))
        value_pads = self._align(
            lambda r: not isinstance(r.value, Line) or r.value == ELLIPSIS or r.comment is None,
            lambda r: len(r.value.text))
        simple = bool(self.records) and all(
            r.diff == UNKNOWN and r.key == "" and isinstance(r.value, Line) and r.comment is None
            for r in self.records)
        out: list[str] = []
        if simple:
            batch = ""
            for record in self.records:
                line = record.value.text  # type: ignore[attr-defined]
                if _size(batch) + _size(line) + 2 > MAX_COLUMN and batch:
                    out.append("\n" + _indent(depth + 1, mode) + batch.rstrip(" "))
                    batch = ""
                batch += line + ", "
            if batch:
                out.append("\n" + _indent(depth + 1, mode) + batch.rstrip(" "))
            out.append("\n" + _indent(depth, mode))
            return "".join(out)
        for index, record in enumerate(self.records):
            out.append("\n" + _indent(depth + 1, mode | record.diff))
            if record.key:
                out.append(record.key + ": ")
            out.append(" " * key_pads[index])
            out.append(record.value.expanded(mode | record.diff, depth + 1))
            if not record.elide_comma:
                out.append(",")
            out.append(" " * value_pads[index])
            if record.comment is not None:
                out.append(" // " + str(record.comment))
        out.append("\n" + _indent(depth, mode))
        return "".join(out)


def append_ellipsis(records: list[Record], stats: Stats | None = None) -> None:
    """textList.AppendEllipsis: one `...` at the end, its statistics merged."""
    has_stats = stats is not None and not stats.is_zero()
    if not records or records[-1].value != ELLIPSIS:
        records.append(Record(ELLIPSIS, elide_comma=True, comment=stats if has_stats else None))
        return
    if has_stats:
        last = records[-1]
        merged = last.comment.plus(stats) if isinstance(last.comment, Stats) else stats
        records[-1] = Record(last.value, last.key, last.diff, last.elide_comma, merged)
