"""SIGTERM/SIGINT during a drill: interrupt the step (so cleanup runs), then shield cleanup.

While armed, either signal raises :class:`DrillInterrupted` in the main thread; ``finally`` blocks
run and the cleanup stack removes what the drill made. While cleanup runs, further signals are
recorded and ignored (cleanup is bounded by its own timeout). SIGKILL cannot be caught: that is what
``dr cleanup`` is for.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

HANDLED = (signal.SIGTERM, signal.SIGINT)


class DrillInterrupted(BaseException):
    """Raised in the main thread when a handled signal arrives (BaseException: steps never swallow it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class SignalGuard:
    def __init__(self) -> None:
        self.shielded = False
        self.received: list[str] = []

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        self.received.append(signal.Signals(signum).name)
        if not self.shielded:
            raise DrillInterrupted(signum)

    def shield_for_good(self) -> None:
        """Record further signals instead of raising them (cleanup, then the report)."""
        self.shielded = True


@contextmanager
def guarded() -> Iterator[SignalGuard]:
    guard = SignalGuard()
    if threading.current_thread() is not threading.main_thread():
        yield guard  # signal handlers can only be installed from the main thread
        return
    previous: dict[signal.Signals, Any] = {}
    for signum in HANDLED:
        previous[signum] = signal.signal(signum, guard._handle)
    try:
        yield guard
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
