"""Paged lists read ahead: the token comes from the page's first bytes, else from the parser."""

from __future__ import annotations

import orjson
import pytest

from kubetui.kube.listing import list_pod_pages
from kubetui.kube.page_fetcher import UNKNOWN, continue_token_from_prefix, fetch_pages


def test_the_token_is_read_from_the_metadata_written_before_the_items():
    page = b'{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"9","continue":"abc"},"items":[]}'
    assert continue_token_from_prefix(page) == "abc"
    last = b'{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"9"},"items":[{"a":{}}]}'
    assert continue_token_from_prefix(last) == ""


@pytest.mark.parametrize("page", [
    b'{"items":[],"metadata":{"continue":"abc"}}',  # items first: the prefix cannot tell
    b'{"kind":"PodList","metadata":{"continue":',  # cut short
    b'not json at all',
])
def test_a_prefix_that_does_not_hold_the_metadata_says_so(page):
    assert continue_token_from_prefix(page) is UNKNOWN


class _Page:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.released = False

    def release_conn(self) -> None:
        self.released = True


def _server(pages: list[dict], items_first: bool):
    """A page source answering `continue` queries in order, writing fields in either order."""
    asked: list[list] = []

    def open_page(query):
        asked.append(query)
        token = dict(query).get("continue", "0")
        index = int(token)
        body = pages[index]
        if items_first:
            body = {"items": body["items"], "metadata": body["metadata"]}
        return _Page(orjson.dumps(body))

    return open_page, asked


def _pages(count: int) -> list[dict]:
    return [{"kind": "PodList", "apiVersion": "v1",
             "metadata": {"resourceVersion": "7", **({"continue": str(n + 1)} if n + 1 < count else {})},
             "items": [{"metadata": {"name": f"p{n}"}}]} for n in range(count)]


@pytest.mark.parametrize("items_first", [False, True])
def test_every_page_is_read_once_in_order_whichever_field_comes_first(items_first):
    open_page, asked = _server(_pages(4), items_first)
    items, version = list_pod_pages(open_page, page_size=1)
    assert [item["metadata"]["name"] for item in items] == ["p0", "p1", "p2", "p3"]
    assert version == "7"
    assert [dict(query).get("continue") for query in asked] == [None, "1", "2", "3"]


def test_an_error_while_fetching_reaches_the_reader():
    def open_page(query):
        if "continue" in dict(query):
            raise ConnectionResetError("reset by peer")
        return _Page(orjson.dumps(_pages(2)[0]))

    with pytest.raises(ConnectionResetError):
        list_pod_pages(open_page, page_size=1)


def test_leaving_early_ends_the_fetch_thread():
    open_page, asked = _server(_pages(50), items_first=False)
    pages = fetch_pages(open_page, [], 1)
    next(pages)
    pages.close()
    assert len(asked) <= 4  # the pages held ahead, not all fifty
