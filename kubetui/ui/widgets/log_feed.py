"""`LogFeed`: the lines a log follower's thread appends and a `LogView` reads, behind one lock.

Key decisions: the follower's thread only appends to the ring, under a lock the UI takes only to
copy the few lines it draws (or a block at a time while searching, so a search over millions of
lines never holds the follower up for long). A wake-up is asked for only when none is pending:
the view takes it back when it redraws, so however fast a container prints, the UI is woken
once a frame. Each stream gets a generation: lines an old stream still delivers are dropped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from kubetui.model.log_ring import LogRing
from kubetui.model.log_search import LogSearch

SCAN_BLOCK = 4096  # lines copied out of the ring at a time by a search


class LogFeed:
    """The ring, its lock, the stream's generation and whether a wake-up is pending."""

    def __init__(self, ring: LogRing, wake: Callable[[], None]) -> None:
        self.ring = ring
        self.lock = threading.Lock()
        self._wake = wake  # called on the follower's thread: it must only post a message
        self._generation = 0
        self._wake_pending = False

    def feeder(self) -> Callable[[list[bytes]], None]:
        """A callback for the follower's thread; lines it delivers after the next `restart` are dropped."""
        generation = self._generation

        def feed(lines: list[bytes]) -> None:
            with self.lock:
                if generation != self._generation:
                    return
                self.ring.extend(lines)
                wake, self._wake_pending = not self._wake_pending, True
            if wake:
                self._wake()

        return feed

    def rearm(self) -> None:
        """Lines fed from now on wake the view again."""
        with self.lock:
            self._wake_pending = False

    def restart(self) -> None:
        """A new stream: forget every line, and whatever the old stream still sends."""
        with self.lock:
            self._generation += 1
            self.ring.clear()
            self._wake_pending = False

    def clear(self) -> int:
        """Forget the lines so far (new ones keep coming); the count appended until now."""
        with self.lock:
            self.ring.clear()
            return self.ring.appended

    def line(self, number: int) -> bytes | None:
        with self.lock:
            lines = self.ring.lines(number, number + 1)
        return lines[0] if lines else None

    def snapshot(self) -> list[bytes]:
        """Every kept line, copied."""
        with self.lock:
            return self.ring.lines(self.ring.first, self.ring.appended)

    def scan(self, search: LogSearch, start: int, forwards: bool) -> int | None:
        """The first line from ``start`` on (``forwards``) or back that ``search`` matches; None if none."""
        number = start
        while True:
            with self.lock:
                first, end = self.ring.first, self.ring.appended
                number = max(number, first) if forwards else min(number, end - 1)
                if not first <= number < end:
                    return None
                begin, stop = (number, min(end, number + SCAN_BLOCK)) if forwards else \
                    (max(first, number - SCAN_BLOCK + 1), number + 1)
                block = self.ring.lines(begin, stop)
            index = search.first_in(block, backwards=not forwards)
            if index is not None:
                return begin + index
            number = stop if forwards else begin - 1
            if not forwards and number < first:
                return None
