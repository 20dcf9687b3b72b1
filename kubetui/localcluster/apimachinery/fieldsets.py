"""Field paths and sets as sigs.k8s.io/structured-merge-diff sees them.

A path is a tuple of FieldsV1 element strings: `f:spec`, `k:{"name":"nginx"}` (list-map
item), `v:"x"` (list-set item). A set is a Python `set` of member paths. This module
encodes and decodes FieldsV1, and ports the three typed walks server-side apply needs:
`apply_set` (ToFieldSet), `compare` (Compare) and `merge` (Merge), plus item removal for
pruning. Key decision: the walks are driven by `kubetypes`, so containers merge by name and
`spec.selector` is atomic exactly where the real OpenAPI says so.
"""

from __future__ import annotations

import copy
import json

import orjson

from kubetui.localcluster.apimachinery.kubetypes import ListOf, MapOf, child_type, is_atomic

_ABSENT = object()


def _json(value) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def item_element(item, list_type: ListOf) -> str:
    """The path element naming a list item: `k:{...}` for list-maps, `v:...` for sets."""
    if list_type.keys and isinstance(item, dict):
        key = dict(list_type.key_defaults)
        key.update({k: item[k] for k in list_type.keys if item.get(k) is not None})
        return "k:" + _json({k: key[k] for k in sorted(key) if k in list_type.keys})
    return "v:" + _json(item)


def is_granular_list(type_) -> bool:
    return isinstance(type_, ListOf) and bool(type_.keys or type_.is_set)


# ------------------------------------------------------------------ FieldsV1


def _element_order(element: str) -> tuple:
    return ("fkvi".find(element[0]), element)


def encode(paths: set) -> dict:
    """A set of paths as FieldsV1 JSON: `{}` leaves, `.` for members that have children."""
    root: dict = {}
    for path in paths:
        node = root
        for element in path:
            node = node.setdefault(element, {})
    return _sorted_tree(root, paths, ())


def _sorted_tree(node: dict, members: set, path: tuple) -> dict:
    out: dict = {}
    if node and path in members:
        out["."] = {}
    for element in sorted(node, key=_element_order):
        out[element] = _sorted_tree(node[element], members, path + (element,))
    return out


def decode(fields_v1: dict) -> set:
    """FieldsV1 JSON to a set of paths; anything that is not an object decodes to nothing."""
    paths: set = set()
    if isinstance(fields_v1, dict):
        _decode_into(fields_v1, (), paths)
    return paths


def _decode_into(node: dict, path: tuple, out: set) -> None:
    if path and (not node or "." in node):
        out.add(path)
    for element, child in node.items():
        if element != ".":
            _decode_into(child if isinstance(child, dict) else {}, path + (element,), out)


def path_string(path: tuple) -> str:
    """fieldpath.Path.String(): `.spec.containers[name="nginx"].image`."""
    parts = []
    for element in path:
        kind, body = element[0], element[2:]
        if kind == "f":
            parts.append("." + body)
        elif kind == "k":
            parts.append("[" + ",".join(f"{k}={_json(v)}" for k, v in json.loads(body).items()) + "]")
        elif kind == "v":
            parts.append(f"[={body}]")
        else:
            parts.append(f"[{body}]")
    return "".join(parts)


def iteration_order(path: tuple) -> tuple:
    """Set.Iterate order: at each level members come before children, both sorted."""
    return tuple((0 if i == len(path) - 1 else 1, _element_order(e)) for i, e in enumerate(path))


# ------------------------------------------------------------------ typed walks


def apply_set(obj: dict, type_) -> set:
    """ToFieldSet: leaves, list items and atomic values of an apply configuration."""
    out: set = set()
    _collect(obj, type_, (), out)
    return out


def _collect(value, type_, path: tuple, out: set) -> None:
    if isinstance(value, dict) and not is_atomic(type_):
        for key, child in value.items():
            _collect(child, child_type(type_, key), path + ("f:" + key,), out)
        return
    if isinstance(value, list) and is_granular_list(type_):
        for item in value:
            item_path = path + (item_element(item, type_),)
            out.add(item_path)
            if isinstance(item, dict):
                _collect(item, type_.item, item_path, out)
        return
    if path:
        out.add(path)


def compare(old, new, type_) -> tuple[set, set, set]:
    """Compare: (added, modified, removed) paths from `old` to `new`."""
    added: set = set()
    modified: set = set()
    removed: set = set()
    _compare(old, new, type_, (), (added, modified, removed))
    return added, modified, removed


def _shape(value) -> str:
    if value is _ABSENT or value is None:
        return "absent" if value is _ABSENT else "null"
    return "map" if isinstance(value, dict) else "list" if isinstance(value, list) else "scalar"


