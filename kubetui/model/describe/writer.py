"""kubectl describe's `PrefixWriter` over Go's `text/tabwriter`, and the Go spellings it prints.

Every describer writes `"  " * level + text` pieces whose cells are separated by tabs; the text
is laid out as Go's tabwriter lays it out (minwidth 0, padding 2, no flags: columns are runs
of consecutive lines with a cell at that position, the last cell of a line is never padded).
`flush()` ends a layout block, as `DescribeEvents` flushes before the events table, so what
comes after is aligned on its own. Text goes through cli-runtime's `WriteEscaped` (ESC and CR
are defused). Pure: no I/O.
"""

from __future__ import annotations

from typing import Any

from datetime import datetime, tzinfo
from decimal import Decimal

from kubetui.model.durations import parse_timestamp, time_since
from kubetui.model.tabwriter import elastic_layout

__all__ = ["PrefixWriter", "go_bool", "go_list", "go_value", "rfc1123z", "since"]

_ESCAPES = str.maketrans({"\x1b": "^[", "\r": "\\r"})
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_GO_ZERO_TIME = "Mon, 01 Jan 0001 00:00:00 +0000"


class PrefixWriter:
    """Collects what a describer writes; `text()` is the laid-out result."""

    def __init__(self) -> None:
        self._pending: list[str] = []
        self._done: list[str] = []

    def write(self, level: int, text: str) -> None:
        """`Write(level, format, args...)` with the formatting already done by the caller."""
        self._pending.append(("  " * level + text).translate(_ESCAPES) if level else text.translate(_ESCAPES))

    def write_line(self, *parts: object) -> None:
        """`WriteLine(a...)`: Go's Sprintln, the operands separated by spaces."""
        self._pending.append((" ".join(str(part) for part in parts) + "\n").translate(_ESCAPES))

    def flush(self) -> None:
        """Lay out what was written so far; later text is aligned on its own."""
        if not self._pending:
            return
        text = "".join(self._pending)
        self._pending = []
        complete = text.endswith("\n")
        lines = [line.split("\t") for line in (text[:-1] if complete else text).split("\n")]
        laid = elastic_layout(lines, 0, 2)
        self._done.append(laid if complete else laid[:-1])

    def text(self) -> str:
        self.flush()
        return "".join(self._done)


def rfc1123z(stamp: object, tz: tzinfo | None = None) -> str:
    """Go's `Time.Format(time.RFC1123Z)` of an API timestamp, in the local zone as kubectl shows
    it (metav1.Time turns to local time when decoded); an unset time is Go's zero time in UTC."""
    moment = parse_timestamp(stamp)
    if moment is None:
        return _GO_ZERO_TIME
    local = moment.astimezone(tz)
    offset = local.utcoffset()
    minutes = int(offset.total_seconds()) // 60 if offset else 0
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return (f"{_DAYS[local.weekday()]}, {local.day:02d} {_MONTHS[local.month - 1]} {local.year:04d} "
            f"{local.hour:02d}:{local.minute:02d}:{local.second:02d} {sign}{minutes // 60:02d}{minutes % 60:02d}")


def since(stamp: object, now: datetime) -> str:
    """kubectl's `translateTimestampSince`: a human age, `<unknown>` when unset."""
    return time_since(parse_timestamp(stamp), now)


def go_bool(value: object) -> str:
    return "true" if value else "false"


def go_list(values: Any) -> str:
    """`%v` of a Go string slice: `[a b c]`."""
    return "[" + " ".join(go_value(value) for value in (values or ())) + "]"


def go_value(value: object) -> str:
    """`%v` of a value decoded from JSON into Go's `interface{}`."""
    if value is None:
        return "<nil>"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _go_float(value)
    if isinstance(value, list):
        return go_list(value)
    if isinstance(value, dict):
        return "map[" + " ".join(f"{key}:{go_value(value[key])}" for key in sorted(value)) + "]"
    return str(value)


def _go_float(value: float) -> str:
    """`%v` of a float64: strconv's shortest 'g' form (exponent form below 1e-4 and from 1e6)."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if str(value).startswith("-") else "0"
    sign, digit_tuple, exponent = Decimal(repr(value)).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0") or "0"
    point = len(digit_tuple) + int(exponent)  # digits before the decimal point
    prefix = "-" if sign else ""
    x = point - 1
    if x < -4 or x >= 6:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{prefix}{mantissa}e{'-' if x < 0 else '+'}{abs(x):02d}"
    if point <= 0:
        return f"{prefix}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return prefix + digits + "0" * (point - len(digits))
    return f"{prefix}{digits[:point]}.{digits[point:]}"
