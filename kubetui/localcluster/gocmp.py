"""`cmp.Diff(x, y)` of github.com/google/go-cmp on typed Go values held in Python.

kube-apiserver appends `cmp.Diff(oldPod.Spec, newPod.Spec)` to the pod-update error, so the
exact text depends on go-cmp's algorithm: a tree of compared nodes (leaf counts, depth), an
edit script for slices, then a report that prints two records of context around each change,
folds the rest into `... // N identical fields`, and shortens identical values. Values are
`GoType`s with Python data: a struct is a tuple in field order, a slice a list (None for
nil), a map a dict (None for nil), a pointer the pointee (None for nil).

Key decisions: a faithful port of report_compare.go, report_reflect.go and internal/diff for
the kinds pod specs hold; the special line-by-line diff go-cmp gives two long strings
(report_slices.go) is not ported, such strings print as a removed and an inserted value.
The slice edit script searches forward first (go-cmp flips a coin per process).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from kubetui.localcluster.gocmp_text import (
    ELLIPSIS, IDENTICAL, INSERTED, NIL, REMOVED, UNKNOWN, Line, Record, Stats, TextList, TextNode,
    Wrap, append_ellipsis,
)

STRUCT, SLICE, MAP, PTR, STRING, INT, BOOL, OPAQUE = (
    "struct", "slice", "map", "ptr", "string", "int", "bool", "opaque")
EMIT, ELIDE, AUTO = 0, 1, 2
CONTEXT_RECORDS = 2
MAX_PRESET = 6


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()  # the missing side of an inserted/removed slice element or map entry


@dataclass(eq=False)
class GoType:
    kind: str
    name: str = ""                      # as go-cmp prints it: core.PodSpec, []string, ...
    elem: "GoType | None" = None        # slice/map value/pointer target
    key: "GoType | None" = None         # map key
    fields: tuple = ()                  # struct: ((name, GoType), ...)
    stringer: bool = False              # the value has a String method (core.ResourceName)
    equal: Callable[[Any, Any], bool] | None = None  # its Equal method (resource.Quantity)

    def set_fields(self, fields: list[tuple[str, "GoType"]]) -> "GoType":
        self.fields = tuple(fields)
        return self


def is_zero(t: GoType, value: Any) -> bool:
    if t.kind in (SLICE, MAP, PTR, OPAQUE):
        return value is None
    if t.kind == STRUCT:
        return all(is_zero(ft, v) for (_, ft), v in zip(t.fields, value))
    return not value


def semantic_equal(t: GoType, x: Any, y: Any) -> bool:
    """apiequality.Semantic.DeepEqual: like reflect.DeepEqual, but an empty slice or map
    equals a nil one (quantities compare by value, which their parsed form already does)."""
    if t.kind in (SLICE, MAP):
        if not x and not y:
            return True
        if x is None or y is None or len(x) != len(y):
            return False
        if t.kind == SLICE:
            return all(semantic_equal(t.elem, a, b) for a, b in zip(x, y))  # type: ignore[arg-type]
        return x.keys() == y.keys() and all(semantic_equal(t.elem, x[k], y[k]) for k in x)  # type: ignore[arg-type]
    if t.kind == PTR:
        if x is None or y is None:
            return x is None and y is None
        return semantic_equal(t.elem, x, y)  # type: ignore[arg-type]
    if t.equal is not None:
        return t.equal(x, y)
    if t.kind == STRUCT:
        return all(semantic_equal(ft, a, b) for (_, ft), a, b in zip(t.fields, x, y))
    return x == y


# ------------------------------------------------------------------------------ comparing
@dataclass(eq=False)
class Node:
    """valueNode: one compared value and what its subtree found."""

    type: GoType
    x: Any
    y: Any
    same: int = 0
    diff: int = 0
    children: int = 0
    depth: int = 0
    records: list = field(default_factory=list)  # [(key, Node)]: struct fields, elements, entries
    value: "Node | None" = None  # a pointer's target

    def report(self, equal: bool) -> None:
        if equal:
            self.same += 1
        else:
            self.diff += 1

    def absorb(self, child: "Node") -> None:
        self.same += child.same
        self.diff += child.diff
        self.children += child.children + 1
        self.depth = max(self.depth, child.depth + 1)


def compare(t: GoType, x: Any, y: Any) -> Node:
    node = Node(t, x, y)
    if x is INVALID or y is INVALID:
        node.report(x is y)
    elif t.equal is not None:
        node.report(t.equal(x, y))
    elif t.kind in (STRING, INT, BOOL, OPAQUE):
        node.report(x == y)
    elif t.kind == PTR:
        if x is None or y is None:
            node.report(x is None and y is None)
        else:
            node.value = compare(t.elem, x, y)  # type: ignore[arg-type]
            node.absorb(node.value)
    elif t.kind == STRUCT:
        for (name, ft), vx, vy in zip(t.fields, x, y):
            child = compare(ft, vx, vy)
            node.records.append((name, child))
            node.absorb(child)
    elif x is None or y is None:  # a nil slice or map
        node.report(x is None and y is None)
    elif t.kind == SLICE:
        for ix, iy in _edit_pairs(t.elem, x, y):  # type: ignore[arg-type]
            child = compare(t.elem, x[ix] if ix >= 0 else INVALID, y[iy] if iy >= 0 else INVALID)  # type: ignore[arg-type]
            node.records.append((None, child))
            node.absorb(child)
    else:
        for key in sorted(set(x) | set(y)):
            child = compare(t.elem, x.get(key, INVALID), y.get(key, INVALID))  # type: ignore[arg-type]
            node.records.append((key, child))
            node.absorb(child)
    return node


IDENTITY, UNIQUE_X, UNIQUE_Y, MODIFIED = range(4)


class _Path:
    def __init__(self, direction: int, x: int, y: int) -> None:
        self.dir, self.x, self.y = direction, x, y
        self.edits: list[int] = []

    def append(self, edit: int) -> None:
        self.edits.append(edit)
        if edit in (IDENTITY, MODIFIED):
            self.x += self.dir
            self.y += self.dir
        elif edit == UNIQUE_X:
            self.x += self.dir
        else:
            self.y += self.dir

    def connect(self, dst_x: int, dst_y: int, result) -> None:
        if self.dir > 0:
            while dst_x > self.x and dst_y > self.y:
                same, diff = result(self.x, self.y)
                if diff == 0:
                    self.append(IDENTITY)
                elif same + 1 >= diff:
                    self.append(MODIFIED)
                elif dst_x - self.x >= dst_y - self.y:
                    self.append(UNIQUE_X)
                else:
                    self.append(UNIQUE_Y)
            while dst_x > self.x:
                self.append(UNIQUE_X)
            while dst_y > self.y:
                self.append(UNIQUE_Y)
        else:
            while self.x > dst_x and self.y > dst_y:
                same, diff = result(self.x - 1, self.y - 1)
                if diff == 0:
                    self.append(IDENTITY)
                elif same + 1 >= diff:
                    self.append(MODIFIED)
                elif self.y - dst_y >= self.x - dst_x:
                    self.append(UNIQUE_Y)
                else:
                    self.append(UNIQUE_X)
            while self.x > dst_x:
                self.append(UNIQUE_X)
            while self.y > dst_y:
                self.append(UNIQUE_Y)


def _zigzag(i: int) -> int:
    return -((i + 1) >> 1) if i & 1 else i >> 1


def difference(nx: int, ny: int, result) -> list[int]:
    """internal/diff.Difference: a greedy meet-in-the-middle edit script."""
    fwd, rev = _Path(1, 0, 0), _Path(-1, nx, ny)
    fwd_front, rev_front = [0, 0], [nx, ny]
    budget = 4 * (nx + ny)

    def equal(ix: int, iy: int) -> bool:
        return result(ix, iy)[1] == 0

    while True:
        if fwd_front[0] >= rev_front[0] or fwd_front[1] >= rev_front[1] or budget == 0:
            break
        stop1 = stop2 = False
        i = 0
        while not (stop1 and stop2) and budget > 0:
            z = _zigzag(i)
            px, py = fwd_front[0] + z, fwd_front[1] - z
            if px >= rev.x or py < fwd.y:
                stop1 = True
            elif py >= rev.y or px < fwd.x:
                stop2 = True
            elif equal(px, py):
                fwd.connect(px, py, result)
                fwd.append(IDENTITY)
                while fwd.x < rev.x and fwd.y < rev.y and equal(fwd.x, fwd.y):
                    fwd.append(IDENTITY)
                fwd_front = [fwd.x, fwd.y]
                stop1 = stop2 = True
            else:
                budget -= 1
            i += 1
        if rev.x - fwd_front[0] >= rev.y - fwd_front[1]:
            fwd_front[0] += 1
        else:
            fwd_front[1] += 1
        if fwd_front[0] >= rev_front[0] or fwd_front[1] >= rev_front[1] or budget == 0:
            break
        stop1 = stop2 = False
        i = 0
        while not (stop1 and stop2) and budget > 0:
            z = _zigzag(i)
            px, py = rev_front[0] - z, rev_front[1] + z
            if fwd.x >= px or rev.y < py:
                stop1 = True
            elif fwd.y >= py or rev.x < px:
                stop2 = True
            elif equal(px - 1, py - 1):
                rev.connect(px, py, result)
                rev.append(IDENTITY)
                while fwd.x < rev.x and fwd.y < rev.y and equal(rev.x - 1, rev.y - 1):
                    rev.append(IDENTITY)
                rev_front = [rev.x, rev.y]
                stop1 = stop2 = True
            else:
                budget -= 1
            i += 1
        if rev_front[0] - fwd.x >= rev_front[1] - fwd.y:
            rev_front[0] -= 1
        else:
            rev_front[1] -= 1
    fwd.connect(rev.x, rev.y, result)
    return fwd.edits + rev.edits[::-1]


def _edit_pairs(elem: GoType, x: list, y: list) -> list[tuple[int, int]]:
    cache: dict[tuple[int, int], tuple[int, int]] = {}

    def result(ix: int, iy: int) -> tuple[int, int]:
        if (ix, iy) not in cache:
            node = compare(elem, x[ix], y[iy])
            cache[ix, iy] = (node.same, node.diff)
        return cache[ix, iy]

    pairs, ix, iy = [], 0, 0
    for edit in difference(len(x), len(y), result):
        if edit == UNIQUE_X:
            pairs.append((ix, -1))
            ix += 1
        elif edit == UNIQUE_Y:
            pairs.append((-1, iy))
            iy += 1
        else:
            pairs.append((ix, iy))
            ix, iy = ix + 1, iy + 1
    return pairs


# ------------------------------------------------------------------------------ formatting
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


def _go_printable(ch: str) -> bool:
    return ch == " " or (ch.isprintable() and unicodedata.category(ch)[0] not in "CZ")


def go_quote(text: str) -> str:
    """strconv.Quote, with undecodable bytes (surrogate escapes) as \\xNN."""
    escapes = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
               "\v": "\\v", "\\": "\\\\", '"': '\\"'}
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in escapes:
            out.append(escapes[ch])
        elif 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif _go_printable(ch):
            out.append(ch)
        elif code < 0x80:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return "".join(out) + '"'


def _byte_len(text: str) -> int:
    return len(text.encode("utf-8", "surrogateescape"))


def _quoted(text: str) -> str:
    """go-cmp's formatString: a quoted string, or a raw one when that is shorter."""
    quoted = go_quote(text)
    if _byte_len(quoted) == _byte_len(text) + 2:
        return quoted
    if all(ch != "`" and ch != "\n" and (_go_printable(ch) or ch == "\t") for ch in text) \
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
                  and all(_go_printable(ch) or ch == "\t" for ch in line) and _byte_len(line) <= max_len)
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


__all__ = ["INVALID", "GoType", "Node", "compare", "diff", "difference", "format_value",
           "is_zero", "semantic_equal"]
