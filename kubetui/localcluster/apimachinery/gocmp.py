"""`cmp.Diff(x, y)` of github.com/google/go-cmp on typed Go values held in Python.

kube-apiserver appends `cmp.Diff(oldPod.Spec, newPod.Spec)` to the pod-update error, so the
exact text depends on go-cmp's report: two records of context around each change, the rest
folded into `... // N identical fields`, identical values shortened, types printed only where
a value differs. Values and their comparison are gocmp_values.py; the text tree is
gocmp_text.py. Key decisions: a faithful port of report_compare.go and report_reflect.go for
the kinds pod specs hold; the special line-by-line diff go-cmp gives two long strings
(report_slices.go) is not ported, such strings print as a removed and an inserted value.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from kubetui.localcluster.apimachinery.gocmp_text import (
    ELLIPSIS,
    IDENTICAL,
    INSERTED,
    NIL,
    REMOVED,
    UNKNOWN,
    Line,
    Record,
    Stats,
    TextList,
    TextNode,
    Wrap,
    append_ellipsis,
)
from kubetui.localcluster.apimachinery.gocmp_values import (
    BOOL,
    INT,
    INVALID,
    MAP,
    OPAQUE,
    PTR,
    SLICE,
    STRING,
    STRUCT,
    GoType,
    Node,
    compare,
    is_zero,
    semantic_equal,
)
from kubetui.model.go_quote import go_printable, go_quote

EMIT, ELIDE, AUTO = 0, 1, 2
CONTEXT_RECORDS = 2
MAX_PRESET = 6


@dataclass(frozen=True)
class Options:
    mode: int = UNKNOWN
    type_mode: int = EMIT
    avoid_stringer: bool = False
    verbosity: int = 0
    limit: bool = False

    @property
    def level(self) -> int:
        return max(0, min(16, self.verbosity))

    def with_verbosity(self, level: int) -> "Options":
        return replace(self, verbosity=level, limit=True)


def _preset(opts: Options, i: int) -> Options:
    return replace(opts, verbosity=opts.level + 2 * i, avoid_stringer=opts.avoid_stringer or i > 0)


def _byte_len(text: str) -> int:
    return len(text.encode("utf-8", "surrogateescape"))


def _quoted(text: str) -> str:
    """go-cmp's formatString: a quoted string, or a raw one when that is shorter."""
    quoted = go_quote(text)
    if _byte_len(quoted) == _byte_len(text) + 2:
        return quoted
    if all(ch != "`" and ch != "\n" and (go_printable(ch) or ch == "\t") for ch in text) \
            and not any(0xDC80 <= ord(ch) <= 0xDCFF for ch in text):
        return "`" + text + "`"
    return quoted


def format_string(opts: Options, prefix: str, text: str) -> TextNode:
    max_len = _byte_len(text)
    max_lines = text.count("\n") + 1
    if opts.limit:
        max_len = (1 << opts.level) << 5
        max_lines = (1 << opts.level) << 2
    lines = (text[:-1] if text.endswith("\n") else text).split("\n")
    triple = len(lines) >= 4 and opts.mode in (REMOVED, INSERTED)
    for index in range(len(lines)):
        if not triple:
            break
        line = lines[index] = lines[index].removesuffix("\r").removeprefix("\r")
        triple = (not line.removeprefix(prefix).startswith('"""') and not line.startswith("...")
                  and all(go_printable(ch) or ch == "\t" for ch in line) and _byte_len(line) <= max_len)
    if triple:
        records = [Record(Line(prefix + '"""'), diff=opts.mode, elide_comma=True)]
        for index, line in enumerate(lines):
            elided = len(lines) - index
            if index == max_lines - 1 and elided > 1:
                records.append(Record(ELLIPSIS, diff=opts.mode, elide_comma=True,
                                      comment=f"{elided} elided lines"))
                break
            records.append(Record(Line(line), diff=opts.mode, elide_comma=True))
        records.append(Record(Line(prefix + '"""'), diff=opts.mode, elide_comma=True))
        return Wrap("(", TextList(tuple(records)), ")")
    raw = text.encode("utf-8", "surrogateescape")
    if len(raw) > max_len + 3:
        return Line(prefix + _quoted(raw[:max_len].decode("utf-8", "surrogateescape")) + "...")
    return Line(prefix + _quoted(text))


