"""Drill ids, drill resource names and tags.

A drill id is ``dr-<UTC yyyymmddHHMMSS>-<6 hex>``; every resource a drill creates is named
``<drill id>-<step name>`` (at most 63 characters: valid for DynamoDB, RDS and S3) and tagged with the
drill id, the step, the source it was restored from and the creation time. Names with that shape are
reserved for drills: ``dr cleanup`` removes them even when a crash came between creating and tagging.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta

TAG_DRILL = "supportops:dr-drill"
TAG_STEP = "supportops:dr-step"
TAG_SOURCE = "supportops:dr-source"
TAG_CREATED = "supportops:dr-created-at"
# On a Connect traffic distribution group during a failover drill: the distribution to restore.
TAG_TELEPHONY = "supportops:dr-telephony-original"

DRILL_ID_PATTERN = re.compile(r"^dr-(?P<stamp>\d{14})-(?P<token>[0-9a-f]{6})$")
DRILL_RESOURCE_PATTERN = re.compile(r"^(?P<drill>dr-(?P<stamp>\d{14})-[0-9a-f]{6})-(?P<step>[a-z0-9-]+)$")
_STAMP = "%Y%m%d%H%M%S"


def new_drill_id(now: datetime | None = None) -> str:
    moment = now or datetime.now(UTC)
    return f"dr-{moment.strftime(_STAMP)}-{secrets.token_hex(3)}"


def resource_name(drill_id: str, step_name: str) -> str:
    name = f"{drill_id}-{step_name}"
    if len(name) > 63:
        raise ValueError(f"drill resource name {name!r} is longer than 63 characters")
    return name


def drill_tags(drill_id: str, step_name: str, source: str, created: datetime | None = None) -> dict[str, str]:
    moment = created or datetime.now(UTC)
    return {
        TAG_DRILL: drill_id,
        TAG_STEP: step_name,
        TAG_SOURCE: source,
        TAG_CREATED: moment.isoformat(timespec="seconds"),
    }


def as_aws_tags(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in tags.items()]


def created_at_of(name_or_drill_id: str) -> datetime | None:
    """The drill's start time, from a drill id or a drill resource name; None for other names."""
    match = DRILL_ID_PATTERN.match(name_or_drill_id) or DRILL_RESOURCE_PATTERN.match(name_or_drill_id)
    if match is None:
        return None
    return datetime.strptime(match.group("stamp"), _STAMP).replace(tzinfo=UTC)


def is_drill_resource_name(name: str) -> bool:
    return DRILL_RESOURCE_PATTERN.match(name) is not None


_DURATION = re.compile(r"^(?P<value>\d+(\.\d+)?)(?P<unit>[smhd])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> timedelta:
    """``90s``, ``30m``, ``2h``, ``7d`` -> timedelta; ValueError otherwise."""
    match = _DURATION.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a duration like 30m, 2h or 7d")
    return timedelta(seconds=float(match.group("value")) * _UNITS[match.group("unit")])
