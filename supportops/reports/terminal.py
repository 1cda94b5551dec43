"""Text for a terminal: data never carries control sequences to it.

State data can hold ESC sequences (``\\x1b]0;title\\x07``, ``\\x1b[2J``), other C0/C1 controls,
bidirectional overrides and lone surrogates. Shown as escapes (``\\x1b``) they are inert and still
tell the reader what was there; newlines and tabs stay (tables wrap on them).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Final

from supportops.errors import BadInput, InputProblem
from supportops.findings import Report
from supportops.inventory.secrets import map_text

# C0 but tab and newline, DEL, C1, bidi embeddings/overrides/isolates, lone surrogates.
_UNSAFE: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """``text`` with every control character (ESC included) and lone surrogate written as an escape."""
    return _UNSAFE.sub(_escape, text)


def terminal_report(report: Report) -> Report:
    """A copy of ``report`` whose every string is safe to print."""
    safe: Report = map_text(report, escape_controls)
    return safe


@contextlib.contextmanager
def safe_error_lines() -> Iterator[None]:
    """A :class:`~supportops.errors.BadInput` raised inside carries no control characters out (its
    lines name files and values from the data, and are printed on the terminal)."""
    try:
        yield
    except BadInput as exc:
        esc = escape_controls
        problems = [InputProblem(esc(p.source), esc(p.location), esc(p.problem)) for p in exc.problems]
        if problems == exc.problems:
            raise
        raise BadInput(problems) from None