def format_type(opts: Options, t: GoType, node: TextNode) -> TextNode:
    if opts.type_mode == AUTO:
        if t.kind not in (STRUCT, SLICE, MAP) or node == NIL or opts.mode == IDENTICAL:
            return node
    elif opts.type_mode == ELIDE:
        return node
    name = f"({t.name})" if t.kind == PTR else t.name
    if isinstance(node, Wrap) and ((node.prefix.startswith("(") and node.suffix.endswith(")"))
                                   or (node.prefix.startswith("{") and node.suffix.endswith("}"))):
        return Wrap(name, node)
    return Wrap(name, Wrap("(", node, ")"))


def format_map_key(t: GoType, key: Any) -> str:
    opts = Options(mode=IDENTICAL, type_mode=ELIDE, verbosity=MAX_PRESET, limit=True)
    return format_value(opts, t, key).render().strip()  # type: ignore[union-attr]


def format_value(opts: Options, t: GoType, value: Any) -> TextNode | None:
    """FormatValue: one value on its own (no comparison)."""
    if value is INVALID:
        return None
    if t.stringer and not opts.avoid_stringer:
        return format_string(opts, "s", str(value))
    out: TextNode
    if t.kind == BOOL:
        out = Line("true" if value else "false")
    elif t.kind == INT:
        out = Line(str(value))
    elif t.kind == STRING:
        out = format_string(opts, "", value)
    elif t.kind == OPAQUE:
        out = NIL if value is None else Line(repr(value))
    elif t.kind == PTR:
        if value is None:
            return format_type(opts, t, NIL)
        return Wrap("&", format_value(opts, t.elem, value))  # type: ignore[arg-type]
    elif value is None:
        out = NIL
    else:
        out = _format_composite(opts, t, value)
    return format_type(opts, t, out)


def _format_composite(opts: Options, t: GoType, value: Any) -> TextNode:
    records: list[Record] = []
    if t.kind == STRUCT:
        limit = len(t.fields)
        if opts.limit:
            limit = ((1 << opts.level) >> 1) << 2
            opts = replace(opts, verbosity=opts.verbosity - 1)
        for (name, ft), item in zip(t.fields, value):
            if is_zero(ft, item):
                continue
            if len(records) == limit:
                append_ellipsis(records)
                break
            records.append(Record(format_value(replace(opts, type_mode=AUTO), ft, item), name))  # type: ignore[arg-type]
        return Wrap("{", TextList(tuple(records)), "}")
    limit = len(value)
    if opts.limit:
        limit = ((1 << opts.level) >> 1) << 2
        opts = replace(opts, verbosity=opts.verbosity - 1)
    items = [(None, value[i]) for i in range(len(value))] if t.kind == SLICE else \
        [(format_map_key(t.key, k), value[k]) for k in sorted(value)]  # type: ignore[arg-type]
    for key, item in items:
        if len(records) == limit:
            append_ellipsis(records)
            break
        records.append(Record(format_value(replace(opts, type_mode=ELIDE), t.elem, item), key or ""))  # type: ignore[arg-type]
    return Wrap("{", TextList(tuple(records)), "}")


def format_diff(opts: Options, node: Node) -> TextNode | None:
    """FormatDiff: a compared node, as a difference (mode UNKNOWN) or one of its sides."""
    opts = opts.with_verbosity(1) if opts.mode == IDENTICAL else (
        opts if opts.level >= 3 else opts.with_verbosity(3))
    t = node.type
    if node.depth == 0:
        if opts.mode in (UNKNOWN, IDENTICAL):
            if node.diff == 0:
                out_x, out_y = format_value(opts, t, node.x), format_value(opts, t, node.y)
                return out_x if out_x.size() < out_y.size() else out_y  # type: ignore[union-attr]
            records = []
            out_x = format_value(replace(opts, type_mode=ELIDE), t, node.x)
            out_y = format_value(replace(opts, type_mode=ELIDE), t, node.y)
            for i in range(MAX_PRESET + 1):
                if out_x is None or out_y is None or out_x != out_y:
                    break
                alt = replace(_preset(opts, i), type_mode=ELIDE)
                out_x, out_y = format_value(alt, t, node.x), format_value(alt, t, node.y)
            if out_x is not None:
                records.append(Record(out_x, diff=REMOVED))
            if out_y is not None:
                records.append(Record(out_y, diff=INSERTED))
            return format_type(replace(opts, type_mode=EMIT), t, TextList(tuple(records)))
        return format_value(opts, t, node.x if opts.mode == REMOVED else node.y)
    if t.kind == PTR:
        return Wrap("&", format_diff(opts, node.value))  # type: ignore[arg-type]
    return format_type(opts, t, _format_diff_list(opts, node))


def _record_key(t: GoType, key: Any) -> str:
    if t.kind == STRUCT:
        return key
    if t.kind == MAP:
        return format_map_key(t.key, key)  # type: ignore[arg-type]
    return ""


