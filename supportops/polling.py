"""Bounded polling: every wait (a DR restore, a lake query) ends by a deadline, never a default waiter."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from supportops.progress import WaitMilestones

T = TypeVar("T")


class WaitTimedOut(Exception):
    """The condition did not hold before the deadline; carries the last observed value."""

    def __init__(self, what: str, waited_seconds: float, last: object) -> None:
        super().__init__(f"{what}: not reached after {waited_seconds:.1f} s (last seen: {last})")
        self.what = what
        self.waited_seconds = waited_seconds
        self.last = last


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        return max(0.0, self._end - time.monotonic())

    def expired(self) -> bool:
        return self.remaining() <= 0.0

    def sooner(self, seconds: float) -> Deadline:
        """A deadline ``seconds`` from now, never past this one."""
        return Deadline(min(seconds, self.remaining()))


def poll_until(
    what: str,
    observe: Callable[[], T],
    done: Callable[[T], bool],
    deadline: Deadline,
    interval: float,
    *,
    max_interval: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Call ``observe`` until ``done(value)``; first call immediately, then every ``interval`` seconds;
    raise :class:`WaitTimedOut` at the deadline. Waits that measure something (RTO, lag) poll at a fixed
    interval, which is their resolution; cleanup waits may grow it by half up to ``max_interval``."""
    started = time.monotonic()
    delay = interval
    ceiling = max_interval if max_interval is not None else interval
    milestones = WaitMilestones(what)  # lines in a runner's log while a long wait goes on
    while True:
        value = observe()
        if done(value):
            milestones.finished(time.monotonic() - started)
            return value
        remaining = deadline.remaining()
        if remaining <= 0:
            raise WaitTimedOut(what, time.monotonic() - started, value)
        milestones.waited(time.monotonic() - started)
        sleep(min(delay, remaining))
        delay = min(delay * 1.5, ceiling)
