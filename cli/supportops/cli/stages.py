"""Stage progress for multi-step commands (plan, then rules, then checkov ...): a rich progress bar on
a terminal, nothing at all otherwise (output stays machine-readable)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from supportops.cli.errors import is_interactive, stderr_console

Stage = Callable[[str], None]


@contextmanager
def stage_progress(title: str, stages: int) -> Iterator[Stage]:
    """Yield ``stage(description)``: each call completes the previous stage and shows the next."""
    if not is_interactive():
        yield lambda _description: None
        return
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

        def stage(description: str) -> None:
            nonlocal started
            if started:
                progress.advance(task)
            started = True
            progress.update(task, description=f"{title}: {description}")

        yield stage
        progress.update(task, completed=stages)
