"""Decoding `application/vnd.kubernetes.protobuf` request bodies into the JSON-shaped dicts the
store works with.

Why: since client-go v0.31 the typed clientsets of built-in groups send protobuf, so
`kubectl create namespace|configmap|service|deployment` POSTs protobuf, and client-go has no
fallback to JSON on 415 (kubernetes/kubernetes#86253). Responses stay JSON: those clients
accept `application/json` too.

Key decisions: a small schema-driven decoder (field tables in `proto_schemas`) instead of
generated code; unknown fields are skipped, like an old server reading a newer client. Go
encodes non-pointer scalars even when empty, so zero values are dropped unless the field is a
pointer in Go (marked KEEP), which reproduces the JSON that client would have sent.
"""

from __future__ import annotations

import base64
from datetime import datetime, timezone
from typing import Any

import orjson

from kubetui.localcluster.apimachinery import errors
from kubetui.localcluster.apimachinery.proto_schemas import (
    BOOL,
    BYTES,
    FIELDS_V1,
    INT,
    INT_OR_STRING,
    KINDS,
    MESSAGES,
    QUANTITY,
    STRING,
    TIME,
    Field,
)

MAGIC = b"k8s\x00"
PROTOBUF = "application/vnd.kubernetes.protobuf"


class _Malformed(Exception):
    pass


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise _Malformed("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _fields(data: bytes) -> list[tuple[int, int, Any]]:
    """(number, wire type, value) triples; length-delimited values are bytes."""
    out, pos = [], 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
        elif wire == 2:
            size, pos = _varint(data, pos)
            if pos + size > len(data):
                raise _Malformed("truncated field")
            value, pos = data[pos:pos + size], pos + size
        elif wire in (1, 5):
            width = 8 if wire == 1 else 4
            value, pos = int.from_bytes(data[pos:pos + width], "little"), pos + width
        else:
            raise _Malformed(f"unsupported wire type {wire}")
        out.append((number, wire, value))
    return out


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def _text(value: Any) -> str:
    if not isinstance(value, bytes):
        raise _Malformed("expected a length-delimited string")
    return value.decode("utf-8")


def _scalar(kind: str, value: Any) -> Any:
    if kind == STRING:
        return _text(value)
    if kind == INT:
        if not isinstance(value, int):
            raise _Malformed("expected an integer")
        return _signed(value)
    if kind == BOOL:
        return bool(value)
    if kind == BYTES:
        return base64.b64encode(value).decode("ascii")
    if kind == QUANTITY:
        return next((_text(v) for n, _, v in _fields(value) if n == 1), "")
    if kind == TIME:
        seconds = next((_signed(v) for n, _, v in _fields(value) if n == 1), 0)
        if not seconds:
            return None
        return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if kind == INT_OR_STRING:
        parts = {n: v for n, _, v in _fields(value)}
        return _text(parts[3]) if parts.get(1) == 1 else _signed(parts.get(2, 0))
    if kind == FIELDS_V1:
        raw = next((v for n, _, v in _fields(value) if n == 1), b"")
        return orjson.loads(raw) if raw else {}
    return _message(kind, value)


def _map_entry(field: Field, value: bytes) -> tuple[str, Any]:
    parts = {n: v for n, _, v in _fields(value)}
    key = _text(parts.get(1, b""))
    return key, _scalar(field.kind, parts[2]) if 2 in parts else ("" if field.kind == STRING else None)


def _is_zero(value: Any) -> bool:
    return value is None or value == "" or value == 0 or value is False or value == []


def _message(name: str, data: bytes) -> dict:
    schema = MESSAGES[name]
    out: dict[str, Any] = {}
    for number, wire, value in _fields(data):
        field = schema.get(number)
        if field is None:
            continue  # a field this server does not know: dropped
        if field.is_map:
            key, item = _map_entry(field, value)
            out.setdefault(field.json, {})[key] = item
        elif field.repeated:
            items = out.setdefault(field.json, [])
            if wire == 2 and field.kind == INT:  # packed
                items.extend(_signed(v) for v in _packed(value))
            else:
                items.append(_scalar(field.kind, value))
        elif field.inline:
            out.update(_scalar(field.kind, value))
        else:
            decoded = _scalar(field.kind, value)
            if field.kind in MESSAGES or field.keep or not _is_zero(decoded):
                out[field.json] = decoded
    return out


def _packed(data: bytes) -> list[int]:
    values, pos = [], 0
    while pos < len(data):
        value, pos = _varint(data, pos)
        values.append(value)
    return values


def decode(body: bytes) -> dict:
    """A `k8s\\0`-framed runtime.Unknown holding one object → its JSON form (a dict)."""
    if not body.startswith(MAGIC):
        raise errors.bad_request("the protobuf body does not start with the k8s\\x00 prefix")
    try:
        envelope = {n: v for n, _, v in _fields(body[len(MAGIC):])}
        type_meta = {n: _text(v) for n, _, v in _fields(envelope.get(1, b""))}
        api_version, kind = type_meta.get(1, ""), type_meta.get(2, "")
        message = KINDS.get(kind)
        if message is None:
            raise errors.unsupported_media_type(PROTOBUF, accepted=("application/json", "application/yaml"))
        obj = _message(message, envelope.get(2, b""))
    except (_Malformed, UnicodeDecodeError, KeyError, orjson.JSONDecodeError) as exc:
        raise errors.bad_request(f"unable to decode the protobuf body: {exc}") from None
    return {"apiVersion": api_version, "kind": kind, **obj}
