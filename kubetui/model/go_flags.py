"""kubectl's flag values as Go parses them: durations (`--since=5m`), RFC 3339 times
(`--since-time`) and integers, with Go's error messages word for word.

Key decision: a port of the parts of Go's `time.ParseDuration`, `time.Parse(time.RFC3339, ...)`
and `strconv.ParseInt` that a person can trip over, so `kubetui logs --since=5` fails exactly
as `kubectl logs --since=5` does ("missing unit in duration"). Errors are ValueError whose text
is Go's; the caller adds kubectl's `invalid argument ... for "--flag" flag: ` framing.
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta, timezone

__all__ = ["go_round_seconds", "parse_go_duration", "parse_go_int", "parse_rfc3339"]

_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_RFC3339 = "2006-01-02T15:04:05Z07:00"
_INT64 = 2 ** 63


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse_go_duration(text: str) -> float:
    """Seconds in `text` ("1h30m", "500ms", "-2s"), as time.ParseDuration reads it."""
    original, rest = text, text
    sign = 1.0
    if rest[:1] in ("-", "+"):
        sign = -1.0 if rest[0] == "-" else 1.0
        rest = rest[1:]
    if rest == "0":
        return 0.0
    if not rest:
        raise ValueError(f"time: invalid duration {_quote(original)}")
    total = 0.0
    while rest:
        number = re.match(r"(\d*)(\.(\d*))?", rest)
        whole, fraction = number.group(1), number.group(3) or ""
        if not whole and not fraction:
            raise ValueError(f"time: invalid duration {_quote(original)}")
        rest = rest[number.end():]
        unit = re.match(r"[^\d.]*", rest).group(0)
        if not unit:
            raise ValueError(f"time: missing unit in duration {_quote(original)}")
        if unit not in _UNITS:
            raise ValueError(f"time: unknown unit {_quote(unit)} in duration {_quote(original)}")
        rest = rest[len(unit):]
        total += float(f"{whole or 0}.{fraction or 0}") * _UNITS[unit]
    return sign * total


def go_round_seconds(seconds: float) -> int:
    """time.Duration.Round(time.Second) in seconds: halves away from zero."""
    magnitude = int(abs(seconds) + 0.5)
    return -magnitude if seconds < 0 else magnitude


def parse_go_int(text: str) -> int:
    """strconv.ParseInt(text, 0, 64) as pflag's int flags use it (base prefixes included)."""
    body = text[1:] if text[:1] in "+-" else text
    value = None
    if body[:1].isdigit() and "_" not in body:
        legacy_octal = len(body) > 1 and body[0] == "0" and body[1].isdigit()
        try:
            value = int(body, 8) if legacy_octal else int(body, 0)
        except ValueError:
            value = None
        if value is not None and text.startswith("-"):
            value = -value
    if value is None:
        raise ValueError(f"strconv.ParseInt: parsing {_quote(text)}: invalid syntax")
    if not -_INT64 <= value < _INT64:
        raise ValueError(f"strconv.ParseInt: parsing {_quote(text)}: value out of range")
    return value


def parse_rfc3339(text: str) -> datetime:
    """time.Parse(time.RFC3339, text): a UTC datetime, or ValueError with Go's message."""
    rest = text

    def bad(element: str) -> ValueError:
        return ValueError(f"parsing time {_quote(text)} as {_quote(_RFC3339)}: cannot parse "
                          f"{_quote(rest)} as {_quote(element)}")

    def out_of_range(what: str) -> ValueError:
        return ValueError(f"parsing time {_quote(text)}: {what} out of range")

    def number(element: str, fixed: bool) -> int:
        nonlocal rest
        if not rest[:1].isdigit():
            raise bad(element)
        if not rest[1:2].isdigit():
            if fixed:
                raise bad(element)
            value, rest = int(rest[0]), rest[1:]
            return value
        value, rest = int(rest[:2]), rest[2:]
        return value

    def literal(expected: str) -> None:
        nonlocal rest
        if not rest.startswith(expected):
            raise bad(expected)
        rest = rest[len(expected):]

    if len(rest) < 4 or not rest[:4].isdigit():
        raise bad("2006")
    year, rest = int(rest[:4]), rest[4:]
    literal("-")
    month = number("01", True)
    if not 1 <= month <= 12:
        raise out_of_range("month")
    literal("-")
    day = number("02", True)
    literal("T")
    hour = number("15", False)
    if not 0 <= hour < 24:
        raise out_of_range("hour")
    literal(":")
    minute = number("04", True)
    if not 0 <= minute < 60:
        raise out_of_range("minute")
    literal(":")
    second = number("05", True)
    if not 0 <= second < 60:
        raise out_of_range("second")
    micro = 0
    fraction = re.match(r"[.,](\d+)", rest)
    if fraction:
        micro = int((fraction.group(1) + "000000")[:6])
        rest = rest[fraction.end():]
    offset = 0
    if rest.startswith("Z"):
        rest = rest[1:]
    else:
        zone = re.match(r"([+-])(\d\d):(\d\d)", rest)
        if not zone:
            raise bad("Z07:00")
        offset = (int(zone.group(2)) * 60 + int(zone.group(3))) * (-1 if zone.group(1) == "-" else 1)
        rest = rest[zone.end():]
    if rest:
        raise ValueError(f"parsing time {_quote(text)}: extra text: {_quote(rest)}")
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ValueError(f"parsing time {_quote(text)}: day out of range")
    local = datetime(year, month, day, hour, minute, second, micro, tzinfo=timezone.utc)
    return local - timedelta(minutes=offset)
