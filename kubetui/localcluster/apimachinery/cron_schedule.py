"""Cron schedules as CronJobs read them: robfig/cron v3's `ParseStandard`, with its errors.

Five fields (minute, hour, day of month, month, day of week, with names, ranges, steps and
lists) or a descriptor (`@hourly`, `@daily`, `@every 90s` ...); the apiserver's validation
shows the parser's error text as is, so the messages are the library's. `next_after` is
`Schedule.Next`: the first activation strictly after a moment, in the schedule's time zone.
Key decision: wall-clock arithmetic in the zone, like the library; a time skipped by a DST
jump is skipped here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo

_MONTHS = {name: i + 1 for i, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
_DAYS = {name: i for i, name in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}
STAR = 1 << 63  # set when a day field was `*` or `?`: then day of month AND day of week must match


@dataclass(frozen=True)
class _Bounds:
    low: int
    high: int
    names: dict | None = None


_FIELDS = (_Bounds(0, 59), _Bounds(0, 23), _Bounds(1, 31), _Bounds(1, 12, _MONTHS), _Bounds(0, 6, _DAYS))


class CronError(ValueError):
    """The parser's message, e.g. `expected exactly 5 fields, found 1: [x]`."""


@dataclass(frozen=True)
class Schedule:
    minute: int = 0
    hour: int = 0
    dom: int = 0
    month: int = 0
    dow: int = 0
    every: float = 0.0  # seconds, for `@every`

    def next_after(self, moment: datetime, zone: tzinfo = timezone.utc) -> datetime | None:
        """The first activation after `moment` (None: none within five years, like Feb 30)."""
        if self.every:
            start = moment.replace(microsecond=0)
            return start + timedelta(seconds=self.every)
        local = moment.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0) + timedelta(minutes=1)
        limit = local.year + 5
        while local.year <= limit:
            if not self.month & (1 << local.month):
                local = _first_of_next_month(local)
                continue
            if not self._day_matches(local):
                local = (local + timedelta(days=1)).replace(hour=0, minute=0)
                continue
            if not self.hour & (1 << local.hour):
                local = (local + timedelta(hours=1)).replace(minute=0)
                continue
            if not self.minute & (1 << local.minute):
                local += timedelta(minutes=1)
                continue
            return local.replace(tzinfo=zone).astimezone(moment.tzinfo or timezone.utc)
        return None

    def _day_matches(self, local: datetime) -> bool:
        dom = bool(self.dom & (1 << local.day))
        dow = bool(self.dow & (1 << ((local.weekday() + 1) % 7)))
        if self.dom & STAR or self.dow & STAR:
            return dom and dow
        return dom or dow


def _first_of_next_month(local: datetime) -> datetime:
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return local.replace(year=year, month=month, day=1, hour=0, minute=0)


def _bits(low: int, high: int, step: int = 1) -> int:
    return sum(1 << i for i in range(low, high + 1, step))


def _all(bounds: _Bounds) -> int:
    return _bits(bounds.low, bounds.high) | STAR


_DESCRIPTORS = {
    "@yearly": (1, 1, 1 << 1, 1 << 1, _all(_FIELDS[4])),
    "@annually": (1, 1, 1 << 1, 1 << 1, _all(_FIELDS[4])),
    "@monthly": (1, 1, 1 << 1, _all(_FIELDS[3]), _all(_FIELDS[4])),
    "@weekly": (1, 1, _all(_FIELDS[2]), _all(_FIELDS[3]), 1),
    "@daily": (1, 1, _all(_FIELDS[2]), _all(_FIELDS[3]), _all(_FIELDS[4])),
    "@midnight": (1, 1, _all(_FIELDS[2]), _all(_FIELDS[3]), _all(_FIELDS[4])),
    "@hourly": (1, _all(_FIELDS[1]), _all(_FIELDS[2]), _all(_FIELDS[3]), _all(_FIELDS[4])),
}


def parse(spec: str) -> Schedule:
    """cron.ParseStandard; raises CronError with the library's message."""
    if not spec:
        raise CronError("empty spec string")
    if spec.startswith("TZ=") or spec.startswith("CRON_TZ="):
        space = spec.find(" ")
        spec = spec[space:].strip() if space >= 0 else ""
    if spec.startswith("@"):
        return _descriptor(spec)
    fields = spec.split()
    if len(fields) != 5:
        raise CronError(f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]")
    values = [_field(text, bounds) for text, bounds in zip(fields, _FIELDS)]
    return Schedule(*values)


def _descriptor(spec: str) -> Schedule:
    known = _DESCRIPTORS.get(spec)
    if known is not None:
        return Schedule(*known)
    if spec.startswith("@every "):
        seconds = parse_go_duration(spec[len("@every "):], spec)
        return Schedule(every=max(1.0, float(int(seconds))))
    raise CronError(f"unrecognized descriptor: {spec}")


def _field(text: str, bounds: _Bounds) -> int:
    bits = 0
    for expression in (part for part in text.split(",") if part):
        bits |= _range(expression, bounds)
    return bits


def _range(expression: str, bounds: _Bounds) -> int:
    range_and_step = expression.split("/")
    low_and_high = range_and_step[0].split("-")
    extra = 0
    if low_and_high[0] in ("*", "?"):
        start, end, extra = bounds.low, bounds.high, STAR
    else:
        start = _int_or_name(low_and_high[0], bounds.names)
        if len(low_and_high) == 1:
            end = start
        elif len(low_and_high) == 2:
            end = _int_or_name(low_and_high[1], bounds.names)
        else:
            raise CronError(f"too many hyphens: {expression}")
    if len(range_and_step) == 1:
        step = 1
    elif len(range_and_step) == 2:
        step = _int(range_and_step[1])
        if len(low_and_high) == 1:
            end = bounds.high
        if step > 1:
            extra = 0
    else:
        raise CronError(f"too many slashes: {expression}")
    if start < bounds.low:
        raise CronError(f"beginning of range ({start}) below minimum ({bounds.low}): {expression}")
    if end > bounds.high:
        raise CronError(f"end of range ({end}) above maximum ({bounds.high}): {expression}")
    if start > end:
        raise CronError(f"beginning of range ({start}) beyond end of range ({end}): {expression}")
    if step == 0:
        raise CronError(f"step of range should be a positive number: {expression}")
    return _bits(start, end, step) | extra


def _int_or_name(text: str, names: dict | None) -> int:
    if names and text.lower() in names:
        return names[text.lower()]
    return _int(text)


def _int(text: str) -> int:
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise CronError(f'failed to parse int from {text}: strconv.Atoi: parsing "{text}": invalid syntax')
    number = int(text)
    if number < 0:
        raise CronError(f"negative number ({number}) not allowed: {text}")
    return number


_DURATION_PART = re.compile(r"([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_go_duration(text: str, spec: str) -> float:
    """time.ParseDuration, in seconds (only what `@every` uses: no sign)."""
    body = text
    if body == "0":
        return 0.0
    total, position = 0.0, 0
    while position < len(body):
        match = _DURATION_PART.match(body, position)
        if match is None:
            detail = "missing unit in duration" if re.fullmatch(r"[0-9.]+", body[position:]) else "invalid duration"
            raise CronError(f'failed to parse duration {spec}: time: {detail} "{text}"')
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        position = match.end()
    if not body:
        raise CronError(f'failed to parse duration {spec}: time: invalid duration ""')
    return total
