"""Waiting inside a screenshot scenario: on a condition, with one deadline for the whole picture."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Awaitable, Callable


def waiter(timeout: float) -> Callable[[Callable[[], Any]], Awaitable[bool]]:
    """`await wait(condition)`: True once the condition holds, False when the deadline (now +
    `timeout`, shared by every wait of this waiter) passes first."""
    deadline = time.monotonic() + timeout

    async def wait(condition: Callable[[], Any]) -> bool:
        while not condition() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)  # poll interval; the condition or the deadline ends the wait
        return bool(condition())

    return wait