def _compare(lhs, rhs, type_, path: tuple, result) -> None:
    if _unchanged(lhs, rhs):
        return
    added, _, removed = result
    # A null behaves like an empty container that is present (the zero value of a Go field
    # without omitempty): its contents count as added, the container itself does not.
    shapes = {_shape(lhs), _shape(rhs)} - {"absent", "null"}
    both_empty = not (lhs if lhs is not _ABSENT else None) and not (rhs if rhs is not _ABSENT else None)
    if shapes == {"map"} and not is_atomic(type_) and not both_empty:
        lmap = lhs if isinstance(lhs, dict) else {}
        rmap = rhs if isinstance(rhs, dict) else {}
        for key in list(lmap) + [k for k in rmap if k not in lmap]:
            _compare(lmap.get(key, _ABSENT), rmap.get(key, _ABSENT), child_type(type_, key),
                     path + ("f:" + key,), result)
    elif shapes == {"list"} and is_granular_list(type_) and not both_empty:
        _, litems = _index(lhs if isinstance(lhs, list) else [], type_)
        _, ritems = _index(rhs if isinstance(rhs, list) else [], type_)
        for element in list(litems) + [e for e in ritems if e not in litems]:
            _compare(litems.get(element, _ABSENT), ritems.get(element, _ABSENT), type_.item,
                     path + (element,), result)
    else:
        _leaf(lhs, rhs, path, result)
        return
    if path:  # a map or list item that appeared or vanished as a whole is itself a member
        if lhs is _ABSENT:
            added.add(path)
        elif rhs is _ABSENT:
            removed.add(path)


def _unchanged(lhs, rhs) -> bool:
    """Nothing differs below: the walk may skip the subtree. Python's `==` says so in C, except
    that it takes True for 1 (the leaves tell them apart), so equal containers are also compared
    as JSON; a value JSON cannot encode is walked."""
    if lhs is rhs:
        return lhs is not _ABSENT
    if type(lhs) is not type(rhs) or lhs != rhs:
        return False
    if not isinstance(lhs, (dict, list)):
        return True  # same type, equal: the same scalar
    try:
        return orjson.dumps(lhs) == orjson.dumps(rhs)
    except TypeError:
        return False


def _same(a, b) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


def _leaf(lhs, rhs, path: tuple, result) -> None:
    added, modified, removed = result
    if not path:
        return
    if lhs is _ABSENT:
        added.add(path)
    elif rhs is _ABSENT:
        removed.add(path)
    elif not _same(lhs, rhs):
        modified.add(path)


def absent():
    return _ABSENT


def merge(live, config, type_):
    """Merge: `config` into `live` (both already private copies); None means remove."""
    if isinstance(live, dict) and isinstance(config, dict) and not is_atomic(type_):
        out = dict(live)
        for key, value in config.items():
            if value is None:
                out.pop(key, None)
            else:
                out[key] = merge(live.get(key), value, child_type(type_, key))
        return out
    if isinstance(live, list) and isinstance(config, list) and is_granular_list(type_):
        return _merge_list(live, config, type_)
    return config


def _index(items: list, type_: ListOf) -> tuple[list, dict]:
    order, seen = [], {}
    for item in items:
        element = item_element(item, type_)
        if element not in seen:
            seen[element] = item
            order.append(element)
    return order, seen


def _merge_list(lhs: list, rhs: list, type_: ListOf) -> list:
    """mergingWalker.visitListItems: keep live order, slot config items in config order."""
    lpes, lseen = _index(lhs, type_)
    rpes, rseen = _index(rhs, type_)
    shared = [pe for pe in rpes if pe in lseen]
    next_shared = shared.pop(0) if shared else None
    merged_rhs: set = set()
    out, li, ri = [], 0, 0

    def take(pe):
        left, right = lseen.get(pe), rseen.get(pe)
        return right if left is None else left if right is None else merge(left, right, type_.item)

    while li < len(lpes) or ri < len(rpes):
        if li < len(lpes) and ri < len(rpes):
            pe = lpes[li]
            if pe == rpes[ri]:
                merged_rhs.add(pe)
                out.append(take(pe))
                li, ri = li + 1, ri + 1
                next_shared = shared.pop(0) if shared else None
                continue
            if pe in rseen and next_shared is not None and next_shared != pe:
                li += 1
                continue
        if li < len(lpes):
            pe = lpes[li]
            if pe not in rseen:
                out.append(lseen[pe])
                li += 1
                continue
            if pe in merged_rhs:
                li += 1
                continue
        if ri < len(rpes):
            pe = rpes[ri]
            merged_rhs.add(pe)
            out.append(take(pe))
            ri += 1
            if next_shared is not None and next_shared == pe:
                next_shared = shared.pop(0) if shared else None
    return out


def remove_paths(obj: dict, paths: set, type_) -> dict:
    """Remove each path (and its subtree); maps and lists emptied this way go too."""
    obj = copy.deepcopy(obj)
    # Only the outermost paths: removing a list item first would hide its key from later lookups.
    for path in sorted(paths, key=len):
        if not any(path[:i] in paths for i in range(1, len(path))):
            _remove(obj, path, type_)
    return obj


def _remove(node, path: tuple, type_) -> bool:
    """Remove `path` below `node`; True when `node` became an empty map/list worth dropping."""
    element, rest = path[0], path[1:]
    if element.startswith("f:") and isinstance(node, dict):
        key = element[2:]
        if key not in node:
            return False
        if not rest:
            del node[key]
        elif _remove(node[key], rest, child_type(type_, key)):
            del node[key]
        return not node and isinstance(type_, MapOf)
    if isinstance(node, list) and isinstance(type_, ListOf):
        for index, item in enumerate(node):
            if item_element(item, type_) == element:
                if not rest or _remove(item, rest, type_.item):
                    del node[index]
                break
        return not node
    return False
