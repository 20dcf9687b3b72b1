"""How one log line is shown: decoded, safe for a terminal, split into its source prefix, its
timestamp and its text; and a stable colour for each source.

Key decisions: bytes are decoded as UTF-8 with replacement (a container may print anything);
tabs are expanded, carriage returns dropped and other control characters shown as `�`, so no
line can move the cursor or change the terminal's modes. ESC is kept only where a line carries
colour codes, for the viewer to interpret (it keeps SGR colours and drops every other
sequence). The `[pod/NAME/CONTAINER] ` prefix and the server's RFC 3339 timestamp are
recognised only when the view asked for them, since a container may print either itself. A
source keeps the colour it was first given for as long as the view lives, through restarts
and option changes; sources get colours in order of appearance, so the first few always differ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kubetui.model.log_lines import is_marker

__all__ = ["LinePieces", "SOURCE_PALETTE_SIZE", "SourceColours", "split_line"]

SOURCE_PALETTE_SIZE = 10
_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d) ")
_PREFIX = re.compile(r"\[pod/[^\] ]+/[^\] ]+\] ")
# C0 controls but tab (expanded) and ESC (colours), DEL, and C1 controls
_CONTROLS: dict[int, str | None] = {code: "\ufffd" for code in [*range(0, 9), *range(10, 27), *range(28, 32), *range(127, 160)]}
_CONTROLS[13] = None  # \r of CRLF line ends
_CONTROLS_NO_ESC = {**_CONTROLS, 27: "\ufffd"}


@dataclass(frozen=True)
class LinePieces:
    prefix: str   # "[pod/web/nginx] " or ""
    stamp: str    # "2024-05-01T12:00:00.123456789Z " or ""
    text: str     # the rest, safe to show
    marker: bool  # one of kubetui's own lines (restart, deletion, errors)
    ansi: bool    # `text` carries colour codes (ESC [ ... m) to interpret


def split_line(raw: bytes, *, prefixed: bool = False, stamped: bool = False) -> LinePieces:
    """See the module docstring."""
    line = raw.decode("utf-8", "replace")
    prefix = stamp = ""
    if prefixed:
        found = _PREFIX.match(line)
        if found:
            prefix, line = found.group(), line[found.end():]
    marker = is_marker(raw)
    if stamped and not marker:
        found = _STAMP.match(line)
        if found:
            stamp, line = found.group(), line[found.end():]
    ansi = "\x1b[" in line
    if "\t" in line:
        line = line.expandtabs(8)
    if not line.isprintable() or "\x1b" in line:
        line = line.translate(_CONTROLS if ansi else _CONTROLS_NO_ESC)
    return LinePieces(prefix, stamp, line, marker, ansi)


class SourceColours:
    """Colour index (0 to SOURCE_PALETTE_SIZE - 1) of each source prefix, by first appearance."""

    def __init__(self) -> None:
        self._given: dict[str, int] = {}

    def index(self, prefix: str) -> int:
        given = self._given.get(prefix)
        if given is None:
            given = self._given[prefix] = len(self._given) % SOURCE_PALETTE_SIZE
        return given
