"""The text of standard input, for `apply -f -`.

Key decision: stdin is read as bytes and decoded as UTF-8, as the files are, so what it reads does
not depend on the locale; and whatever stdin is (closed by `0<&-`, when Python has no
`sys.stdin` at all; a directory; a write-only descriptor; binary data) the answer is one
KubetuiError line, never a traceback.
"""

from __future__ import annotations

from typing import TextIO

from kubetui.errors import KubetuiError

_TITLE = "Unreadable stdin"


def read_stdin(stream: TextIO | None) -> str:
    if stream is None:
        raise KubetuiError("cannot read stdin (-f -): it is closed", _TITLE)
    buffer = getattr(stream, "buffer", None)
    try:
        data = buffer.read() if buffer is not None else stream.read()
    except IsADirectoryError:
        raise KubetuiError("cannot read stdin (-f -): it is a directory", _TITLE) from None
    except OSError as exc:  # EBADF: a descriptor open for writing only, or closed underneath
        raise KubetuiError(f"cannot read stdin (-f -): {exc.strerror or exc}", _TITLE) from None
    except ValueError as exc:  # a file object closed in this process; text that is not UTF-8
        raise KubetuiError(f"cannot read stdin (-f -): {exc}", _TITLE) from None
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise KubetuiError(f"cannot read stdin (-f -): not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line})",
                           _TITLE) from None
