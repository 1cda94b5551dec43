"""Report formats: each module renders a :class:`~supportops.reports.model.Report` to a file.

``write_report(report, fmt, path)`` is the one entry point commands use; ``WRITERS`` lists the
formats and ``EXTENSIONS`` the file name suffix each one gets in an evidence bundle.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from supportops.reports.formats import csv_report, html_report, json_report, junit, oscal, sarif
from supportops.reports.model import Report

Writer = Callable[[Report, Path], None]

WRITERS: dict[str, Writer] = {
    "json": json_report.write,
    "html": html_report.write,
    "sarif": sarif.write,
    "junit": junit.write,
    "csv": csv_report.write,
    "oscal": oscal.write,
}

EXTENSIONS: dict[str, str] = {
    "json": "json",
    "html": "html",
    "sarif": "sarif.json",
    "junit": "junit.xml",
    "csv": "csv",
    "oscal": "oscal.json",
}


def extension(fmt: str) -> str:
    """The file suffix for ``fmt`` ("report.<suffix>" in a bundle)."""
    return EXTENSIONS.get(fmt, fmt)


def write_report(report: Report, fmt: str, path: Path) -> None:
    try:
        writer = WRITERS[fmt]
    except KeyError:
        raise ValueError(f"unknown report format {fmt!r}; known: {', '.join(sorted(WRITERS))}") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    writer(report, path)
