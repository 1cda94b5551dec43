"""EventBridge Scheduler expressions: ``cron(...)`` (AWS's six fields), ``rate(...)`` and one-off
``at(...)``; validated with the same AWS-cron reading as the backup rules and enumerated with croniter.

Scheduler evaluates cron in the schedule's time zone; ``next_fire_times`` does the same (naive wall
time in ``time_zone``, returned as aware datetimes)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from croniter import croniter

from supportops.policies.backup_schedules import Schedule, ScheduleError, parse

_AT = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")


class ScheduleProblem(ValueError):
    """An expression EventBridge Scheduler would refuse, or one that never fires."""


@dataclass(frozen=True)
class ParsedSchedule:
    expression: str
    recurring: Schedule | None = None
    once: dt.datetime | None = None


def parse_schedule(expression: str) -> ParsedSchedule:
    text = expression.strip()
    if text != expression:
        raise ScheduleProblem("schedule expression has surrounding spaces")
    once = _AT.match(text)
    if once:
        try:
            return ParsedSchedule(text, once=dt.datetime.fromisoformat(once.group(1)))
        except ValueError:
            raise ScheduleProblem(f"at(...) is not a valid date and time: {once.group(1)}") from None
    try:
        return ParsedSchedule(text, recurring=parse(text))
    except ScheduleError as exc:
        raise ScheduleProblem(
            str(exc).replace("(cron(...) or rate(...))", "(cron(...), rate(...) or at(...))")
        ) from None


def next_fire_times(
    expression: str, after: dt.datetime, count: int, time_zone: str = "UTC"
) -> list[dt.datetime]:
    """The next ``count`` runs strictly after ``after`` (aware), as Scheduler would start them.

    A rate schedule runs from its creation: ``after`` is taken as the creation time."""
    zone = ZoneInfo(time_zone)
    parsed = parse_schedule(expression)
    local = after.astimezone(zone).replace(tzinfo=None)
    if parsed.once is not None:
        return [parsed.once.replace(tzinfo=zone)] if parsed.once > local and count else []
    schedule = parsed.recurring
    assert schedule is not None
    runs: list[dt.datetime] = []
    if schedule.every_minutes is not None:
        step = dt.timedelta(minutes=schedule.every_minutes)
        return [(local + step * (i + 1)).replace(tzinfo=zone) for i in range(count)]
    assert schedule.cron is not None
    iterator = croniter(schedule.cron, local)
    # A year list ends the schedule: stop looking after the last listed year.
    last_year = max(schedule.years) if schedule.years else None
    while len(runs) < count:
        moment = iterator.get_next(dt.datetime)
        if last_year is not None and moment.year > last_year:
            break
        if schedule.years is None or moment.year in schedule.years:
            runs.append(moment.replace(tzinfo=zone))
    return runs
