"""How far apart the runs of AWS Backup schedules can be: ``cron(...)`` and ``rate(...)`` expressions.

AWS cron has six fields (minutes, hours, day of month, month, day of week, year) with day-of-week
1-7 = SUN-SAT, ``?``, ``L`` (last day; ``6L`` the last Friday), ``W`` (nearest weekday) and ``#``
(``3#2`` the second Tuesday). The first five are mapped onto croniter's (day-of-week 0-6, ``L5`` for
the last Friday) and the runs are enumerated over enough time for the pattern to repeat: the largest
gap between two runs — of one schedule or of several rules together — is then exact, weekends,
month ends and leap days included.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from croniter import croniter
from croniter.croniter import CroniterError

_RATE = re.compile(r"^rate\(\s*(\d{1,9})\s+(minute|minutes|hour|hours|day|days)\s*\)$")
_UNIT_MINUTES = {"minute": 1, "minutes": 1, "hour": 60, "hours": 60, "day": 1440, "days": 1440}
_START = dt.datetime(2026, 1, 1)  # a fixed start: the answer never depends on today's date
_MAX_RUNS = 250_000  # enumeration bound; a schedule firing every minute repeats daily long before


class ScheduleError(ValueError):
    """An expression AWS Backup would not accept, or one that never fires again."""


@dataclass(frozen=True)
class Schedule:
    expression: str
    every_minutes: int | None = None  # rate(...)
    cron: str | None = None  # croniter's five fields
    years: frozenset[int] | None = None  # None: every year
    period_days: int = 1  # how long until the pattern repeats (enumeration horizon)

    def runs(self, until: dt.datetime) -> Iterator[dt.datetime]:
        if self.every_minutes is not None:
            step = dt.timedelta(minutes=self.every_minutes)
            moment = _START
            while moment <= until:
                yield moment
                moment += step
            return
        assert self.cron is not None
        iterator = croniter(self.cron, _START - dt.timedelta(seconds=1))
        for _ in range(_MAX_RUNS):
            moment = iterator.get_next(dt.datetime)
            if moment > until:
                return
            if self.years is None or moment.year in self.years:
                yield moment


def parse(expression: str) -> Schedule:
    """A :class:`Schedule`, or :class:`ScheduleError` saying what is wrong with the expression."""
    text = expression.strip()
    rate = _RATE.match(text)
    if rate:
        minutes = int(rate.group(1)) * _UNIT_MINUTES[rate.group(2)]
        if minutes < 1:
            raise ScheduleError("rate(0 ...) never fires")
        return Schedule(text, every_minutes=minutes, period_days=max(2, 2 * minutes // 1440 + 2))
    if not (text.startswith("cron(") and text.endswith(")")):
        raise ScheduleError("not a schedule expression (cron(...) or rate(...))")
    fields = text[5:-1].split()
    if len(fields) != 6:
        raise ScheduleError(f"an AWS cron expression has 6 fields, this one has {len(fields)}")
    minute, hour, day_of_month, month, day_of_week, year = fields
    if day_of_month != "?" and day_of_week != "?" and "*" not in (day_of_month, day_of_week):
        raise ScheduleError("day-of-month and day-of-week cannot both be set (one must be ?)")
    cron = " ".join(
        (minute, hour, _day_of_month(day_of_month), month, _day_of_week(day_of_week))
    )
    try:
        croniter(cron, _START)
    except (CroniterError, ValueError, KeyError) as exc:
        raise ScheduleError(f"not a valid cron expression ({exc})") from None
    # Enumerate long enough for the pattern to repeat: 8 years for calendar patterns (29 February),
    # two weeks for days of the week, two days otherwise.
    calendar = day_of_month not in ("*", "?") or month != "*" or any(c in day_of_week for c in "#L")
    weekly = day_of_week not in ("*", "?")
    period = 8 * 366 + 2 if calendar else (15 if weekly else 2)
    return Schedule(text, cron=cron, years=_years(year), period_days=period)


def largest_gap_minutes(expressions: Sequence[str]) -> float:
    """The longest time without a run when all ``expressions`` run together (math.inf when they stop
    firing). Raises :class:`ScheduleError` for an invalid expression."""
    schedules = [parse(expression) for expression in expressions]
    if not schedules:
        raise ScheduleError("no schedule")
    until = _START + dt.timedelta(days=max(schedule.period_days for schedule in schedules))
    previous: dt.datetime | None = None
    largest = 0.0
    runs = 0
    for moment in heapq.merge(*(schedule.runs(until) for schedule in schedules)):
        runs += 1
        if previous is not None:
            largest = max(largest, (moment - previous).total_seconds() / 60)
        previous = moment
    if runs < 2 or all(schedule.years is not None for schedule in schedules):
        return float("inf")  # the schedules stop (a year field), or hardly ever fire
    return largest


def _day_of_month(field: str) -> str:
    if field == "?":
        return "*"
    if field == "LW":
        raise ScheduleError("LW (last weekday of the month) is not supported here; use L or a day list")
    return field


def _day_of_week(field: str) -> str:
    if field in ("?", "*"):
        return "*"
    last = re.fullmatch(r"([1-7])L", field)
    if last:
        return f"L{int(last.group(1)) - 1}"
    nth = re.fullmatch(r"([1-7])#([1-5])", field)
    if nth:
        return f"{int(nth.group(1)) - 1}#{nth.group(2)}"
    return re.sub(r"\b([1-7])\b", lambda m: str(int(m.group(1)) - 1), field)


def _years(field: str) -> frozenset[int] | None:
    if field in ("*", "?"):
        return None
    years: set[int] = set()
    for part in field.split(","):
        bounds = part.split("-")
        if not all(b.isdigit() and len(b) == 4 for b in bounds) or len(bounds) > 2:
            raise ScheduleError(f"year field {field!r} is not a year, a list or a range of years")
        low, high = int(bounds[0]), int(bounds[-1])
        years.update(range(low, high + 1))
    return frozenset(years)
