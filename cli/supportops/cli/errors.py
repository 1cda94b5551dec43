"""Turn known errors into one readable line and an exit code; tracebacks only with --debug."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from rich.console import Console

from supportops.errors import SupportopsError

F = TypeVar("F", bound=Callable[..., Any])

_state = {"debug": False, "quiet": False}
_stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def set_debug(enabled: bool) -> None:
    _state["debug"] = enabled


def debug_enabled() -> bool:
    return _state["debug"]


def set_quiet(enabled: bool) -> None:
    _state["quiet"] = enabled


def quiet() -> bool:
    """``--quiet``: no progress lines on stderr when no terminal is attached (errors still show)."""
    return _state["quiet"]


def progress_line(message: str) -> None:
    """One timestamped progress line on stderr (for logs: no terminal attached), unless ``--quiet``."""
    if not _state["quiet"]:
        from supportops.progress import timestamped_lines

        timestamped_lines(sys.stderr, _printable)(message)


def report_error(exc: BaseException) -> int:
    """Print ``exc`` for a person and return the exit code the command should end with."""
    if isinstance(exc, BrokenPipeError):
        # The reader went away (`supportops ... | head`): stop quietly, as SIGPIPE would.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    if debug_enabled():
        _stderr.print_exception(show_locals=False)
    if isinstance(exc, SupportopsError):
        for line in str(exc).splitlines() or [type(exc).__name__]:
            _stderr.print(f"error: {_printable(line)}", markup=False)
        return exc.exit_code
    _stderr.print(f"error: {type(exc).__name__}: {_printable(str(exc))}", markup=False)
    if not debug_enabled():
        _stderr.print("(run with --debug for the traceback)", markup=False)
    return 3


def warn(message: str) -> None:
    _stderr.print(f"warning: {_printable(message)}", markup=False)


def _printable(text: str) -> str:
    """A line safe for the terminal: known secrets scrubbed, control characters and escape sequences
    from file names or data written as visible escapes."""
    from supportops.reports.redaction import redact_text  # only on the error path: keeps start-up fast
    from supportops.reports.terminal import escape_controls

    return escape_controls(redact_text(text))


def stderr_console() -> Console:
    return _stderr


def is_interactive() -> bool:
    return sys.stderr.isatty()
