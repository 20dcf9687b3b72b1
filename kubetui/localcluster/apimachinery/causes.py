"""Builders for `StatusCause` dicts, worded like k8s.io/apimachinery `validation/field`.

`field.Error.ErrorBody()` prints the bad value with Go formatting (`%q` for strings, `%#v`
for maps such as `map[string]string{"app":"x"}`); `go_value` reproduces the cases the
validators here produce. Also the defensive accessors validators use, so a wrongly typed
manifest yields causes instead of a traceback.
"""

from __future__ import annotations

import json

from kubetui.model.go_quote import go_quote


def go_value(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        items = ", ".join(f"{go_quote(k)}:{go_quote(value[k])}" for k in sorted(value))
        return "map[string]string{" + items + "}"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "[]string{" + ", ".join(go_quote(v) for v in value) + "}"
    return json.dumps(value, sort_keys=True)


def _cause(reason: str, field: str, message: str) -> dict:
    return {"reason": reason, "message": message, "field": field}


def required(field: str, detail: str = "") -> dict:
    return _cause("FieldValueRequired", field, "Required value" + (f": {detail}" if detail else ""))


def invalid(field: str, value, detail: str, *, printed: str | None = None) -> dict:
    """`printed` overrides the Go rendering of `value` (typed nil maps, structs)."""
    shown = go_value(value) if printed is None else printed
    return _cause("FieldValueInvalid", field, f"Invalid value: {shown}" + (f": {detail}" if detail else ""))


def duplicate(field: str, value) -> dict:
    return _cause("FieldValueDuplicate", field, f"Duplicate value: {go_value(value)}")


def not_supported(field: str, value, valid) -> dict:
    supported = ", ".join(go_quote(v) for v in valid)
    return _cause("FieldValueNotSupported", field,
                  f"Unsupported value: {go_value(value)}" + (f": supported values: {supported}" if valid else ""))


def not_found(field: str, value) -> dict:
    return _cause("FieldValueNotFound", field, f"Not found: {go_value(value)}")


def forbidden(field: str, detail: str) -> dict:
    return _cause("FieldValueForbidden", field, "Forbidden" + (f": {detail}" if detail else ""))


def too_long(field: str, limit: int) -> dict:
    return _cause("FieldValueTooLong", field, f"Too long: must have at most {limit} bytes")


def each_invalid(field: str, value, messages: list[str]) -> list[dict]:
    """One Invalid cause per message, as `for _, msg := range IsX(v)` loops do."""
    return [invalid(field, value, msg) for msg in messages]


def as_dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def as_list(value) -> list:
    return value if isinstance(value, list) else []


def as_str(value) -> str:
    return value if isinstance(value, str) else ""
