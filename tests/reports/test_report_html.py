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


def _manual_only_report() -> Report:
    report = sample_report()
    report.findings = [f for f in report.findings if f.status.value in ("PASS", "NOT_APPLICABLE") or f.waived]
    report.problems = []
    return report


def test_the_banner_never_says_passed_while_requirements_need_manual_evidence() -> None:
    view = html_view.build_view(_manual_only_report())
    assert (view.verdict, view.verdict_words[view.verdict], view.verdict_text) == (
        "manual", "NO AUTOMATED FAILURE", "No automated failure; 2 requirements need manual evidence")
    report = _manual_only_report()
    report.frameworks = []
    view = html_view.build_view(report)
    assert (view.verdict_words[view.verdict], view.verdict_text) == (
        "PASSED", "No failing finding (1 waived)")


def test_a_requirement_passing_only_by_waivers_is_marked_waived() -> None:
    view = html_view.build_view(sample_report())
    pci = view.frameworks[0]
    shown = {r.result.requirement_id: (r.key, r.label) for r in pci.requirements}
    assert shown["10.2.1"] == ("PASS_WAIVED", "Pass (waived)")
    assert shown["4.2.1"] == ("PASS", "Pass")
    assert pci.counts["PASS_WAIVED"] == 1 and pci.counts["PASS"] == 1


def test_checks_carry_titles_and_the_failing_ones_come_first() -> None:
    view = html_view.build_view(sample_report())
    pci = {r.result.requirement_id: r for r in view.frameworks[0].requirements}
    (cell,) = pci["3.5.1"].checks
    assert (cell.check_id, cell.title, cell.status, cell.failing) == (
        "SO-S3-001", "S3 buckets encrypt data at rest with KMS", "FAIL", True)
    assert [c.failing for c in pci["3.6.1"].checks] == [False]
    assert pci["12.10.1"].checks == []


def test_resources_are_named_by_type_and_name() -> None:
    assert html_view.short_subject(
        "urn:pulumi:demo-foundation::supportops::supportops:security:SecureBucket$aws:s3/bucket:Bucket::recordings"
    ) == "s3.Bucket recordings"
    assert html_view.short_subject("urn:pulumi:s::p::supportops:security:SecureBucket::calls") == (
        "security.SecureBucket calls")
    assert html_view.short_subject("arn:aws:iam::123456789012:user/bob") == "user/bob"
    assert html_view.short_subject("store:customer-context") == "store:customer-context"
    data = json.loads(html_view.findings_json(sample_report()))
    bucket = next(row for row in data["findings"] if row[2].endswith("::recordings"))
    assert bucket[8] == "s3.Bucket recordings"


def test_summary_charts_and_tools(tmp_path: Path) -> None:
    report = sample_report()
    report.details["checkovVersion"] = "3.2.500"
    html = _html(report, tmp_path)
    assert 'id="requirements-chart"' in html and "<title>Requirements by status</title>" in html
    assert 'id="top-failing"' in html and "<title>SO-S3-001: 1</title>" in html
    assert '<span class="chip">checkov 3.2.500</span>' in html