def _groups(name: str, records: list) -> list[Stats]:
    groups: list[Stats] = []
    previous = 0
    for _, child in records:
        case = 1 if child.diff == 0 else 2
        if case != previous:
            groups.append(Stats(name))
            previous = case
        last = groups[-1]
        if child.diff == 0:
            groups[-1] = replace(last, identical=last.identical + 1)
        elif child.y is INVALID:
            groups[-1] = replace(last, removed=last.removed + 1)
        elif child.x is INVALID:
            groups[-1] = replace(last, inserted=last.inserted + 1)
        else:
            groups[-1] = replace(last, modified=last.modified + 1)
    return groups


def _format_diff_list(opts: Options, node: Node) -> TextNode:
    t = node.type
    kind = t.kind
    name = {STRUCT: "field", SLICE: "element", MAP: "entry"}[kind]
    opts = replace(opts, type_mode=AUTO if kind == STRUCT else ELIDE)
    limit = -1
    if opts.limit:
        limit = ((1 << opts.level) >> 1) << 2 if opts.mode == IDENTICAL else (1 << opts.level) << 1
        opts = replace(opts, verbosity=opts.verbosity - 1)
    records: list[Record] = []
    if opts.mode in (IDENTICAL, REMOVED, INSERTED):
        deferred = False
        for key, child in node.records:
            if len(records) == limit:
                deferred = True
                break
            if kind == STRUCT:
                if opts.mode == IDENTICAL:
                    zero = is_zero(child.type, child.x) or is_zero(child.type, child.y)
                else:
                    zero = is_zero(child.type, child.x if opts.mode == REMOVED else child.y)
                if zero:
                    continue
            out = format_diff(opts, child)
            if out is not None:
                records.append(Record(out, _record_key(t, key)))
        if deferred:
            append_ellipsis(records)
        return Wrap("{", TextList(tuple(records)), "}")
    remaining = list(node.records)
    diffs = 0
    overflow = Stats(name)
    groups = _groups(name, remaining)
    for index, group in enumerate(groups):
        if 0 <= limit <= diffs:
            overflow = overflow.plus(group)
            continue
        if group.num_diff == 0:
            equal = group.ignored + group.identical
            low = high = 0
            while low < CONTEXT_RECORDS and low + high < equal and index != 0:
                low += 1
            while high < CONTEXT_RECORDS and low + high < equal and index != len(groups) - 1:
                high += 1
            if equal - (low + high) == 1 and group.ignored == 0:
                high += 1
            identical = replace(opts, mode=IDENTICAL)
            for key, child in remaining[:low]:
                records.append(Record(format_diff(identical, child), _record_key(t, key)))  # type: ignore[arg-type]
            if equal > low + high:
                append_ellipsis(records, replace(group, identical=group.identical - low - high))
            for key, child in remaining[equal - high:equal]:
                records.append(Record(format_diff(identical, child), _record_key(t, key)))  # type: ignore[arg-type]
            remaining = remaining[equal:]
            continue
        for key, child in remaining[:group.num_diff]:
            record_key = _record_key(t, key)
            if child.children == child.depth:
                out_x = format_diff(replace(opts, mode=REMOVED), child)
                out_y = format_diff(replace(opts, mode=INSERTED), child)
                for i in range(MAX_PRESET + 1):
                    if out_x is None or out_y is None or out_x != out_y:
                        break
                    alt = _preset(opts, i)
                    out_x = format_diff(replace(alt, mode=REMOVED), child)
                    out_y = format_diff(replace(alt, mode=INSERTED), child)
                if out_x is not None:
                    records.append(Record(out_x, record_key, REMOVED))
                if out_y is not None:
                    records.append(Record(out_y, record_key, INSERTED))
            else:
                records.append(Record(format_diff(opts, child), record_key))  # type: ignore[arg-type]
        remaining = remaining[group.num_diff:]
        diffs += group.num_diff
    if not overflow.is_zero():
        append_ellipsis(records, overflow)
    return Wrap("{", TextList(tuple(records)), "}")


def diff(t: GoType, x: Any, y: Any) -> str:
    """cmp.Diff(x, y): "" when equal, else the report (each line starts with "  ", "- " or
    "+ ", the last one ends with a newline)."""
    root = compare(t, x, y)
    if root.diff == 0:
        return ""
    return format_diff(Options(), root).render()  # type: ignore[union-attr]


__all__ = ["BOOL", "INT", "INVALID", "MAP", "OPAQUE", "PTR", "SLICE", "STRING", "STRUCT", "GoType",
           "compare", "diff", "format_value", "is_zero", "semantic_equal"]
