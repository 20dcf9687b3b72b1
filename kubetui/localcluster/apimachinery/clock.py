"""Timestamps as the API server writes them, and the simulated clock of the kubelet.

Key decision: the server formats times with second precision and a literal `Z` (RFC 3339, like
kube-apiserver's metav1.Time); only MicroTime fields (events' eventTime) carry microseconds, and
log lines carry RFC3339Nano. The clock is injectable; `SimClock` scales durations, never
timestamps.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta, timezone
from typing import Callable

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc3339_micro(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_rfc3339(text: object) -> datetime | None:
    """Parse a metav1.Time or MicroTime string; None for anything unparsable."""
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment


def rfc3339_nano(moment: datetime) -> str:
    """Go's time.RFC3339Nano as the kubelet prefixes log lines: trailing zeros trimmed."""
    utc = moment.astimezone(timezone.utc)
    fraction = f"{utc.microsecond:06d}000".rstrip("0")
    return utc.strftime("%Y-%m-%dT%H:%M:%S") + (f".{fraction}" if fraction else "") + "Z"


class SimClock:
    """Simulated time for the kubelet: back-offs, sleeps and pulls run `time_scale` times faster.

    Key decision: only durations are scaled. Timestamps written into objects and logs stay real
    wall-clock (`wall_now`), so ages in `kubectl get pods` stay true; a simulated 10 s back-off
    at time_scale=20 simply lasts half a real second. `now()` is simulated seconds since start,
    read from a monotonic source so wall-clock jumps cannot reorder the simulation.
    """

    def __init__(self, time_scale: float = 1.0, *, monotonic: Callable[[], float] | None = None,
                 wall: Clock = utc_now) -> None:
        if not time_scale or time_scale <= 0:
            raise ValueError(f"time scale must be a positive number, not {time_scale!r}")
        self.time_scale = float(time_scale)
        self._monotonic = monotonic or time.monotonic
        self._wall = wall
        self._origin = self._monotonic()

    def now(self) -> float:
        """Simulated seconds elapsed since the clock was created."""
        return (self._monotonic() - self._origin) * self.time_scale

    def wall_now(self) -> datetime:
        return self._wall()

    def real_seconds(self, sim_seconds: float) -> float:
        return max(0.0, sim_seconds) / self.time_scale

    def wall_after(self, start: datetime, sim_seconds: float) -> datetime:
        """The wall-clock instant `sim_seconds` of simulated time after `start`."""
        return start + timedelta(seconds=self.real_seconds(sim_seconds))

    async def sleep(self, sim_seconds: float) -> None:
        await asyncio.sleep(self.real_seconds(sim_seconds))
