"""JUnit XML and CSV outputs."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path

from report_factories import HOSTILE, sample_report

from supportops.reports.formats import csv_report, write_report


def test_junit_suites_cases_and_outcomes(tmp_path: Path) -> None:
    report = sample_report()
    report.findings[0].message = "bell\x07 in a message"  # XML 1.0 cannot carry it
    path = tmp_path / "report.junit.xml"
    write_report(report, "junit", path)
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites"
    totals = [root.get(name) for name in ("tests", "failures", "errors", "skipped")]
    assert totals == ["9", "3", "3", "2"]
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert suites["supportops.problems"].get("errors") == "2"
    s3_case = suites["SO-S3-001"].find("testcase")
    assert s3_case is not None
    failure = s3_case.find("failure")
    assert failure is not None and failure.get("type") == "high"
    assert "sseAlgorithm = AES256 (expected aws:kms)" in (failure.text or "")
    assert "\ufffd" in (failure.get("message") or "")
    waived = suites["CKV_AWS_18"].find("testcase/skipped")
    assert waived is not None and "alice@example.com" in (waived.get("message") or "")
    assert suites["DR-RTO-001"].find("testcase/error") is not None
    assert suites["SO-TLS-001"].find("testcase/failure") is None
    requirements = [p.get("value") for p in s3_case.iter("property") if p.get("name") == "requirement"]
    assert requirements == ["pci-dss-4.0:3.5.1", "gdpr:art32"]


def test_csv_rows_evidence_and_formula_guard(tmp_path: Path) -> None:
    report = sample_report()
    report.findings[1].message = "=HYPERLINK(\"http://evil\")"
    path = tmp_path / "report.csv"
    write_report(report, "csv", path)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(csv_report.COLUMNS)
    assert len(rows) == len(report.findings)
    s3 = rows[0]
    assert s3["status"] == "FAIL" and s3["severity"] == "high"
    assert "sseAlgorithm = AES256 (expected aws:kms)" in s3["evidence"]
    assert rows[1]["message"].startswith("'=")
    waived = next(r for r in rows if r["check_id"] == "CKV_AWS_18")
    assert (waived["display_status"], waived["waiver_owner"], waived["waiver_expires"]) == (
        "WAIVED", "alice@example.com", "2027-03-31")
    hostile = next(r for r in rows if r["check_id"] == "SO-HOSTILE")
    assert hostile["title"] == HOSTILE
    stale = next(r for r in rows if r["check_id"] == "AR-STALE-001")
    assert "mfa_active = false (expected true)" in stale["evidence"]
