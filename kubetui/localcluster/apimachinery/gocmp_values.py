"""Go values held in Python, and go-cmp's comparison of them (cmp/compare.go, internal/diff).

A `GoType` says how to read a value: a struct is a tuple in field order, a slice a list (None
for nil), a map a dict (None for nil), a pointer the pointee (None for nil). `compare` builds
go-cmp's tree of compared nodes (counts of equal and different leaves, depth), slices matched
by its greedy edit script, which searches forward first (go-cmp flips a coin per process).
`semantic_equal` is apimachinery's Semantic.DeepEqual (an empty slice or map equals nil).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

STRUCT, SLICE, MAP, PTR, STRING, INT, BOOL, OPAQUE = (
    "struct", "slice", "map", "ptr", "string", "int", "bool", "opaque")


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


__all__ = ["BOOL", "INT", "INVALID", "MAP", "OPAQUE", "PTR", "SLICE", "STRING", "STRUCT", "GoType",
           "Node", "compare", "difference", "is_zero", "semantic_equal"]
