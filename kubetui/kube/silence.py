"""How long a silent watch is trusted: a deadline learned from the server's bookmark cadence.

Key decision: a healthy watch is never silent for long, because the server sends a BOOKMARK
every so often (kube-apiserver about once a minute, the local cluster every few seconds), so
silence beyond a few intervals means the server, or the path to it, is stuck. The interval is
learned from the gaps between bookmarks (a stream's start counts as one end of a gap) and the
deadline is `factor` times the longest of the last few gaps: a short gap (kube-apiserver's
extra bookmark just before a watch times out) never tightens it, and a stretch where events
crowd bookmarks out only loosens it for a while. Until a bookmark arrives, the configured
interval stands.
"""

from __future__ import annotations

from collections import deque

BOOKMARK_INTERVAL = 60.0  # kube-apiserver's bookmark frequency (one minute)
SILENCE_FACTOR = 2.0      # one bookmark missed, and up to a whole interval of slack
MIN_DEADLINE = 2.0        # below this, a busy machine would cry wolf
MAX_DEADLINE = 600.0
_REMEMBERED_GAPS = 3


class SilenceDeadline:
    """`seconds`: how long the watch may stay silent before it counts as stalled."""

    def __init__(self, bookmark_interval: float = BOOKMARK_INTERVAL, factor: float = SILENCE_FACTOR,
                 minimum: float = MIN_DEADLINE) -> None:
        if bookmark_interval <= 0 or factor < 1:
            raise ValueError("the bookmark interval must be positive and the factor at least 1")
        self.bookmark_interval = bookmark_interval
        self.factor = factor
        self.minimum = minimum
        self._gaps: deque[float] = deque(maxlen=_REMEMBERED_GAPS)
        self._mark: float | None = None

    @property
    def expected_interval(self) -> float:
        """The bookmark interval believed now: learned if any bookmark came, else configured."""
        return max(self._gaps) if self._gaps else self.bookmark_interval

    @property
    def seconds(self) -> float:
        return min(MAX_DEADLINE, max(self.minimum, self.factor * self.expected_interval))

    def stream_started(self, now: float) -> None:
        """A watch stream opened at `now` (monotonic seconds): its first bookmark ends a gap."""
        self._mark = now

    def bookmark(self, now: float) -> bool:
        """A bookmark arrived at `now`; True when that changed the deadline."""
        before = self.seconds
        if self._mark is not None:
            self._gaps.append(max(now - self._mark, 0.0))
        self._mark = now
        return self.seconds != before
