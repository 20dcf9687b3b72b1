"""CronJob schedules as robfig/cron's ParseStandard reads them: next activation times and the
parser's error texts (which kube-apiserver shows as they are)."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from kubetui.localcluster.apimachinery.cron_schedule import CronError, parse

MONDAY = datetime(2024, 1, 1, 10, 3, 20, tzinfo=timezone.utc)  # Monday 1 January 2024


@pytest.mark.parametrize("spec, expected", [
    ("*/5 * * * *", datetime(2024, 1, 1, 10, 5, tzinfo=timezone.utc)),
    ("0 7 * * 0,5", datetime(2024, 1, 5, 7, 0, tzinfo=timezone.utc)),      # Friday before Sunday
    ("30 9 1 * *", datetime(2024, 2, 1, 9, 30, tzinfo=timezone.utc)),
    ("0 0 * JAN-MAR mon", datetime(2024, 1, 8, 0, 0, tzinfo=timezone.utc)),
    ("0 12 15 * 3", datetime(2024, 1, 3, 12, 0, tzinfo=timezone.utc)),     # day of month OR day of week
    ("0 12 15 * *", datetime(2024, 1, 15, 12, 0, tzinfo=timezone.utc)),
    ("@hourly", datetime(2024, 1, 1, 11, 0, tzinfo=timezone.utc)),
    ("@weekly", datetime(2024, 1, 7, 0, 0, tzinfo=timezone.utc)),
    ("@every 90s", datetime(2024, 1, 1, 10, 4, 50, tzinfo=timezone.utc)),
    ("3 10 * * *", datetime(2024, 1, 2, 10, 3, tzinfo=timezone.utc)),      # strictly after
])
def test_next_activation(spec, expected):
    assert parse(spec).next_after(MONDAY) == expected


def test_a_schedule_is_read_in_its_time_zone():
    paris = ZoneInfo("Europe/Paris")
    assert parse("0 12 * * *").next_after(MONDAY, paris) == datetime(2024, 1, 1, 11, 0, tzinfo=timezone.utc)


def test_an_impossible_date_has_no_next_time():
    assert parse("0 0 30 2 *").next_after(MONDAY) is None


@pytest.mark.parametrize("spec, message", [
    ("", "empty spec string"),
    ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
    ("61 * * * *", "end of range (61) above maximum (59): 61"),
    ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
    ("5-2 * * * *", "beginning of range (5) beyond end of range (2): 5-2"),
    ("*/0 * * * *", "step of range should be a positive number: */0"),
    ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
    ("1/2/3 * * * *", "too many slashes: 1/2/3"),
    ("x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'),
    ("* * * * 7", "end of range (7) above maximum (6): 7"),
    ("@fortnightly", "unrecognized descriptor: @fortnightly"),
])
def test_errors_are_the_parsers(spec, message):
    with pytest.raises(CronError) as error:
        parse(spec)
    assert str(error.value) == message
