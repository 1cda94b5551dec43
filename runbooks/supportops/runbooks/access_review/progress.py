"""Progress for people on a terminal (a rich bar on stderr); for a log without a terminal, one line
per phase through the caller's line writer (timestamped on stderr by the CLI)."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Protocol

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn


class Reporter(Protocol):
    def start(self, description: str, total: int | None = None) -> None: ...
    def advance(self, amount: int = 1) -> None: ...


class NoProgress:
    def start(self, description: str, total: int | None = None) -> None:
        return None

    def advance(self, amount: int = 1) -> None:
        return None

    def __enter__(self) -> NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class LineProgress(NoProgress):
    """One line per phase ("account 123...: IAM"), nothing per item: a runner's log stays short."""

    def __init__(self, write: Callable[[str], None]) -> None:
        self._write = write

    def start(self, description: str, total: int | None = None) -> None:
        self._write(description if total is None else f"{description} ({total})")


class BarProgress:
    """One line per phase ("account 123...: IAM", "Connect users ...") with a bar when the total is known."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._task: TaskID | None = None
        self._done = 0

    def _finish(self) -> None:
        if self._task is not None:
            self._progress.update(self._task, total=self._done, completed=self._done)

    def start(self, description: str, total: int | None = None) -> None:
        self._finish()
        self._done = 0
        self._task = self._progress.add_task(description, total=total)

    def advance(self, amount: int = 1) -> None:
        if self._task is not None:
            self._done += amount
            self._progress.advance(self._task, amount)

    def __enter__(self) -> BarProgress:
        self._progress.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._finish()
        self._progress.stop()


def progress_for(
    interactive: bool, console: Console, lines: Callable[[str], None] | None = None
) -> NoProgress | BarProgress:
    if interactive:
        return BarProgress(console)
    return LineProgress(lines) if lines is not None else NoProgress()
