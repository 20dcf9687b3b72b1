"""JSON and YAML text byte-for-byte as kubectl writes them (`-o json`, `-o yaml`).

kubectl marshals unstructured objects with Go's `json.MarshalIndent(obj, "", "    ")` (map keys
sorted, `<`, `>`, `&`, U+2028/9 escaped) and YAML with sigs.k8s.io/yaml: JSON first, then
go-yaml v2 (keys in go-yaml's "natural" order, strings that would read back as another type
double-quoted, multi-line strings as literal blocks, 80-column folding). Key decisions: JSON is
orjson's output re-indented and HTML-escaped (fast enough for 10,000 pods); YAML uses libyaml's
emitter, which go-yaml v2 is a line-by-line port of, with go-yaml's own type resolution and key
order supplied from here. Floats follow Go's formatting (they hardly ever occur in pods).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from functools import cmp_to_key
from typing import Any

import orjson
import yaml

__all__ = ["go_json", "go_yaml"]

_HTML_ESCAPES = [(b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026"),
                 ("\u2028".encode(), b"\\u2028"), ("\u2029".encode(), b"\\u2029")]
_LEADING_SPACES = re.compile(rb"\n( +)")


def go_json(obj: Any) -> str:
    """`json.MarshalIndent(obj, "", "    ")` plus the newline kubectl's printer adds."""
    data = orjson.dumps(_json_numbers(obj), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
    # orjson indents by 2; JSON strings hold no raw newlines, so every "\n  " is indentation.
    data = _LEADING_SPACES.sub(lambda m: b"\n" + m.group(1) * 2, data)
    for raw, escaped in _HTML_ESCAPES:  # these bytes can only occur inside strings
        if raw in data:
            data = data.replace(raw, escaped)
    return data.decode() + "\n"


def go_yaml(obj: Any) -> str:
    """sigs.k8s.io/yaml `Marshal(obj)` of a JSON-like value."""
    return yaml.dump(obj, Dumper=_GoYamlDumper, default_flow_style=False, allow_unicode=True,
                     sort_keys=False, width=80, indent=2)


# ------------------------------------------------------------------ numbers
def _json_numbers(value: Any) -> Any:
    """`value` with floats replaced by Go's JSON spelling; shares everything float-free."""
    if type(value) is dict:
        changed = None
        for key, item in value.items():
            new = _json_numbers(item)
            if new is not item:
                changed = changed or dict(value)
                changed[key] = new
        return changed if changed is not None else value
    if type(value) is list:
        new_items = [_json_numbers(item) for item in value]
        return new_items if any(a is not b for a, b in zip(new_items, value)) else value
    if type(value) is float:
        return orjson.Fragment(_go_json_float(value).encode())
    return value


def _digits(value: float) -> tuple[str, int]:
    """Shortest round-trip digits of |value| and the decimal point position (Go's digs.dp)."""
    sign, digits, exponent = Decimal(repr(abs(value))).normalize().as_tuple()
    text = "".join(map(str, digits))
    return text, len(text) + int(exponent)


def _fixed(digits: str, point: int) -> str:
    if point <= 0:
        return "0." + "0" * -point + digits
    if point >= len(digits):
        return digits + "0" * (point - len(digits))
    return digits[:point] + "." + digits[point:]


def _exponent(digits: str, point: int, min_exp_digits: int) -> str:
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    exp = point - 1
    return f"{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):0{min_exp_digits}d}"


def _go_json_float(value: float) -> str:
    """encoding/json's float64 encoding."""
    if value == 0:
        return "0" if math.copysign(1, value) > 0 else "-0"
    sign = "-" if value < 0 else ""
    digits, point = _digits(value)
    if abs(value) < 1e-6 or abs(value) >= 1e21:
        return sign + _exponent(digits, point, 1)
    return sign + _fixed(digits, point)


def _go_yaml_float(value: float) -> str:
    """go-yaml's `strconv.FormatFloat(f, 'g', -1, 64)` after the JSON round trip."""
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))  # JSON wrote it without a fraction, so it came back an int
    sign = "-" if value < 0 else ""
    digits, point = _digits(value)
    if not -4 <= point - 1 < 6:  # shortest 'g' switches to an exponent outside [1e-4, 1e6)
        return sign + _exponent(digits, point, 2)
    return sign + _fixed(digits, point)


