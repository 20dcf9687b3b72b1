"""Log bytes into lines, kubectl's `--prefix` form, and the marker lines a followed log shows.

Key decisions: splitting works on bytes, a whole read at a time (`bytes.split` runs in C; no
per-line Python work unless a prefix is asked for), and nothing is decoded here. A line longer
than `max_line` is cut there and the rest of it is dropped up to the next newline, so a
container that prints a gigabyte without a newline cannot exhaust memory. Markers are lines
kubetui writes itself; they are set apart by the box-drawing rule no container is likely to
print at both ends of a line.
"""

from __future__ import annotations

__all__ = ["MAX_LINE_BYTES", "LineSplitter", "deleted_marker", "is_marker", "note_marker", "prefix_for",
           "reconnected_marker", "restarted_marker"]

MAX_LINE_BYTES = 64 * 1024
CUT = " [line cut: longer than {limit} bytes]"
_RULE = "────"


class LineSplitter:
    """Feed reads in, get complete lines out (without their newline), each after `prefix`."""

    def __init__(self, prefix: bytes = b"", max_line: int = MAX_LINE_BYTES) -> None:
        self.prefix = prefix
        self.max_line = max_line
        self._pending = b""
        self._discarding = False  # inside a line already cut: drop up to its newline

    def feed(self, data: bytes) -> list[bytes]:
        if self._pending:
            data = self._pending + data
        lines = data.split(b"\n")
        rest = lines.pop()
        if self._discarding:
            if not lines:
                self._pending = b""
                return lines
            del lines[0]
            self._discarding = False
        if lines and max(map(len, lines)) > self.max_line:
            lines = [self._cut(line) if len(line) > self.max_line else line for line in lines]
        if len(rest) > self.max_line:
            lines.append(self._cut(rest))
            rest = b""
            self._discarding = True
        self._pending = rest
        if self.prefix:
            prefix = self.prefix
            return [prefix + line for line in lines]
        return lines

    def finish(self) -> list[bytes]:
        """The last line when the stream ended without a newline (limitBytes, a killed writer)."""
        rest, self._pending, self._discarding = self._pending, b"", False
        return [self.prefix + rest] if rest else []

    def _cut(self, line: bytes) -> bytes:
        return line[:self.max_line] + CUT.format(limit=self.max_line).encode()


def prefix_for(pod: str, container: str) -> bytes:
    """kubectl logs --prefix: `[pod/NAME/CONTAINER] `."""
    return f"[pod/{pod}/{container}] ".encode()


def _marker(text: str) -> bytes:
    return f"{_RULE} {text} {_RULE}".encode()


def restarted_marker(instance: int) -> bytes:
    return _marker(f"container restarted (instance {instance})")


def deleted_marker() -> bytes:
    return _marker("pod deleted: end of its log")


def note_marker(text: str) -> bytes:
    """A line of kubetui's own about the stream: why it ended, an error, a limit."""
    return _marker(text)


def reconnected_marker() -> bytes:
    return _marker("connection lost and reconnected: lines may be missing or repeated")


def is_marker(line: bytes) -> bool:
    """Whether `line` (prefixed or not) is one of kubetui's own marker lines."""
    rule = _RULE.encode()
    return line.endswith(rule) and rule + b" " in line
