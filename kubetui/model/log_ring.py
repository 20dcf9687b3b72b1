"""The lines a log view keeps: the newest `capacity` lines (100,000 by default), within a byte
budget, addressed by absolute line number.

Key decisions: lines arrive in batches (a reader thread hands over whole reads), so the ring
stores the batches themselves and drops whole batches from the front, trimming the oldest one
logically (`_skip`) rather than copying it: appending costs one `list` reference per batch
whatever its size, and memory stays bounded after ten million lines. Lines are raw bytes
without their newline; decoding is the viewer's business, for the few lines it shows.
Line numbers are absolute (the first line ever appended is 0), so a view can tell what it
has already drawn (`appended`) and what fell off the front (`first`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

__all__ = ["DEFAULT_CAPACITY", "DEFAULT_MAX_BYTES", "LogRing"]

DEFAULT_CAPACITY = 100_000
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


class LogRing:
    """A bounded sequence of lines; see the module docstring."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        if capacity < 1:
            raise ValueError(f"a log ring needs room for at least one line, not {capacity}")
        self.capacity = capacity
        self.max_bytes = max_bytes
        self.appended = 0  # lines ever appended; the next line's number
        self.first = 0     # number of the oldest line kept
        self._batches: list[list[bytes]] = []
        self._ends: list[int] = []    # absolute number after each batch's last line
        self._sizes: list[int] = []   # bytes of each batch (trimmed lines included until dropped)
        self._head = 0                # batches before this index are dropped
        self._skip = 0                # lines of the head batch already dropped
        self.bytes = 0

    def __len__(self) -> int:
        return self.appended - self.first

    @property
    def dropped(self) -> int:
        """Lines that fell off the front."""
        return self.first

    def extend(self, lines: Iterable[bytes]) -> None:
        batch = lines if isinstance(lines, list) else list(lines)
        if not batch:
            return
        if len(batch) >= self.capacity:  # this batch alone fills the ring
            cut = len(batch) - self.capacity
            self.appended += cut
            self.clear()
            batch = batch[cut:]
        size = sum(map(len, batch))
        self._batches.append(batch)
        self.appended += len(batch)
        self._ends.append(self.appended)
        self._sizes.append(size)
        self.bytes += size
        self._trim()

    def append(self, line: bytes) -> None:
        self.extend([line])

    def clear(self) -> None:
        """Forget every line; numbering goes on where it was."""
        self._batches, self._ends, self._sizes = [], [], []
        self._head = self._skip = self.bytes = 0
        self.first = self.appended

    def line(self, number: int) -> bytes:
        """Line `number` (absolute); IndexError when it is not kept."""
        if not self.first <= number < self.appended:
            raise IndexError(f"line {number} is not in the ring ({self.first}..{self.appended - 1})")
        index = bisect_right(self._ends, number, self._head)
        batch = self._batches[index]
        return batch[number - (self._ends[index] - len(batch))]

    def lines(self, start: int, stop: int) -> list[bytes]:
        """Lines `start` to `stop - 1` (absolute), clipped to what is kept."""
        start, stop = max(start, self.first), min(stop, self.appended)
        found: list[bytes] = []
        if start >= stop:
            return found
        index = bisect_right(self._ends, start, self._head)
        while start < stop:
            batch, end = self._batches[index], self._ends[index]
            begin = end - len(batch)
            found.extend(batch[start - begin:min(stop, end) - begin])
            start = min(stop, end)
            index += 1
        return found

    def tail(self, count: int) -> list[bytes]:
        """The newest `count` lines."""
        return self.lines(self.appended - count, self.appended) if count > 0 else []

    def _trim(self) -> None:
        excess = len(self) - self.capacity
        while excess > 0 or (self.bytes > self.max_bytes and len(self._batches) - self._head > 1):
            batch = self._batches[self._head]
            remaining = len(batch) - self._skip
            if excess >= remaining or excess <= 0:
                self._drop_head(remaining)
                excess -= remaining
            else:
                self._skip += excess
                self.first += excess
                excess = 0
        if self._head > 64 and self._head * 2 > len(self._batches):
            del self._batches[:self._head], self._ends[:self._head], self._sizes[:self._head]
            self._head = 0

    def _drop_head(self, remaining: int) -> None:
        self.first += remaining
        self.bytes -= self._sizes[self._head]
        self._batches[self._head] = []  # free the lines now; the slot goes at the next compaction
        self._head += 1
        self._skip = 0
