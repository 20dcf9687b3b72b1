"""apimachinery's HumanDuration at every boundary, plus timestamp parsing."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from pod_builders import NOW

from kubetui.model import human_duration, parse_timestamp, time_since

MIN, HOUR, DAY, YEAR = 60, 3600, 86400, 365 * 86400

HUMAN_DURATION_CASES = [
    pytest.param(-2.1, "<invalid>", id="beyond-2s-skew-invalid"),
    pytest.param(-2, "<invalid>", id="exactly-minus-2s-invalid"),
    pytest.param(-1.9, "0s", id="minus-1.9s-truncates-to-minus-1"),
    pytest.param(-1, "0s", id="minus-1s"),
    pytest.param(-0.5, "0s", id="minus-half-second"),
    pytest.param(0, "0s", id="zero"),
    pytest.param(0.999, "0s", id="under-a-second-truncates"),
    pytest.param(45, "45s", id="45s"),
    pytest.param(119.99, "119s", id="just-under-2m"),
    pytest.param(120, "2m", id="2m"),
    pytest.param(150, "2m30s", id="2m30s"),
    pytest.param(5 * MIN, "5m", id="5m-no-seconds-part"),
    pytest.param(10 * MIN - 1, "9m59s", id="just-under-10m"),
    pytest.param(10 * MIN, "10m", id="10m"),
    pytest.param(10 * MIN + 59, "10m", id="seconds-dropped-from-10m"),
    pytest.param(150 * MIN, "150m", id="150m"),
    pytest.param(180 * MIN - 1, "179m", id="just-under-3h"),
    pytest.param(3 * HOUR, "3h", id="3h"),
    pytest.param(3 * HOUR + 10 * MIN, "3h10m", id="3h10m"),
    pytest.param(8 * HOUR - 1, "7h59m", id="just-under-8h"),
    pytest.param(8 * HOUR + 30 * MIN, "8h", id="minutes-dropped-from-8h"),
    pytest.param(10 * HOUR, "10h", id="10h"),
    pytest.param(48 * HOUR - 1, "47h", id="just-under-2d"),
    pytest.param(2 * DAY, "2d", id="2d"),
    pytest.param(2 * DAY + 3 * HOUR, "2d3h", id="2d3h"),
    pytest.param(8 * DAY - 1, "7d23h", id="just-under-8d"),
    pytest.param(8 * DAY + 5 * HOUR, "8d", id="hours-dropped-from-8d"),
    pytest.param(45 * DAY, "45d", id="45d"),
    pytest.param(730 * DAY - 1, "729d", id="just-under-2y"),
    pytest.param(2 * YEAR, "2y", id="2y"),
    pytest.param(2 * YEAR + 30 * DAY, "2y30d", id="2y30d"),
    pytest.param(8 * YEAR - 1, "7y364d", id="just-under-8y"),
    pytest.param(8 * YEAR + 100 * DAY, "8y", id="days-dropped-from-8y"),
    # upstream TestTranslateTimestampSince
    pytest.param(-2.1, "<invalid>", id="upstream-a-while-from-now"),
    pytest.param(-1.9, "0s", id="upstream-almost-now"),
    pytest.param(30, "30s", id="upstream-30-seconds-ago"),
    pytest.param(300, "5m", id="upstream-5-minutes-ago"),
    pytest.param(6000, "100m", id="upstream-an-hour-ago"),
    pytest.param(2 * DAY, "2d", id="upstream-2-days-ago"),
    pytest.param(90 * DAY, "90d", id="upstream-months-ago"),
    pytest.param(10 * YEAR, "10y", id="upstream-10-years-ago"),
    pytest.param(float("nan"), "<invalid>", id="nan"),
    pytest.param(float("inf"), "<invalid>", id="infinity"),
]


@pytest.mark.parametrize(("seconds", "expected"), HUMAN_DURATION_CASES)
def test_human_duration(seconds, expected):
    assert human_duration(seconds) == expected


UTC = timezone.utc

PARSE_CASES = [
    pytest.param("2026-11-26T10:00:00Z", datetime(2026, 11, 26, 10, tzinfo=UTC), id="zulu"),
    pytest.param("2026-11-26T10:00:00.5Z", datetime(2026, 11, 26, 10, 0, 0, 500000, UTC),
                 id="fraction"),
    pytest.param("2026-11-26T10:00:00.123456789Z",
                 datetime(2026, 11, 26, 10, 0, 0, 123456, UTC), id="nanoseconds-truncated"),
    pytest.param("2026-11-26T12:00:00+02:00", datetime(2026, 11, 26, 10, tzinfo=UTC),
                 id="offset"),
    pytest.param("0001-01-01T00:00:00Z", None, id="go-zero-time-is-unset"),
    pytest.param("2026-11-26", None, id="date-only"),
    pytest.param("2026-11-26T10:00:00", None, id="no-zone"),
    pytest.param("yesterday", None, id="garbage"),
    pytest.param("2026-13-40T10:00:00Z", None, id="impossible-date"),
    pytest.param("", None, id="empty"),
    pytest.param(None, None, id="none"),
    pytest.param(1764151200, None, id="number"),
    pytest.param(["2026-11-26T10:00:00Z"], None, id="unhashable"),
]


@pytest.mark.parametrize(("text", "expected"), PARSE_CASES)
def test_parse_timestamp(text, expected):
    assert parse_timestamp(text) == expected


def test_parse_timestamp_is_aware_and_cached():
    first = parse_timestamp("2026-11-26T10:00:00Z")
    assert first is not None and first.utcoffset() == timedelta(0)
    assert parse_timestamp("2026-11-26T10:00:00Z") is first


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        pytest.param(None, "<unknown>", id="unset"),
        pytest.param(NOW - timedelta(minutes=5), "5m", id="past"),
        pytest.param(NOW + timedelta(seconds=1), "0s", id="clock-skew-tolerated"),
    ],
)
def test_time_since(moment, expected):
    assert time_since(moment, NOW) == expected
