"""CSV: one row per finding, for spreadsheets. Written as a stream.

Evidence is flattened to ``path = observed (expected ...)`` lines in one cell. Cells that a
spreadsheet would run as a formula (starting with = + - @ or a tab/CR) get a leading apostrophe.
"""

from __future__ import annotations

import csv
from pathlib import Path

from supportops.atomic import atomic_text
from supportops.findings import Finding, Report
from supportops.reports.formats.common import display_status, render_value

COLUMNS = (
    "check_id", "title", "status", "display_status", "severity", "source", "category", "subject",
    "subject_type", "message", "evidence", "remediation", "requirements", "waiver_id", "waiver_owner",
    "waiver_expires", "waiver_justification",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write(report: Report, path: Path) -> None:
    with atomic_text(path, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for finding in report.findings:
            writer.writerow([_safe(cell) for cell in row(finding)])


def row(finding: Finding) -> list[str]:
    waiver = finding.waiver
    evidence = "\n".join(
        f"{e.path} = {render_value(e.observed)}" + (f" (expected {e.expected})" if e.expected else "")
        for e in finding.evidence
    )
    return [
        finding.check_id, finding.title, finding.status.value, display_status(finding),
        finding.severity.value, finding.source, finding.category, finding.subject, finding.subject_type,
        finding.message, evidence, finding.remediation, ";".join(finding.requirements),
        waiver.waiver_id if waiver else "", waiver.owner if waiver else "", waiver.expires if waiver else "",
        waiver.justification if waiver else "",
    ]


def _safe(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) else cell
