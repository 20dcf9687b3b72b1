"""printf/echo -e escapes write raw bytes, so a UTF-8 character can be written byte by byte."""

from __future__ import annotations

import pytest

from kubetui.localcluster.sandbox.streams import encode
from kubetui.localcluster.sandbox.textfmt import unescape


@pytest.mark.parametrize(("text", "octal_needs_zero", "expected"), [
    pytest.param(r"\0342\0202\0254", True, "€".encode(), id="echo-e-octal"),
    pytest.param(r"\342\202\254", False, "€".encode(), id="printf-octal"),
    pytest.param(r"\xe2\x82\xac", True, "€".encode(), id="hex"),
    pytest.param(r"\342", False, b"\xe2", id="lone-lead-byte"),
    pytest.param(r"a\tb\101", False, b"a\tbA", id="ascii-escapes"),
])
def test_escapes_become_the_bytes_they_name(text, octal_needs_zero, expected):
    assert encode(unescape(text, octal_needs_zero)) == expected
