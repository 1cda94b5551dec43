"""Stage progress for multi-step commands (plan, then rules, then checkov ...): a rich progress bar on
a terminal; without one (a CI job, the runner in the account) one timestamped line per stage and per
milestone of a long wait on stderr, so stdout stays machine-readable and a log shows progress."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from supportops.cli.errors import is_interactive, progress_line, stderr_console
from supportops.progress import progress_sink

Stage = Callable[[str], None]


@contextmanager
def stage_progress(title: str, stages: int) -> Iterator[Stage]:
    """Yield ``stage(description)``: each call completes the previous stage and shows the next."""
    if not is_interactive():
        with progress_sink(lambda message: progress_line(f"{title}: {message}")):
            yield lambda description: progress_line(f"{title}: {description}")
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn  # a terminal only

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=stderr_console(),
        transient=True,
    ) as progress:
        task = progress.add_task(title, total=stages)
        started = False
        current = ""

        def stage(description: str) -> None:
            nonlocal started, current
            if started:
                progress.advance(task)
            started = True
            current = f"{title}: {description}"
            progress.update(task, description=current)

        def wait_milestone(message: str) -> None:
            progress.update(task, description=f"{current} ({message})")

        with progress_sink(wait_milestone):
            yield stage
        progress.update(task, completed=stages)
