"""Flag values read the way kubectl's Go parsers read them, failing with the same words.

Ports of `strconv.ParseBool`, `strconv.ParseInt(s, 0, 64)`, `time.ParseDuration` and
`time.Parse(time.RFC3339, s)` with their error texts (`strconv.ParseInt: parsing "x": invalid
syntax`, `time: unknown unit "x" in duration "5x"`, `parsing time "x" as "2006-01-02T15:04:05Z07:00":
cannot parse "x" as "2006"`), so `--tail=x`, `--since=5x` or `--since-time=x` is refused in
kubectl's own words.
Key decision: only what pflag's value types need; each function raises ValueError whose
message is the Go error text, and the flag parser wraps it as pflag does.
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta, timezone

from kubetui.model.go_quote import go_quote

_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_FALSE = {"0", "f", "F", "FALSE", "false", "False"}


def parse_bool(text: str) -> bool:
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"strconv.ParseBool: parsing {go_quote(text)}: invalid syntax")


_INT_BODIES = {
    2: re.compile(r"[01]+(_?[01]+)*\Z"),
    8: re.compile(r"[0-7]+(_?[0-7]+)*\Z"),
    10: re.compile(r"[0-9]+(_?[0-9]+)*\Z"),
    16: re.compile(r"[0-9a-fA-F]+(_?[0-9a-fA-F]+)*\Z"),
}


def parse_int(text: str, bits: int = 64) -> int:
    """Go's ParseInt with base 0: `0x1f`, `0o17`, `017` (octal), `0b101`, `1_000` are numbers."""
    def fail(reason: str) -> ValueError:
        return ValueError(f"strconv.ParseInt: parsing {go_quote(text)}: {reason}")

    body = text[1:] if text[:1] in "+-" else text
    base, digits = 10, body
    lowered = body[:2].lower()
    if lowered in ("0x", "0o", "0b"):
        base, digits = {"0x": 16, "0o": 8, "0b": 2}[lowered], body[2:]
        digits = digits[1:] if digits.startswith("_") else digits
    elif len(body) > 1 and body[0] == "0":
        base, digits = 8, body[1:].lstrip("_") if body[1:2] == "_" else body[1:]
    if not digits or not _INT_BODIES[base].match(digits):
        raise fail("invalid syntax")
    value = int(digits.replace("_", ""), base)
    if text.startswith("-"):
        value = -value
    if not -(1 << (bits - 1)) <= value < (1 << (bits - 1)):
        raise fail("value out of range")
    return value


def parse_uint(text: str, bits: int = 16) -> int:
    """Go's ParseUint(s, 10, bits), as port-forward reads port numbers."""
    if not text or not text.isascii() or not text.isdigit():
        raise ValueError(f"strconv.ParseUint: parsing {go_quote(text)}: invalid syntax")
    value = int(text)
    if value >= 1 << bits:
        raise ValueError(f"strconv.ParseUint: parsing {go_quote(text)}: value out of range")
    return value


_UNITS = {"ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000,
          "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000}
_MAX_NANOS = (1 << 63) - 1
_DIGITS = "0123456789"


def _leading(text: str, allowed: str | None) -> str:
    """The longest prefix of digits (allowed given), or of anything but digits and dots (None)."""
    end = 0
    while end < len(text) and ((text[end] in allowed) if allowed else (text[end] not in _DIGITS + ".")):
        end += 1
    return text[:end]


def parse_duration(text: str) -> float:
    """Go's time.ParseDuration, in seconds (`1h30m`, `.5s`, `-5m`, `0`)."""
    quoted = go_quote(text)
    s = text
    negative = False
    if s[:1] in ("-", "+"):
        negative = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0.0
    if not s:
        raise ValueError(f"time: invalid duration {quoted}")
    total = 0.0
    while s:
        whole = _leading(s, _DIGITS)
        s = s[len(whole):]
        frac = ""
        if s.startswith("."):
            frac = _leading(s[1:], _DIGITS)
            s = s[1 + len(frac):]
        if not whole and not frac:
            raise ValueError(f"time: invalid duration {quoted}")
        unit = _leading(s, None)
        s = s[len(unit):]
        if not unit:
            raise ValueError(f"time: missing unit in duration {quoted}")
        if unit not in _UNITS:
            raise ValueError(f"time: unknown unit {go_quote(unit)} in duration {quoted}")
        total += float(f"{whole or '0'}.{frac or '0'}") * _UNITS[unit]
        if total > _MAX_NANOS:
            raise ValueError(f"time: invalid duration {quoted}")
    return (-total if negative else total) / 1e9


def go_list(items) -> str:
    """fmt's %v of a []string: `[a b c]`."""
    return "[" + " ".join(items) + "]"


def round_seconds(seconds: float) -> int:
    """time.Duration.Round(time.Second), in seconds: halves away from zero (`--since=1.5s` is 2)."""
    magnitude = int(abs(seconds) + 0.5)
    return -magnitude if seconds < 0 else magnitude


_RFC3339 = "2006-01-02T15:04:05Z07:00"


def parse_rfc3339(text: str) -> datetime:
    """time.Parse(time.RFC3339, text) as a UTC datetime (fractional seconds accepted, as Go does)."""
    rest = text

    def bad(element: str) -> ValueError:
        return ValueError(f"parsing time {go_quote(text)} as {go_quote(_RFC3339)}: cannot parse "
                          f"{go_quote(rest)} as {go_quote(element)}")

    def out_of_range(what: str) -> ValueError:
        return ValueError(f"parsing time {go_quote(text)}: {what} out of range")

    def number(element: str, fixed: bool) -> int:
        nonlocal rest
        if not rest[:1].isdigit() or (fixed and not rest[1:2].isdigit()):
            raise bad(element)
        size = 2 if rest[1:2].isdigit() else 1
        value, rest = int(rest[:size]), rest[size:]
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
    hour = number("15", False)  # Go's stdHour takes one digit too
    if hour >= 24:
        raise out_of_range("hour")
    literal(":")
    minute = number("04", True)
    if minute >= 60:
        raise out_of_range("minute")
    literal(":")
    second = number("05", True)
    if second >= 60:
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
        raise ValueError(f"parsing time {go_quote(text)}: extra text: {go_quote(rest)}")
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ValueError(f"parsing time {go_quote(text)}: day out of range")
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=timezone.utc) - timedelta(minutes=offset)
