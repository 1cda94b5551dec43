"""Report formats: each module renders a :class:`~supportops.reports.model.Report` to a file.

``write_report(report, fmt, path)`` is the one entry point commands use.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from supportops.reports.formats import json_report
from supportops.reports.model import Report

Writer = Callable[[Report, Path], None]

WRITERS: dict[str, Writer] = {
    "json": json_report.write,
}


def write_report(report: Report, fmt: str, path: Path) -> None:
    try:
        writer = WRITERS[fmt]
    except KeyError:
        raise ValueError(f"unknown report format {fmt!r}; known: {', '.join(sorted(WRITERS))}") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    writer(report, path)
