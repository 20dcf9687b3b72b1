"""Go's strconv.Quote, as API errors and kubectl's flag errors print user text with `%q`."""

import pytest

from kubetui.model.go_quote import go_quote


@pytest.mark.parametrize("text,quoted", [
    pytest.param("plain", '"plain"', id="plain"),
    pytest.param('say "hi"', '"say \\"hi\\""', id="quotes"),
    pytest.param("tab\there", '"tab\\there"', id="tab"),
    pytest.param("\x01", '"\\x01"', id="control"),
    pytest.param("ümlaut", '"ümlaut"', id="unicode"),
    pytest.param("\u00a0", '"\\u00a0"', id="non-ascii-space"),
    pytest.param("\U000e0001", '"\\U000e0001"', id="astral-format-char"),
    pytest.param(b"a\xffb".decode("utf-8", "surrogateescape"), '"a\\xffb"', id="invalid-utf8-byte"),
])
def test_go_quote(text, quoted):
    assert go_quote(text) == quoted
