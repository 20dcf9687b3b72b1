"""JSON patch (RFC 6902): add, remove, replace, move, copy, test; `-` appends; `~0`/`~1`.

Key decision: a malformed patch is a 400 and an operation that does not apply is the 422
the apiserver builds with NewGenericServerResponse; the evanphx/json-patch reason (which
the real server drops) is kept as the Status cause so users see what went wrong.
"""

from __future__ import annotations

import copy

from kubetui.localcluster.apimachinery.errors import ApiError, bad_request, unprocessable


class _PatchFailure(Exception):
    pass


def _decode_pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise _PatchFailure(f"Invalid JSON Pointer: {path!r}")
    return [part.replace("~1", "/").replace("~0", "~") for part in path[1:].split("/")]


def _list_index(container: list, token: str, path: str, *, for_add: bool) -> int:
    if for_add and token == "-":
        return len(container)
    if not token.isdigit() or (len(token) > 1 and token.startswith("0")):
        raise _PatchFailure(f"Unable to access invalid index: {token}: invalid index referenced")
    index = int(token)
    limit = len(container) if for_add else len(container) - 1
    if index > limit:
        raise _PatchFailure(f"Unable to access invalid index: {index}: invalid index referenced")
    return index


def _parent(doc, tokens: list[str], op: str, path: str):
    node = doc
    for token in tokens[:-1]:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise _PatchFailure(f'{op} operation does not apply: doc is missing path: "{path}": missing value')
    if not isinstance(node, (dict, list)):
        raise _PatchFailure(f'{op} operation does not apply: doc is missing path: "{path}": missing value')
    return node


def _get(doc, path: str, op: str):
    tokens = _decode_pointer(path)
    if not tokens:
        return doc
    parent, last = _parent(doc, tokens, op, path), tokens[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise _PatchFailure(f'{op} operation does not apply: doc is missing path: "{path}": missing value')
        return parent[last]
    return parent[_list_index(parent, last, path, for_add=False)]


def _add(doc, path: str, value, op: str = "add"):
    tokens = _decode_pointer(path)
    if not tokens:
        return value
    parent, last = _parent(doc, tokens, op, path), tokens[-1]
    if isinstance(parent, dict):
        parent[last] = value
    else:
        parent.insert(_list_index(parent, last, path, for_add=True), value)
    return doc


def _remove(doc, path: str, op: str = "remove"):
    tokens = _decode_pointer(path)
    if not tokens:
        raise _PatchFailure(f'{op} operation does not apply: doc is missing path: "{path}": missing value')
    parent, last = _parent(doc, tokens, op, path), tokens[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise _PatchFailure(f'{op} operation does not apply: doc is missing path: "{path}": missing value')
        return parent.pop(last)
    return parent.pop(_list_index(parent, last, path, for_add=False))


def _json_equal(a, b) -> bool:
    """JSON equality: 1 == 1.0, but true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b or isinstance(a, (int, float)) and isinstance(b, (int, float)) and a == b


def apply_json_patch(target: dict, ops: list) -> dict:
    """RFC 6902. A malformed patch is 400; an operation that does not apply is 422."""
    if not isinstance(ops, list) or not all(isinstance(op, dict) for op in ops):
        raise bad_request("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
    if len(ops) > 10000:
        raise ApiError(413, "RequestEntityTooLarge",
                       f"Request entity too large: The allowed maximum operations in a JSON patch is 10000, got {len(ops)}")
    doc = copy.deepcopy(target)
    try:
        for op in ops:
            doc = _apply_op(doc, op)
    except _PatchFailure as failure:
        raise unprocessable(str(failure)) from None
    return doc


def _apply_op(doc, op: dict):
    kind, path = op.get("op"), op.get("path")
    if kind not in ("add", "remove", "replace", "move", "copy", "test"):
        raise _PatchFailure(f"Unexpected kind: {kind}")
    if not isinstance(path, str):
        raise _PatchFailure(f"{kind} operation failed to decode path")
    if kind in ("add", "replace", "test") and "value" not in op:
        raise _PatchFailure(f"{kind} operation failed to decode value")
    if kind == "add":
        return _add(doc, path, copy.deepcopy(op["value"]))
    if kind == "remove":
        _remove(doc, path)
        return doc
    if kind == "replace":
        if not _decode_pointer(path):
            return copy.deepcopy(op["value"])
        _get(doc, path, "replace")
        _remove(doc, path, "replace")
        return _add(doc, path, copy.deepcopy(op["value"]), "replace")
    if kind == "test":
        if not _json_equal(_get(doc, path, "test"), op["value"]):
            raise _PatchFailure(f"testing value {path} failed: test failed")
        return doc
    source = op.get("from")
    if not isinstance(source, str):
        raise _PatchFailure(f"{kind} operation failed to decode from")
    if kind == "move":
        if path.startswith(source + "/"):
            raise _PatchFailure(f"move operation does not apply: cannot move {source} into its own child {path}")
        return _add(doc, path, _remove(doc, source, "move"), "move")
    return _add(doc, path, copy.deepcopy(_get(doc, source, "copy")), "copy")