# ------------------------------------------------------------ YAML pieces
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP, _MERGE = (
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "merge"))
_WORDS = {
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
                     "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), _BOOL),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), _NULL),
    **dict.fromkeys((".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
                     "-.inf", "-.Inf", "-.INF"), _FLOAT),
    "<<": _MERGE,
}
_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_BASE60 = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?\Z")
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?\Z")
_GO_INT = re.compile(r"[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)\Z")
_DOT_FLOAT = re.compile(r"\.[0-9]+([eE][-+]?[0-9]+)?\Z")
_HINTS = frozenset("+-0123456789yYnNtTfFoO~.")


def go_resolve(text: str) -> str:
    """The tag go-yaml v2's `resolve("", text)` gives a plain scalar (a port of resolve.go)."""
    if text in _WORDS:
        return _WORDS[text]
    if not text or text[0] not in _HINTS or text[0] in "yYnNtTfFoO~":
        return _STR
    if text[0] == ".":
        return _FLOAT if _DOT_FLOAT.match(text) else _STR
    if _TIMESTAMP.match(text):
        return _TIMESTAMP
    plain = text.replace("_", "")
    if _GO_INT.match(plain) and _fits_64(plain):
        return _INT
    if _YAML_FLOAT.match(plain):
        return _FLOAT
    if re.match(r"-?0b[01]+\Z", plain):
        return _INT
    return _STR


def _fits_64(plain: str) -> bool:
    body = plain.lstrip("+-")
    base = 16 if body[:2] in ("0x", "0X") else 8 if body[:2] in ("0o", "0O") else \
        2 if body[:2] in ("0b", "0B") else 8 if body.startswith("0") and len(body) > 1 else 10
    digits = body[2:] if base in (16, 2) or body[:2] in ("0o", "0O") else body
    try:
        number = int(digits or "0", base)
    except ValueError:
        return False
    return number < 1 << 64


def _go_key_less(a: str, b: str) -> bool:
    """go-yaml v2's keyList.Less for two string keys (sorter.go)."""
    digits = False
    for i in range(min(len(a), len(b))):
        if a[i] == b[i]:
            digits = a[i].isdigit()
            continue
        a_letter, b_letter = a[i].isalpha(), b[i].isalpha()
        if a_letter and b_letter:
            return a[i] < b[i]
        if a_letter or b_letter:
            return a_letter if digits else b_letter
        a_num = b_num = 0
        if a[i] == "0" or b[i] == "0":
            for j in range(i - 1, -1, -1):
                if not a[j].isdigit():
                    break
                if a[j] != "0":
                    a_num = b_num = 1
                    break
        ai = i
        while ai < len(a) and a[ai].isdigit():
            a_num = a_num * 10 + (ord(a[ai]) - 48)
            ai += 1
        bi = i
        while bi < len(b) and b[bi].isdigit():
            b_num = b_num * 10 + (ord(b[bi]) - 48)
            bi += 1
        if a_num != b_num:
            return a_num < b_num
        if ai != bi:
            return ai < bi
        return a[i] < b[i]
    return len(a) < len(b)


_KEY_ORDER = cmp_to_key(lambda a, b: -1 if _go_key_less(a[0], b[0]) else 1 if _go_key_less(b[0], a[0]) else 0)

_Base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _GoYamlDumper(_Base):  # type: ignore[misc, valid-type]
    """libyaml's emitter with go-yaml v2's resolver, scalar styles and key order."""

    def ignore_aliases(self, data: Any) -> bool:
        return True  # go-yaml never writes anchors, even for a shared sub-object

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                return go_resolve(value)
            return _STR
        return super().resolve(kind, value, implicit)


def _represent_str(dumper: yaml.BaseDumper, value: str) -> yaml.Node:
    if "\n" in value:
        style = "|"
    elif go_resolve(value) == _STR and not _BASE60.match(value):
        style = None  # plain, unless libyaml finds it must quote (then single quotes, as go-yaml)
    else:
        style = '"'
    return dumper.represent_scalar(_STR, value, style=style)


def _represent_dict(dumper: yaml.BaseDumper, value: dict) -> yaml.Node:
    items = sorted(((str(k), v) for k, v in value.items()), key=_KEY_ORDER)
    return dumper.represent_mapping("tag:yaml.org,2002:map", items)


def _represent_float(dumper: yaml.BaseDumper, value: float) -> yaml.Node:
    text = _go_yaml_float(value)
    return dumper.represent_scalar(go_resolve(text), text)


_GoYamlDumper.add_representer(str, _represent_str)
_GoYamlDumper.add_representer(dict, _represent_dict)
_GoYamlDumper.add_representer(float, _represent_float)
_GoYamlDumper.add_representer(bool, lambda d, v: d.represent_scalar(_BOOL, "true" if v else "false"))
_GoYamlDumper.add_representer(type(None), lambda d, v: d.represent_scalar(_NULL, "null"))
