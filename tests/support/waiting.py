"""Waiting on a condition with a deadline: `wait_for` in plain tests, `until` inside a Pilot
scenario (it yields to the app's event loop between polls).

The pause between polls only spaces the polls out; the deadline decides, never a sleep.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Callable, Iterator


def _polls(predicate: Callable[[], Any], timeout: float, message: str,
           detail: Callable[[], str] | None) -> Iterator[Any]:
    """The value of `predicate` at each poll, until a truthy one; past the deadline, the failure."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if not value and time.monotonic() >= deadline:
            text = f"timed out after {timeout}s waiting for {message}; last: {value!r}"
            raise AssertionError(f"{text}\n{detail()}" if detail else text)
        yield value


def wait_for(predicate: Callable[[], Any], timeout: float = 20.0, interval: float = 0.05,
             message: str = "condition", detail: Callable[[], str] | None = None) -> Any:
    """Poll `predicate` until it returns something truthy (and return that), or fail; `detail()`
    adds what the failure message should show (a screen, a transcript)."""
    for value in _polls(predicate, timeout, message, detail):
        if value:
            return value
        time.sleep(interval)


async def until(predicate: Callable[[], Any], timeout: float = 15.0, message: str = "condition",
                interval: float = 0.02) -> Any:
    """`wait_for` for Pilot scenarios: the app keeps running while the test waits."""
    for value in _polls(predicate, timeout, message, None):
        if value:
            return value
        await asyncio.sleep(interval)
