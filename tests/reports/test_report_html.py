"""The HTML report as a file: self-contained, escaped, compact data (the browser tests look at it)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from report_factories import HOSTILE, sample_report, synthetic_report

from supportops.findings import Evidence, Report
from supportops.reports.formats import html_view, write_report


def _html(report: Report, tmp_path: Path) -> str:
    path = tmp_path / "report.html"
    write_report(report, "html", path)
    return path.read_text(encoding="utf-8")


def test_one_self_contained_file(tmp_path: Path) -> None:
    html = _html(sample_report(), tmp_path)
    assert not re.search(r"<(link|iframe|object|embed|img)\b", html)
    assert not re.search(r"""\b(src|href|action)\s*=\s*["']?\s*(https?:|//|file:)""", html, flags=re.I)
    assert not re.search(r"url\(|@import", html)  # no CSS fetches
    assert "default-src 'none'" in html  # and the page may not fetch anything anyway
    assert html.count("<script") == 2 and html.count("<style") == 1


def test_untrusted_text_is_escaped(tmp_path: Path) -> None:
    report = sample_report()
    report.problems.append(HOSTILE)
    report.details["note"] = HOSTILE
    html = _html(report, tmp_path)
    assert HOSTILE not in html
    assert "&lt;script&gt;alert" in html  # in the server-rendered parts, as text
    data = re.search(r'<script type="application/json" id="findings-data">(.*?)</script>', html, flags=re.S)
    assert data is not None
    assert "<" not in data.group(1)
    findings = json.loads(data.group(1))["findings"]
    assert any(row[4] == HOSTILE for row in findings)


def test_a_report_without_findings_frameworks_or_waivers(tmp_path: Path) -> None:
    report = Report(kind="dr-drill", title="DR drill", subject="runbook.yaml",
                    generated_at="2026-11-23T00:00:00Z", tool_version="0.1.0")
    html = _html(report, tmp_path)
    assert "PASSED" in html and "No failing finding" in html
    assert 'id="controls"' not in html
    assert "No waivers were in force for this run." in html


def test_findings_data_deduplicates_check_metadata() -> None:
    report = synthetic_report(1_000)
    data = json.loads(html_view.findings_json(report))
    assert len(data["findings"]) == 1_000
    assert len(data["checks"]) == 120  # remediation, title ... stored once per check
    statuses = [row[1] for row in data["findings"]]
    assert statuses == sorted(statuses, key=["FAIL", "ERROR", "WAIVED", "NOT_APPLICABLE", "PASS"].index)


def test_long_observed_values_are_cut_in_html_only(tmp_path: Path) -> None:
    report = sample_report()
    report.findings[0].evidence[0] = Evidence("policy", "x" * 5_000)
    data = json.loads(html_view.findings_json(report))
    (row,) = [r for r in data["findings"] if r[5] and r[5][0][0] == "policy"]
    observed = row[5][0][1]
    assert len(observed) < 2_100 and observed.endswith("more characters in the JSON report)")
