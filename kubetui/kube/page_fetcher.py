"""List pages fetched ahead: the next page is on the wire while the current one is parsed.

Key decision: a paged list is a chain (each page's `continue` token names the next), so read
naively the server serialises page N+1 only after the client has parsed page N, and each side
idles half the time. The token sits in the list's `metadata`, which both kube-apiserver and the
local server write before `items` (Go encodes struct fields in order: kind, apiVersion,
metadata, items); reading it from the first bytes lets a fetch thread ask for the next page at
once. If the prefix does not hold the metadata (another server, another field order), the
fetcher waits for the parser's token instead: slower, never wrong.
"""

from __future__ import annotations

import queue
import re
import threading
from typing import Any, Callable, Iterator

__all__ = ["UNKNOWN", "fetch_pages", "continue_token_from_prefix"]

UNKNOWN = object()  # the prefix did not say; the parser tells the fetcher the token

# ListMeta holds only scalars (resourceVersion, continue, remainingItemCount, selfLink), so the
# first `{...}` after `"metadata":` with no nested braces is all of it.
_LIST_METADATA = re.compile(rb'^\s*\{(?:"kind":"[^"]*",|"apiVersion":"[^"]*",)*"metadata":(\{[^{}]*\})')
_PREFIX = 4096
_AHEAD = 2  # pages held ahead of the parser: bounds memory to a few raw pages


def continue_token_from_prefix(data: bytes) -> Any:
    """The page's `continue` token ("" on the last page) read from its first bytes, or UNKNOWN."""
    import orjson  # as in requesting.read_json: not at import time

    match = _LIST_METADATA.match(data[:_PREFIX])
    if match is None:
        return UNKNOWN
    try:
        metadata = orjson.loads(match.group(1))
    except orjson.JSONDecodeError:
        return UNKNOWN
    token = metadata.get("continue") if isinstance(metadata, dict) else None
    return token if isinstance(token, str) else ""


def fetch_pages(open_page: Callable[[list[tuple[str, str]]], Any], base_query: list[tuple[str, str]],
                page_size: int) -> Iterator[tuple[bytes, Callable[[str], None]]]:
    """Yield (raw body, tell) per page; call `tell(token)` with the parsed page's token.

    `tell` matters only when the prefix did not give the token away; it is cheap otherwise.
    Errors from `open_page` or the read are raised here, in the consumer's thread. Leaving the
    loop early (an exception, a stop) lets the fetch thread finish its current read and end.
    """
    pages: queue.Queue = queue.Queue(maxsize=_AHEAD)
    told: queue.Queue = queue.Queue(maxsize=1)
    abandoned = threading.Event()

    def put(item: tuple) -> bool:
        while not abandoned.is_set():
            try:
                pages.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def take_told() -> str:
        while not abandoned.is_set():
            try:
                return told.get(timeout=0.2)
            except queue.Empty:
                continue
        return ""

    def run() -> None:
        token = ""
        try:
            while not abandoned.is_set():
                query = base_query + [("limit", str(page_size))] + ([("continue", token)] if token else [])
                response = open_page(query)
                try:
                    data = response.data
                finally:
                    response.release_conn()
                known = continue_token_from_prefix(data)
                if not put(("page", data, known is UNKNOWN)):
                    return
                token = take_told() if known is UNKNOWN else known
                if not token:
                    return
        except BaseException as exc:  # handed to the consumer, which raises it
            put(("error", exc, False))

    thread = threading.Thread(target=run, name="kubetui-list-pages", daemon=True)
    thread.start()

    def tell_nothing(token: str) -> None:
        pass

    try:
        while True:
            kind, value, waits = pages.get()
            if kind == "error":
                raise value
            yield value, (told.put if waits else tell_nothing)
    finally:
        abandoned.set()
