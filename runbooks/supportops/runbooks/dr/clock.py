"""The drill's clocks and timeline.

Durations (RTO, waits, timeouts) come from ``time.monotonic_ns`` (never goes back, unaffected by NTP
steps); points in time compared with AWS timestamps (canary write times, latest restorable times,
recovery point ages) come from the wall clock, ``time.time_ns``. Every timeline event carries both.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

NS = 1_000_000_000


@dataclass(frozen=True, slots=True)
class Instant:
    mono_ns: int
    wall_ns: int

    @property
    def wall(self) -> datetime:
        return datetime.fromtimestamp(self.wall_ns / NS, tz=UTC)

    def seconds_until(self, later: Instant) -> float:
        return (later.mono_ns - self.mono_ns) / NS


def now() -> Instant:
    return Instant(time.monotonic_ns(), time.time_ns())


def clock_info() -> dict[str, Any]:
    info = {}
    for name in ("monotonic", "time"):
        clock = time.get_clock_info(name)
        info[name] = {
            "implementation": clock.implementation,
            "resolutionSeconds": clock.resolution,
            "monotonic": clock.monotonic,
            "adjustable": clock.adjustable,
        }
    return info


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Timeline:
    """What happened when, relative to the drill start (monotonic) and in UTC (wall)."""

    start: Instant = field(default_factory=now)
    events: list[dict[str, Any]] = field(default_factory=list)

    def record(self, step: str, event: str, **data: Any) -> Instant:
        moment = now()
        entry: dict[str, Any] = {
            "at": iso(moment.wall),
            "elapsedSeconds": round(self.start.seconds_until(moment), 6),
            "step": step,
            "event": event,
        }
        entry.update({key: value for key, value in data.items() if value is not None})
        self.events.append(entry)
        return moment
