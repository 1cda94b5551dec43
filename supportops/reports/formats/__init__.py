"""Report formats: each module renders a :class:`~supportops.findings.Report` to a file.

``write_report(report, fmt, path)`` is the one entry point commands use; ``WRITERS`` lists the
formats and ``EXTENSIONS`` the file name suffix each one gets in an evidence bundle.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from supportops.reports.redaction import redact_report

if TYPE_CHECKING:
    from supportops.findings import Report

Writer = Callable[["Report", Path], None]

# Format -> the module (in this package) whose ``write`` renders it. Imported on first use, so that
# listing formats (``supportops --help``) does not load jinja2 and the XML libraries.
WRITERS: dict[str, str] = {
    "json": "json_report",
    "html": "html_report",
    "sarif": "sarif",
    "junit": "junit",
    "csv": "csv_report",
    "oscal": "oscal",
    "compact": "compact",
    "asff": "asff",
}

EXTENSIONS: dict[str, str] = {
    "json": "json",
    "html": "html",
    "sarif": "sarif.json",
    "junit": "junit.xml",
    "csv": "csv",
    "oscal": "oscal.json",
    "compact": "compact.txt",
    "asff": "asff.json",
}


def extension(fmt: str) -> str:
    """The file suffix for ``fmt`` ("report.<suffix>" in a bundle)."""
    return EXTENSIONS.get(fmt, fmt)


def writer(fmt: str) -> Writer:
    """The ``write(report, path)`` function of ``fmt``."""
    try:
        module = WRITERS[fmt]
    except KeyError:
        raise ValueError(f"unknown report format {fmt!r}; known: {', '.join(sorted(WRITERS))}") from None
    write: Writer = importlib.import_module(f"{__name__}.{module}").write
    return write


def write_report(report: Report, fmt: str, path: Path) -> None:
    """Write ``report`` as ``fmt`` to ``path`` atomically, without any secret (see
    :mod:`supportops.reports.redaction`): a failure leaves the previous file as it was."""
    write = writer(fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    write(redact_report(report), path)
