"""Progress while a run goes on, wherever it was started.

A person at a terminal gets a rich bar (the CLI draws it). A runner in the account has no terminal:
its log gets one timestamped line per stage and per milestone of a long wait, on stderr, so stdout
stays machine-readable and a two-hour drill shows it is alive. Code deep in a run (a polling loop in a
DR step) reports with :func:`milestone`; whoever started the run decides where that goes with
:func:`progress_sink`, and nothing is written when no sink is set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TextIO

Sink = Callable[[str], None]

_sink: ContextVar[Sink | None] = ContextVar("supportops_progress_sink", default=None)

# A wait reports when it starts, after this many seconds, and then at this interval: a runner's log
# shows a stuck restore within a minute without a line per poll.
FIRST_WAIT_MILESTONE_SECONDS = 30.0
WAIT_MILESTONE_INTERVAL_SECONDS = 60.0


@contextmanager
def progress_sink(sink: Sink | None) -> Iterator[None]:
    """Send every :func:`milestone` reported inside this block to ``sink`` (``None``: nowhere)."""
    token = _sink.set(sink)
    try:
        yield
    finally:
        _sink.reset(token)


def milestone(message: str) -> None:
    """Report a milestone of the current run to whoever listens (no-op when nobody does)."""
    sink = _sink.get()
    if sink is not None:
        sink(message)


def timestamped_lines(stream: TextIO, clean: Callable[[str], str] = lambda text: text) -> Sink:
    """A sink writing ``2026-12-01T02:40:00Z message`` lines, flushed at once (a pipe buffers)."""

    def write(message: str) -> None:
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        stream.write(f"{stamp} {clean(message)}\n")
        stream.flush()

    return write


class WaitMilestones:
    """When a wait of ``what`` is worth a line: at its start, after 30 s, then every minute."""

    def __init__(self, what: str) -> None:
        self._what = what
        self._next_at: float | None = None  # seconds waited at which the next line is due
        self.reported = False

    def waited(self, seconds: float) -> None:
        if self._next_at is None:
            milestone(f"waiting for {self._what}")
            self.reported = True
            self._next_at = FIRST_WAIT_MILESTONE_SECONDS
        elif seconds >= self._next_at:
            milestone(f"still waiting for {self._what} ({seconds:.0f} s)")
            self._next_at = seconds + WAIT_MILESTONE_INTERVAL_SECONDS

    def finished(self, seconds: float) -> None:
        if self.reported:
            milestone(f"{self._what}: reached after {seconds:.1f} s")
