"""Stop a program that stopped making progress, and say what it was waiting for.

Progress is a request reaching the mock engine (a registration, a data source, stack outputs). When
none arrives for ``seconds``, the watchdog (a thread) finds what is pending — a request the engine
is still answering, or a resource whose input never resolves — and cancels the program's tasks from
outside. A program stuck in its own code (a busy loop, a sleep) gets a KeyboardInterrupt in the
planning thread when that is the main thread; the CLI, which must never hang, exits the process as
a last resort.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from supportops.inventory.offline_plan.recorder import RecordingMonitor

DEFAULT_SECONDS = 30.0
_GRACE = 1.0  # how long a cooperative stop may take (milliseconds, normally) before harder measures


def _input_name(python_name: str, resource: Any) -> str:
    translate = getattr(resource, "translate_input_property", None)
    try:
        return str(translate(python_name)) if callable(translate) else python_name
    except Exception:  # a resource class with an odd translator: the Python name is fine too
        return python_name


def _coroutine_frames(task: asyncio.Task[Any]) -> list[FrameType]:
    """The frames of a suspended task, outermost first, following what each coroutine awaits
    (``Task.get_stack`` shows only the outermost one)."""
    frames: list[FrameType] = []
    current: Any = task.get_coro()
    while current is not None and len(frames) < 200:
        frame = getattr(current, "cr_frame", None) or getattr(current, "gi_frame", None)
        if frame is None:
            break
        frames.append(frame)
        current = getattr(current, "cr_await", None) or getattr(current, "gi_yieldfrom", None)
    return frames


def _waiting_input(task: asyncio.Task[Any]) -> str | None:
    """'<name> (<type>): input <key>' for a task suspended while serializing a resource's inputs."""
    frames = _coroutine_frames(task)
    key: str | None = None
    resource: Any = None
    type_token: str | None = None
    for frame in frames:
        code = frame.f_code.co_name
        if code == "serialize_properties" and key is None and "k" in frame.f_locals:
            key = str(frame.f_locals["k"])
            resource = frame.f_locals.get("resource_obj")
        if code == "prepare_resource":
            resource = frame.f_locals.get("res", resource)
            type_token = frame.f_locals.get("ty")
    if resource is None or key is None:
        return None
    name = getattr(resource, "_name", "?")
    return f"{name} ({type_token or type(resource).__name__}): input '{_input_name(key, resource)}'"


def diagnose(loop: asyncio.AbstractEventLoop, monitor: RecordingMonitor, seconds: float) -> str:
    head = f"the program made no progress for {seconds:g} s and was stopped"
    with monitor._lock:
        in_flight = sorted(monitor.in_flight.values())
    if in_flight:
        return f"{head}: the mock engine never finished answering {in_flight[0]}"
    waiting = sorted({w for t in asyncio.all_tasks(loop) if (w := _waiting_input(t)) is not None})
    if waiting:
        more = f" (and {len(waiting) - 1} more)" if len(waiting) > 1 else ""
        return (
            f"{head}: {waiting[0]} never resolves{more} — an Output awaiting something that never "
            f"happens (a future nobody sets, a value from a resource that is never created)"
        )
    return f"{head}: no resource was waiting on an input; the program's own code is blocked or looping"


def _cancel_all(loop: asyncio.AbstractEventLoop) -> None:
    for task in asyncio.all_tasks(loop):
        task.cancel()


class Watchdog:
    """Watches ``monitor.last_progress``; on a stall, records ``message`` and stops the program."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        monitor: RecordingMonitor,
        seconds: float,
        *,
        hard_exit: Callable[[str], None] | None = None,
    ) -> None:
        self.loop = loop
        self.monitor = monitor
        self.seconds = seconds
        self.hard_exit = hard_exit
        self.message: str | None = None
        self._done = threading.Event()
        self._runner = threading.current_thread()
        self._thread = threading.Thread(target=self._watch, name="plan-watchdog", daemon=True)

    def __enter__(self) -> Watchdog:
        self.monitor.last_progress = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    def _watch(self) -> None:
        tick = min(1.0, self.seconds / 4)
        while not self._done.wait(tick):
            if time.monotonic() - self.monitor.last_progress >= self.seconds:
                self._stop()
                return

    def _stop(self) -> None:
        try:
            self.message = diagnose(self.loop, self.monitor, self.seconds)
        except Exception:  # the tasks changed under us: the generic message still holds
            self.message = f"the program made no progress for {self.seconds:g} s and was stopped"
        # The SDK's executor threads run nested loops while they answer; an idle one needs no wake-up.
        for loop in [self.loop, *(each for each in self.monitor.thread_loops if each.is_running())]:
            if not loop.is_closed():
                loop.call_soon_threadsafe(_cancel_all, loop)
        if self._done.wait(_GRACE):
            return
        # Still running: the program's own code holds the thread. Interrupt it if we can.
        if (
            self._runner is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler
        ):
            signal.pthread_kill(self._runner.ident or 0, signal.SIGINT)
            if self._done.wait(_GRACE):
                return
        if self.hard_exit is not None:
            self.hard_exit(self.message)


def exit_process(message: str) -> None:
    """The CLI's last resort: one line, exit code 2, no interpreter shutdown (a stuck thread would
    keep it waiting)."""
    sys.stderr.write(f"error: {message}\n")
    sys.stderr.flush()
    os._exit(2)
