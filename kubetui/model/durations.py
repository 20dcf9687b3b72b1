"""kubectl's ages: apimachinery's ``HumanDuration`` and Kubernetes timestamps.

Key decisions: the duration rules are a line-for-line port of Go's
``k8s.io/apimachinery/pkg/util/duration.HumanDuration`` (seconds truncated toward zero, up
to 2 s of clock skew shown as ``0s``), and timestamps are parsed once and cached because
the same ``creationTimestamp`` strings come back on every list and watch event. Go's zero
time (``0001-01-01T00:00:00Z``) means "unset" in ``metav1.Time``, so it parses to ``None``.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta, timezone
from functools import lru_cache

__all__ = ["human_duration", "parse_timestamp", "time_since"]

_GO_ZERO_TIME = datetime(1, 1, 1, tzinfo=timezone.utc)

# Fallback for RFC 3339 forms that datetime.fromisoformat rejects on older Pythons
# (for example nine fractional digits on 3.10).
_RFC3339 = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?"
    r"(?:([Zz])|([+-])(\d\d):(\d\d))\Z"
)


def human_duration(seconds: float) -> str:
    """Format a duration the way kubectl's AGE and ``(X ago)`` cells do."""
    if not math.isfinite(seconds):
        return "<invalid>"
    whole = int(seconds)  # Go's int(d.Seconds()) truncates toward zero
    if whole < -1:
        return "<invalid>"
    if whole < 0:
        return "0s"
    if whole < 120:
        return f"{whole}s"
    minutes = whole // 60
    if minutes < 10:
        rest = whole % 60
        return f"{minutes}m" if rest == 0 else f"{minutes}m{rest}s"
    if minutes < 180:
        return f"{minutes}m"
    hours = whole // 3600
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h" if rest == 0 else f"{hours}h{rest}m"
    if hours < 48:
        return f"{hours}h"
    days = hours // 24
    if hours < 24 * 8:
        rest = hours % 24
        return f"{days}d" if rest == 0 else f"{days}d{rest}h"
    if hours < 24 * 365 * 2:
        return f"{days}d"
    years = days // 365
    if hours < 24 * 365 * 8:
        rest = days % 365
        return f"{years}y" if rest == 0 else f"{years}y{rest}d"
    return f"{years}y"


def time_since(moment: datetime | None, now: datetime) -> str:
    """kubectl's ``translateTimestampSince``: ``<unknown>`` for an unset time."""
    if moment is None:
        return "<unknown>"
    return human_duration((now - moment).total_seconds())


def parse_timestamp(text: object) -> datetime | None:
    """Parse an RFC 3339 timestamp such as ``2026-11-26T10:00:00Z`` to an aware datetime.

    Returns ``None`` for anything that is not a valid, zone-qualified timestamp, and for
    Go's zero time, which the API uses to mean "not set".
    """
    if type(text) is not str:
        return None
    return _parse_cached(text)


@lru_cache(maxsize=65536)
def _parse_cached(text: str) -> datetime | None:
    moment: datetime | None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = _parse_rfc3339(text)
    if moment is None or moment.tzinfo is None:
        return None  # date-only or zone-less text is not RFC 3339
    try:
        if moment == _GO_ZERO_TIME:
            return None
    except OverflowError:  # year 1 with a negative offset cannot be compared
        return None
    return moment


def _parse_rfc3339(text: str) -> datetime | None:
    match = _RFC3339.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    if zulu:
        zone = timezone.utc
    else:
        offset = timedelta(hours=int(off_h), minutes=int(off_m))
        zone = timezone(-offset if sign == "-" else offset)
    micros = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        return datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micros, zone
        )
    except ValueError:
        return None
