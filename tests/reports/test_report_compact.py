"""The compact format for CI logs: one line per failing check and resource, never cut."""

from __future__ import annotations

from pathlib import Path

from report_factories import sample_report

from supportops.locations import INPUT, SourceLocation
from supportops.reports.formats import write_report
from supportops.reports.formats.compact import render


def test_one_line_per_unwaived_failure_and_error_then_the_summary(tmp_path: Path) -> None:
    report = sample_report()
    report.findings[0].location = SourceLocation("stacks/app.py", 12)
    report.findings[3].location = SourceLocation("state.json", 40, kind=INPUT)
    path = tmp_path / "report.compact.txt"
    write_report(report, "compact", path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [line.split("  ")[0].strip() for line in lines[:-1]] == ["CRITICAL", "HIGH", "INFO", "ERROR"]
    assert lines[0].startswith("CRITICAL  state.json:40  AR-STALE-001  arn:aws:iam::123456789012:user/bob  ")
    assert "pci-dss-4.0:8.2.6  password last used 212 days ago" in lines[0]
    assert lines[1] == (
        "HIGH      stacks/app.py:12  SO-S3-001  recordings (aws:s3/bucket:Bucket)  "
        "pci-dss-4.0:3.5.1,gdpr:art32  default encryption is AES256, not aws:kms"
    )
    # No location, no requirement: "-".
    assert lines[3].startswith("ERROR     -  DR-RTO-001  restore-dynamodb-tickets  -  ")
    assert not any("CKV_AWS_18" in line for line in lines)  # waived: counted, not listed
    assert lines[-1] == (
        "Compliance report: 3 failing, 1 not evaluated (ERROR), 1 waived, 1 passed, 1 not applicable"
    )


def test_nothing_from_the_data_can_drive_the_terminal() -> None:
    text = render(sample_report())
    assert "\x1b" not in text and "\u202e" not in text
    assert all(len(line.splitlines()) == 1 for line in text.splitlines())
