"""Compact text for CI logs: one line per failing check and resource, never cut.

    HIGH      stacks/supportops/stacks/phases/foundation.py:123  s3_bucket_cmk_encryption  audit-logs \
      (aws:s3/bucket:Bucket)  pci-dss-4.0:3.5.1,gdpr:art32  audit-logs is encrypted with ...   (one line)

Fields: severity (``ERROR`` for a check that could not be evaluated), where (``file:line`` of the
program statement that declared the resource, or the input file when the input has no source; ``-``
when nothing is known), check id, the resource's short name and type, the requirement ids (``-``
when unmapped), then the finding's message. Waived failures are left out (the summary line counts
them). Lines are ordered by severity, then location. The last line is the summary a CI job shows.
"""

from __future__ import annotations

from pathlib import Path

from supportops.atomic import write_text_atomic
from supportops.findings import Finding, Report, Status
from supportops.reports.terminal import escape_controls


def short_subject(finding: Finding) -> str:
    """``name (type)`` for a Pulumi URN, the subject itself otherwise."""
    subject = finding.subject
    parts = subject.split("::")
    if subject.startswith("urn:pulumi:") and len(parts) >= 4:
        type_token = finding.subject_type or parts[2].rsplit("$", 1)[-1]
        return f"{parts[-1]} ({type_token})"
    return subject


def listed(finding: Finding) -> bool:
    """What a compact report lists: an unwaived FAIL, or an ERROR."""
    return finding.failing or (finding.status is Status.ERROR and not finding.waived)


def lines(report: Report) -> list[str]:
    chosen = [f for f in report.findings if listed(f)]
    chosen.sort(key=lambda f: (
        f.status is not Status.FAIL,
        -f.severity.rank,
        f.location.file if f.location else "~",
        f.location.line if f.location else 0,
        f.check_id,
        f.subject,
    ))
    rows = []
    for finding in chosen:
        label = finding.severity.value.upper() if finding.status is Status.FAIL else "ERROR"
        where = finding.location.display() if finding.location else "-"
        requirements = ",".join(finding.requirements) or "-"
        message = " ".join(finding.message.split())  # one line, whatever the message held
        fields = (where, finding.check_id, short_subject(finding), requirements, message)
        rows.append(f"{label:<8}  " + "  ".join(fields))  # two spaces between fields
    counts = report.counts()
    rows.append(
        f"{report.title}: {counts['FAIL']} failing, {counts['ERROR']} not evaluated (ERROR), "
        f"{counts['WAIVED']} waived, {counts['PASS']} passed, {counts['NOT_APPLICABLE']} not applicable"
    )
    # Text from the inputs never drives a terminal (a CI log is often one).
    return [escape_controls(row) for row in rows]


def render(report: Report) -> str:
    return "\n".join(lines(report)) + "\n"


def write(report: Report, path: Path) -> None:
    write_text_atomic(path, render(report))
