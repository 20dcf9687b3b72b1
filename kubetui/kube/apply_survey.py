"""What the collections of a set hold before a pass, read in a few requests instead of one per object.

* `revision`: the collection's resourceVersion now, as a number; an object whose
  resourceVersion is not above it after an apply was not written by it (see applying's
  one-pass mode). None when the list is refused or the version is not a number.
* `items`: every live object of the collection by name, for a dry-run pass over many of its
  objects: a few paged lists cost far less than one read per object, for the server as for
  us. Only when the set has at least LIST_AT_LEAST objects there and the collection holds at
  most LIST_AT_MOST times as many; otherwise (or on any failure) None, and objects are read
  one by one. List items come without apiVersion and kind on real servers: they are filled in.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubetui.kube.apply_requests import Wire
from kubetui.kube.apply_retry import RetryPolicy

LIST_AT_LEAST = 20
LIST_AT_MOST = 4
PAGE = 500


@dataclass
class Collection:
    revision: int | None = None
    items: dict[str, dict] | None = None


def version(obj: dict | None) -> int | None:
    """An object's (or list's) resourceVersion as a number, None if it is not one."""
    try:
        return int(((obj or {}).get("metadata") or {}).get("resourceVersion"))
    except (TypeError, ValueError):
        return None


def survey(wire: Wire, policy: RetryPolicy, path: str, ours: int, *, full: bool) -> Collection:
    """The collection at `path`, of which the set applies `ours` objects; `full`: read its items."""
    head = policy.run(lambda: wire.list_page(path, 1))
    if head.error is not None:
        return Collection()
    found = Collection(version(head.value))
    meta = head.value.get("metadata") or {}
    if not full or ours < LIST_AT_LEAST or found.revision is None:
        return found
    if meta.get("continue"):
        if "remainingItemCount" not in meta:
            return found
        total = len(head.value.get("items") or []) + int(meta["remainingItemCount"])
    else:
        total = len(head.value.get("items") or [])
    if total > LIST_AT_MOST * ours:
        return found
    items: dict[str, dict] = {}
    token = ""
    while True:
        page = policy.run(lambda token=token: wire.list_page(path, PAGE, token))
        if page.error is not None:  # e.g. 410: the list moved on; read objects one by one
            return found
        api_version = page.value.get("apiVersion")
        kind = str(page.value.get("kind") or "").removesuffix("List")
        for item in page.value.get("items") or []:
            item.setdefault("apiVersion", api_version)
            item.setdefault("kind", kind)
            items[item["metadata"]["name"]] = item
        token = (page.value.get("metadata") or {}).get("continue") or ""
        if not token:
            break
    found.items = items
    return found
