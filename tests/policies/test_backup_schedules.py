"""The largest gap between backup runs, for the schedule forms AWS Backup accepts."""

from __future__ import annotations

import math

import pytest

from supportops.policies.backup_schedules import ScheduleError, largest_gap_minutes

HOUR = 60
DAY = 24 * HOUR


@pytest.mark.parametrize(
    ("expressions", "gap"),
    [
        (["rate(15 minutes)"], 15),
        (["rate(12 hours)"], 12 * HOUR),
        (["rate(1 day)"], DAY),
        (["cron(0 * * * ? *)"], HOUR),
        (["cron(0/15 * * * ? *)"], 15),
        (["cron(0 3 * * ? *)"], DAY),
        # Monday to Friday at 03:00: Friday to Monday is three days, not one.
        (["cron(0 3 ? * MON-FRI *)"], 3 * DAY),
        (["cron(0 3 ? * 2-6 *)"], 3 * DAY),  # the same in AWS's numbers (1 = SUN)
        (["cron(0 3 ? * 1 *)"], 7 * DAY),  # Sundays only
        (["cron(0 3 1 * ? *)"], 31 * DAY),  # the first of each month
        (["cron(0 3 L * ? *)"], 31 * DAY),  # the last day of each month
        (["cron(0 3 15W * ? *)"], 32 * DAY),  # nearest weekday to the 15th
        (["cron(0 3 ? * 3#2 *)"], 35 * DAY),  # the second Tuesday
        (["cron(0 3 ? * 6L *)"], 35 * DAY),  # the last Friday
        (["cron(0 3 29 2 ? *)"], (366 + 365 + 365 + 365) * DAY),  # 29 February: once in four years
        # Two rules together: the plan runs every twelve hours, though each rule alone is daily.
        (["cron(0 3 * * ? *)", "cron(0 15 * * ? *)"], 12 * HOUR),
    ],
)
def test_largest_gap(expressions: list[str], gap: float) -> None:
    assert largest_gap_minutes(expressions) == gap


def test_a_schedule_limited_to_past_years_stops() -> None:
    assert largest_gap_minutes(["cron(0 3 * * ? 2020)"]) == math.inf


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("every day", "not a schedule expression"),
        ("cron(0 3 * * *)", "6 fields"),
        ("cron(0 3 1 * MON *)", "cannot both be set"),
        ("cron(0 25 * * ? *)", "not a valid cron expression"),
        ("rate(0 minutes)", "never fires"),
        ("cron(0 3 ? * * twenty)", "year field"),
    ],
)
def test_invalid_schedules_are_refused_with_the_reason(expression: str, problem: str) -> None:
    with pytest.raises(ScheduleError, match=problem):
        largest_gap_minutes([expression])
