"""The metadata printers every kubectl describer shares: labels, annotations, tolerations,
taints, the controller, resource lists (selectors: `model.label_selectors`).

Key decisions: keys are sorted as Go's `sort.Strings` sorts them (byte order, which for
UTF-8 is code point order, so Python's own); lists kubectl sorts with Go's unstable sort
(tolerations, taints) go through `go_sort`, so equal keys keep Go's order; annotation
lengths are Go's `len`, in UTF-8 bytes. Pure: no I/O.
"""

from __future__ import annotations

from typing import Any

from kubetui.model.describe.writer import PrefixWriter, go_value
from kubetui.model.go_sort import go_sort
from kubetui.model.label_selectors import LabelSelectorError, selector_text
from kubetui.model.quantity import QuantityError, parse_quantity

__all__ = ["controller_of", "format_labels", "label_selector_string",
           "print_annotations", "print_labels", "print_taints", "print_tolerations", "quantity_text",
           "sorted_resource_names"]

MAX_ANNOTATION_LEN = 140
SKIPPED_ANNOTATIONS = frozenset({"kubectl.kubernetes.io/last-applied-configuration"})


def print_labels(w: PrefixWriter, title: str, labels: Any, initial_indent: str = "",
                 inner_indent: str = "\t", skip: frozenset = frozenset()) -> None:
    """`printLabelsMultilineWithIndent`: `key=value` lines under a title."""
    w.write(0, f"{initial_indent}{title}:{inner_indent}")
    keys = sorted(key for key in (labels or {}) if key not in skip) if isinstance(labels, dict) else []
    if not keys:
        w.write_line("<none>")
        return
    for index, key in enumerate(keys):
        if index:
            w.write(0, initial_indent)
            w.write(0, inner_indent)
        w.write(0, f"{key}={_text(labels[key])}\n")


def print_annotations(w: PrefixWriter, title: str, annotations: object) -> None:
    """`printAnnotationsMultiline`: long or multi-line values go on lines of their own."""
    w.write(0, f"{title}:\t")
    values = annotations if isinstance(annotations, dict) else {}
    keys = sorted(key for key in values if key not in SKIPPED_ANNOTATIONS)
    if not keys:
        w.write_line("<none>")
        return
    indent = "\t"
    for index, key in enumerate(keys):
        if index:
            w.write(0, indent)
        value = _text(values[key]).removesuffix("\n")
        if _size(value) + _size(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            w.write(0, f"{key}:\n")
            for line in value.split("\n"):
                w.write(0, f"{indent}  {_shorten(line, MAX_ANNOTATION_LEN - 2)}\n")
        else:
            w.write(0, f"{key}: {value}\n")


def print_tolerations(w: PrefixWriter, title: str, tolerations: object, initial_indent: str = "",
                      inner_indent: str = "\t") -> None:
    """`printTolerationsMultilineWithIndent`, sorted by key as kubectl sorts them."""
    w.write(0, f"{initial_indent}{title}:{inner_indent}")
    items = [t for t in tolerations or () if isinstance(t, dict)] if isinstance(tolerations, list) else []
    if not items:
        w.write_line("<none>")
        return
    go_sort(items, lambda a, b: _text(a.get("key")) < _text(b.get("key")))
    for index, toleration in enumerate(items):
        if index:
            w.write(0, initial_indent)
            w.write(0, inner_indent)
        key, value, effect = (_text(toleration.get(name)) for name in ("key", "value", "effect"))
        text = key
        if value:
            text += f"={value}"
        if effect:
            text += f":{effect}"
        if toleration.get("operator") == "Exists" and not value:
            text += " op=Exists" if key or effect else "op=Exists"
        seconds = toleration.get("tolerationSeconds")
        if isinstance(seconds, int) and not isinstance(seconds, bool):
            text += f" for {seconds}s"
        w.write(0, text + "\n")


def print_taints(w: PrefixWriter, title: str, taints: object) -> None:
    """`printTaintsMultilineWithIndent`, sorted by effect then key."""
    w.write(0, f"{title}:\t")
    items = [t for t in taints or () if isinstance(t, dict)] if isinstance(taints, list) else []
    if not items:
        w.write_line("<none>")
        return

    def order(taint: dict) -> str:
        return f"{_text(taint.get('effect'))},{_text(taint.get('key'))}"

    go_sort(items, lambda a, b: order(a) < order(b))
    for index, taint in enumerate(items):
        if index:
            w.write(0, "\t")
        w.write(0, taint_text(taint) + "\n")


def taint_text(taint: dict) -> str:
    """`Taint.ToString()`."""
    key, value, effect = (_text(taint.get(name)) for name in ("key", "value", "effect"))
    if not effect:
        return key if not value else f"{key}={value}:"
    return f"{key}:{effect}" if not value else f"{key}={value}:{effect}"


def controller_of(obj: dict) -> str:
    """`printController`: `Kind/name` of the owner reference marked as controller, or ""."""
    for ref in ((obj.get("metadata") or {}).get("ownerReferences") or ()):
        if isinstance(ref, dict) and ref.get("controller") is True:
            return f"{_text(ref.get('kind'))}/{_text(ref.get('name'))}"
    return ""


def format_labels(labels: object) -> str:
    """`labels.FormatLabels`: `a=b,c=d` in key order, `<none>` when empty."""
    if not isinstance(labels, dict) or not labels:
        return "<none>"
    return ",".join(f"{key}={_text(labels[key])}" for key in sorted(labels))


def label_selector_string(selector: object) -> str:
    """`LabelSelectorAsSelector(s).String()`; "" for nil or empty, `<error>` if invalid."""
    try:
        return selector_text(selector)
    except LabelSelectorError:
        return "<error>"


def sorted_resource_names(resources: object) -> list[str]:
    return sorted(resources) if isinstance(resources, dict) else []


def quantity_text(value: object) -> str:
    """`Quantity.String()` of a value from JSON (its own text when it does not parse)."""
    try:
        return str(parse_quantity(value))
    except QuantityError:
        return _text(value)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return go_value(value)


def _size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def _shorten(text: str, limit: int) -> str:
    if _size(text) <= limit:
        return text
    return text.encode("utf-8", "surrogatepass")[:limit].decode("utf-8", "ignore") + "..."
