"""Paged lists (limit / continue) and selector handling shared by list and watch.

Key decision: the continue token is opaque base64 JSON holding the list's resourceVersion and
the last key returned; the next page starts after that key in the store's sorted key order.
Pages are read from the live state (no snapshot), which is "consistent enough": an object
created or deleted between two pages may or may not appear, never twice.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any, Iterator, Protocol

import orjson

from kubetui.localcluster.apimachinery import errors
from kubetui.localcluster.apimachinery.selectors import parse_field_selector, parse_label_selector


class KeyOrderedObjects(Protocol):
    """What paging reads of the store: its objects in key order, and how many follow a key."""

    @property
    def resource_version(self) -> int: ...

    def scan(self, plural: str, namespace: str | None = None,
             after: tuple[str, str] | None = None) -> Iterator[dict]: ...

    def remaining_after(self, plural: str, namespace: str | None, after: tuple[str, str]) -> int: ...


@dataclass
class Page:
    items: list[dict]
    resource_version: int
    continue_token: str = ""
    remaining: int | None = None

    def list_metadata(self) -> dict[str, Any]:
        meta: dict[str, Any] = {"resourceVersion": str(self.resource_version)}
        if self.continue_token:
            meta["continue"] = self.continue_token
            if self.remaining is not None:
                meta["remainingItemCount"] = self.remaining
        return meta


def selector_objects(label_selector: Any, field_selector: Any) -> tuple[Any, Any]:
    """Text selectors parsed (empty → None); parsed selector objects passed through."""
    if isinstance(label_selector, str):
        label_selector = parse_label_selector(label_selector) if label_selector.strip() else None
    if isinstance(field_selector, str):
        field_selector = parse_field_selector(field_selector) if field_selector.strip() else None
    return label_selector, field_selector


def encode_continue(resource_version: int, key: tuple[str, str]) -> str:
    raw = orjson.dumps({"v": "meta.k8s.io/v1", "rv": resource_version, "start": list(key)})
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_continue(token: str) -> tuple[int, tuple[str, str]]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = orjson.loads(raw)
        namespace, name = data["start"]
        return int(data["rv"]), (str(namespace), str(name))
    except (binascii.Error, ValueError, KeyError, TypeError, orjson.JSONDecodeError):
        raise errors.bad_request(f"continue key is not valid: {token!r}") from None


def page_of(store: KeyOrderedObjects, plural: str, namespace: str | None, label_selector: Any,
            field_selector: Any, limit: int, continue_token: str) -> Page:
    labels, fields = selector_objects(label_selector, field_selector)
    resource_version, after = store.resource_version, None
    if continue_token:
        resource_version, after = decode_continue(continue_token)
    items: list[dict] = []
    last_key = None
    for obj in store.scan(plural, namespace, after):
        meta = obj["metadata"]
        if labels is not None and not labels.matches(meta.get("labels") or {}):
            continue
        if fields is not None and not fields.matches(obj):
            continue
        items.append(obj)
        if limit and len(items) >= limit:
            last_key = (meta.get("namespace", ""), meta["name"])
            break
    page = Page(items, resource_version)
    if last_key is not None:
        remaining = store.remaining_after(plural, namespace, last_key)
        if remaining:
            page.continue_token = encode_continue(resource_version, last_key)
            if labels is None and fields is None:
                page.remaining = remaining
    return page
