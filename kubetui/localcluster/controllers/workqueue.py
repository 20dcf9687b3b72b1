"""A coalescing reconcile queue, run on the server's asyncio loop.

Key decision: store listeners only *mark* keys here; the reconcile runs later in a `call_soon`
callback. That keeps controller writes out of the store's own notification path (no re-entrant
mutation), and a burst of events for one object collapses into one reconcile, like client-go's
workqueue. A reconcile may return a delay in seconds to be looked at again later (time-based
conditions such as minReadySeconds); an exception is logged and retried with backoff. One drain
runs for at most `budget` seconds of loop time, then yields to the loop (HTTP requests, watches)
and carries on in a later callback, keys not reached yet first.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Hashable

log = logging.getLogger(__name__)

_MAX_BACKOFF_SECONDS = 5.0
DRAIN_BUDGET_SECONDS = 0.01


class ReconcileQueue:
    """Keys waiting to be reconciled; every method must be called on the loop thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop,
                 reconcile: Callable[[Hashable], float | None], name: str, *,
                 budget: float = DRAIN_BUDGET_SECONDS) -> None:
        self._loop = loop
        self._reconcile = reconcile
        self._name = name
        self._budget = budget
        self._pending: dict[Hashable, None] = {}
        self._timers: dict[Hashable, asyncio.TimerHandle] = {}
        self._failures: dict[Hashable, int] = {}
        self._drain_scheduled = False
        self._stopped = False

    def add(self, key: Hashable) -> None:
        if self._stopped:
            return
        self._pending[key] = None
        if not self._drain_scheduled:
            self._drain_scheduled = True
            self._loop.call_soon(self._drain)

    def add_after(self, key: Hashable, delay: float) -> None:
        """Reconcile `key` after `delay` seconds (an earlier pending timer wins)."""
        if self._stopped:
            return
        when = self._loop.time() + delay
        timer = self._timers.get(key)
        if timer is not None and not timer.cancelled() and timer.when() <= when:
            return
        if timer is not None:
            timer.cancel()
        self._timers[key] = self._loop.call_at(when, self._fire_timer, key)

    def stop(self) -> None:
        self._stopped = True
        self._pending.clear()
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()

    def _fire_timer(self, key: Hashable) -> None:
        self._timers.pop(key, None)
        self.add(key)

    def _drain(self) -> None:
        """Reconcile the keys pending now; keys added meanwhile wait for the next drain."""
        self._drain_scheduled = False
        keys = list(self._pending)
        self._pending.clear()
        deadline = time.perf_counter() + self._budget
        for index, key in enumerate(keys):
            if self._stopped:
                return
            self._run(key)
            if time.perf_counter() > deadline and index + 1 < len(keys):
                self._pending = {**dict.fromkeys(keys[index + 1:]), **self._pending}
                if not self._drain_scheduled:
                    self._drain_scheduled = True
                    self._loop.call_soon(self._drain)
                return

    def _run(self, key: Hashable) -> None:
        try:
            again_after = self._reconcile(key)
        except Exception:  # a controller bug must not stop the other keys or the server
            failures = self._failures.get(key, 0) + 1
            self._failures[key] = failures
            log.exception("%s: reconcile of %s failed (attempt %d)", self._name, key, failures)
            self.add_after(key, min(0.05 * 2 ** failures, _MAX_BACKOFF_SECONDS))
            return
        self._failures.pop(key, None)
        if again_after is not None:
            self.add_after(key, max(again_after, 0.0))
