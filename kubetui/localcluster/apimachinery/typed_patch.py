"""Server-side apply's typed conversion of an apply configuration (structured-merge-diff).

Before merging, the apiserver converts the applied object to its schema type; a field the
schema does not declare, or a scalar of the wrong type, fails there with structured-merge-diff's
words: `failed to create typed patch object (default/web; /v1, Kind=Pod):
.spec.containers[name="nginx"].imagee: field not declared in schema`. This happens whatever
`fieldValidation` says. Key decisions: upstream returns a plain Go error, which the apiserver
answers with code 500 and no reason (kubernetes/kubernetes#122480 and #139253, still open), and
so do we; only `closed` structs of `kubetypes` report undeclared fields, so a valid manifest
using a field our table forgot is never refused.
"""

from __future__ import annotations

from kubetui.localcluster.apimachinery.errors import ApiError
from kubetui.localcluster.apimachinery.fieldsets import item_element, path_string
from kubetui.localcluster.apimachinery.kubetypes import ANY, KINDS, STRUCTS, ListOf, MapOf, Scalar, Struct
from kubetui.model.go_quote import go_quote

_NUMERIC = {"int32", "int64", "float64"}


def check_apply_config(api_version: str, kind: str, config: dict) -> None:
    """Raise the apiserver's error when `config` does not convert to the type of `kind`."""
    if kind not in KINDS or not isinstance(config, dict):
        return
    problems: list[str] = []
    _walk(config, Struct(kind), (), problems)
    if not problems:
        return
    meta = config.get("metadata") if isinstance(config.get("metadata"), dict) else {}
    group, _, version = api_version.rpartition("/")
    where = f"{meta.get('namespace') or ''}/{meta.get('name') or ''}; {group}/{version}, Kind={kind}"
    # ValidationErrors.Error(): one error alone, several as an indented "errors:" list.
    text = problems[0] if len(problems) == 1 else "errors:\n" + "\n".join("  " + p for p in problems)
    raise ApiError(500, "", f"failed to create typed patch object ({where}): {text}")


def _walk(value, type_, path: tuple, problems: list[str]) -> None:
    if value is None or type_ is ANY:
        return
    if isinstance(type_, Scalar):
        problem = _scalar_problem(value, type_.go_type)
        if problem:
            problems.append(f"{path_string(path)}: {problem}")
    elif isinstance(type_, Struct):
        definition = STRUCTS[type_.name]
        if not isinstance(value, dict):
            problems.append(f"{path_string(path)}: expected map, got {_printed(value)}")
            return
        for key, item in value.items():
            if key in definition.fields:
                _walk(item, definition.fields[key], path + ("f:" + key,), problems)
            elif definition.closed:
                problems.append(f"{path_string(path + ('f:' + key,))}: field not declared in schema")
    elif isinstance(type_, MapOf):
        if isinstance(value, dict):
            for key, item in value.items():
                _walk(item, type_.value, path + ("f:" + key,), problems)
        else:
            problems.append(f"{path_string(path)}: expected map, got {_printed(value)}")
    elif isinstance(type_, ListOf):
        if not isinstance(value, list):
            problems.append(f"{path_string(path)}: expected list, got {_printed(value)}")
            return
        for index, item in enumerate(value):
            keyed = type_.keys or type_.is_set
            element = item_element(item, type_) if keyed else f"i:{index}"
            _walk(item, type_.item, path + (element,), problems)


def _scalar_problem(value, go_type: str) -> str:
    """typed.validateScalar's messages (%T for numbers, %#v for strings, %v for booleans)."""
    if go_type in _NUMERIC and (isinstance(value, bool) or not isinstance(value, (int, float))):
        return f"expected numeric (int or float), got {_go_type(value)}"
    if go_type in ("string", "v1.Time", "[]uint8") and not isinstance(value, str):
        return f"expected string, got &value.valueUnstructured{{Value:{_go_literal(value)}}}"
    if go_type == "bool" and not isinstance(value, bool):
        return f"expected boolean, got &{{{_go_plain(value)}}}"
    return ""


def _go_type(value) -> str:
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, dict):
        return "map[string]interface {}"
    return "[]interface {}" if isinstance(value, list) else "float64"


def _go_literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dict):
        return "map[string]interface {}{...}"
    return "[]interface {}{...}" if isinstance(value, list) else go_quote(str(value))


def _go_plain(value) -> str:
    if isinstance(value, (dict, list)):
        return "map[...]" if isinstance(value, dict) else "[...]"
    return str(value)


def _printed(value) -> str:
    return f"&value.valueUnstructured{{Value:{_go_literal(value)}}}"
