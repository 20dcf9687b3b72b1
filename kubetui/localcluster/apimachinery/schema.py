"""Decoding checks: wrong JSON types and, under fieldValidation=Strict, unknown fields.

Mirrors what the apiserver's JSON decoding into Go structs reports: the first
`json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type
[]v1.Container` (the field path has no list indexes, as in encoding/json), and strict
mode's `unknown field "spec.containers[0].imagee"` (with indexes, as in sigs.k8s.io/json).
Key decision: only `closed` types in `kubetypes` report unknown fields.
"""

from __future__ import annotations

import base64
import binascii
import re

from kubetui.localcluster.apimachinery.errors import bad_request
from kubetui.model.go_quote import go_quote
from kubetui.localcluster.apimachinery.kubetypes import (
    ANY,
    KINDS,
    ListOf,
    MapOf,
    Scalar,
    Struct,
    STRUCTS,
    go_type_name,
)

_QUANTITY = re.compile(r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")
_QUANTITY_SUFFIX = re.compile(r"^(|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][-+]?[0-9]+)$")
_INT_RANGES = {"int32": (-(2 ** 31), 2 ** 31 - 1), "int64": (-(2 ** 63), 2 ** 63 - 1)}


class _Walk:
    def __init__(self):
        self.type_error: str | None = None
        self.unknown: list[str] = []

    def fail(self, value, struct: str, field: str, go_type: str, *, literal: bool = False) -> None:
        if self.type_error is None:
            what = _json_kind(value)
            if literal:
                what += " " + (repr(value) if isinstance(value, float) else str(value))
            self.type_error = f"json: cannot unmarshal {what} into Go struct field {struct}.{field} of type {go_type}"

    def value(self, value, type_, struct: str, field: str, strict_path: str) -> None:
        if value is None or type_ is ANY:
            return
        if isinstance(type_, Scalar):
            self.scalar(value, type_.go_type, struct, field)
        elif isinstance(type_, Struct):
            self.struct(value, type_, struct, field, strict_path)
        elif isinstance(type_, MapOf):
            if not isinstance(value, dict):
                self.fail(value, struct, field, go_type_name(type_))
                return
            for key, item in value.items():
                self.value(item, type_.value, struct, field, f"{strict_path}[{key}]")
        elif isinstance(type_, ListOf):
            if not isinstance(value, list):
                self.fail(value, struct, field, go_type_name(type_))
                return
            for index, item in enumerate(value):
                self.value(item, type_.item, struct, field, f"{strict_path}[{index}]")

    def struct(self, value, type_: Struct, struct: str, field: str, strict_path: str) -> None:
        definition = STRUCTS[type_.name]
        if not isinstance(value, dict):
            self.fail(value, struct, field, definition.go_name)
            return
        own_name = definition.go_name.split(".")[-1]
        for key, item in value.items():
            child_field = f"{field}.{key}" if field else key
            child_path = f"{strict_path}.{key}" if strict_path else key
            if key in definition.fields:
                self.value(item, definition.fields[key], own_name, child_field, child_path)
            elif definition.closed:
                self.unknown.append(child_path)

    def scalar(self, value, go_type: str, struct: str, field: str) -> None:
        if go_type in ("string", "v1.Time"):
            if not isinstance(value, str):
                self.fail(value, struct, field, "string")
        elif go_type in _INT_RANGES:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.fail(value, struct, field, go_type)
            elif isinstance(value, float) or not _INT_RANGES[go_type][0] <= value <= _INT_RANGES[go_type][1]:
                self.fail(value, struct, field, go_type, literal=True)
        elif go_type == "bool":
            if not isinstance(value, bool):
                self.fail(value, struct, field, "bool")
        elif go_type == "float64":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.fail(value, struct, field, "float64")
        elif go_type == "intstr.IntOrString":
            if isinstance(value, bool) or not isinstance(value, (str, int)):
                self.fail(value, struct, field, "int32")  # IntOrString falls back to decoding an int32
        elif go_type == "resource.Quantity":
            self.quantity(value)
        elif go_type == "[]uint8":
            self.base64(value, struct, field)

    def quantity(self, value) -> None:
        if self.type_error is not None or isinstance(value, (int, float)) and not isinstance(value, bool):
            return
        match = _QUANTITY.match(value) if isinstance(value, str) else None
        if not match:
            self.type_error = ("quantities must match the regular expression "
                               "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
        elif not _QUANTITY_SUFFIX.match(match.group(2)):
            self.type_error = "unable to parse quantity's suffix"

    def base64(self, value, struct: str, field: str) -> None:
        if not isinstance(value, str):
            self.fail(value, struct, field, "[]uint8")
            return
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            if self.type_error is None:
                position = next((i for i, ch in enumerate(value) if not (ch.isalnum() or ch in "+/=")), len(value))
                self.type_error = f"illegal base64 data at input byte {position}"


def _json_kind(value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def type_problems(kind: str, obj: dict) -> tuple[str | None, list[str]]:
    """(the first decode error or None, unknown field paths) for an object of `kind`."""
    walk = _Walk()
    if kind in KINDS:
        walk.struct(obj, Struct(kind), "", "", "")
    return walk.type_error, walk.unknown


def check_types(kind: str, obj: dict, *, strict: bool, api_version: str | None = None) -> None:
    """Raise the apiserver's 400 for a body that would not decode into the Go type."""
    body_version = obj.get("apiVersion") if isinstance(obj, dict) else None
    version = str(api_version or body_version or "v1").split("/")[-1]
    prefix = f"{kind} in version {go_quote(version)} cannot be handled as a {kind}: "
    if not isinstance(obj, dict):
        raise bad_request(prefix + f"json: cannot unmarshal {_json_kind(obj)} into Go value of type "
                          f"{go_type_name(Struct(kind)) if kind in KINDS else 'map[string]interface {}'}")
    type_error, unknown = type_problems(kind, obj)
    if type_error:
        raise bad_request(prefix + type_error)
    if strict and unknown:
        raise bad_request(prefix + "strict decoding error: " + ", ".join(f'unknown field "{p}"' for p in unknown))
