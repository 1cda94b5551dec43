"""The HTML report in a real browser (headless Chromium): what a reader sees after the page's script
ran, a screenshot, and no console output at all (errors, CSP violations, uncaught exceptions).

Skipped with a reason when Chromium is missing, except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from bundle_factories import KINDS, bundle
from chromium_harness import MISSING, find_chromium, run_chromium
from report_factories import HOSTILE, sample_report, synthetic_report
from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.reports.formats import write_report


@pytest.fixture(scope="module")
def chromium() -> str:
    binary = find_chromium()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail(MISSING + " (required in CI)")
        pytest.skip(MISSING)
    return binary


@pytest.fixture(scope="module")
def sample_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    write_report(sample_report(), "html", path)
    return path


@pytest.fixture(scope="module")
def big_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "big.html"
    write_report(synthetic_report(10_000), "html", path)
    return path


def _text(html: str) -> str:
    """Visible-ish text: tags removed, entities for < > & decoded, whitespace collapsed."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    return " ".join(text.split())


def _section(dom: str, section_id: str) -> str:
    match = re.search(rf'<section id="{section_id}".*?</section>', dom, flags=re.S)
    assert match, f"no section {section_id}"
    return match.group(0)


def test_summary_and_control_matrix_are_visible(chromium: str, sample_html: Path, tmp_path: Path) -> None:
    run = run_chromium(chromium, sample_html.as_uri(), tmp_path, "--dump-dom")
    assert run.console == []
    summary = _text(_section(run.stdout, "summary"))
    assert "FAILED 3 failing findings not covered by a waiver" in summary
    for card in ("3 Fail", "1 Error", "1 Waived", "1 N/A", "1 Pass"):
        assert card in summary
    problems = _text(_section(run.stdout, "problems"))
    assert "2 problems: these results are incomplete" in problems
    assert "checkov unavailable" in problems
    matrix = _text(_section(run.stdout, "controls"))
    assert "PCI DSS pci-dss-4.0 · version 4.0" in matrix
    # check titles beside the ids, the failing ones marked; a pass that only waivers made is marked too
    assert ("3.5.1 PAN is rendered unreadable wherever it is stored automated Fail "
            "✗ SO-S3-001 S3 buckets encrypt data at rest with KMS Fail 1") in matrix
    assert ("3.6.1 Key management procedures protect cryptographic keys partial N/A "
            "SO-KMS-002 KMS keys") in matrix
    assert ("10.2.1 Audit logs are enabled and active automated Pass (waived) "
            "⚑ CKV_AWS_18 Ensure the S3 bucket has access logging enabled Waived 1") in matrix
    assert "12.10.1 An incident response plan exists and is ready manual Manual none: evidence" in matrix
    assert "3 automated · 2 partial · 1 manual" in matrix
    waivers = _text(_section(run.stdout, "waivers"))
    assert "W-002 SO-S3-009 * carol@example.com Superseded 2026-01-01 expired" in waivers


def test_findings_are_rendered_by_the_script_and_stay_inert(chromium: str, sample_html: Path,
                                                            tmp_path: Path) -> None:
    run = run_chromium(chromium, sample_html.as_uri(), tmp_path, "--dump-dom")
    findings = _section(run.stdout, "findings")
    assert findings.count('<tr class="finding">') == 7
    text = _text(findings)
    assert "Showing 1\u20137 of 7 · page 1 of 1" in text
    # failing first, highest severity first
    assert text.index("AR-STALE-001") < text.index("SO-S3-001") < text.index("DR-RTO-001") < text.index(
        "CKV_AWS_18") < text.index("SO-TLS-001")
    assert "sseAlgorithm = AES256 (expected aws:kms)" in text  # evidence: property path and observed value
    assert "mfa_active = false (expected true)" in text
    assert HOSTILE in text  # shown as text ...
    assert run.stdout.count("<script") == 2  # ... never as markup: only our data and code elements


def test_expanded_details_show_remediation_and_waiver(chromium: str, sample_html: Path,
                                                      tmp_path: Path) -> None:
    url = sample_html.as_uri() + "#expand=1&text=recordings"
    run = run_chromium(chromium, url, tmp_path, "--dump-dom")
    assert run.console == []
    text = _text(_section(run.stdout, "findings"))
    assert "Showing 1\u20132 of 2" in text
    assert "Remediation Use a customer-managed KMS key for the bucket." in text
    assert "Requirements pci-dss-4.0:3.5.1, gdpr:art32" in text
    assert "W-001: Legacy bucket, migrated in Q3 (owner alice@example.com, expires 2027-03-31)" in text
    assert "Property path Observed Expected" in text


def test_requirement_filter(chromium: str, sample_html: Path, tmp_path: Path) -> None:
    """The control matrix links each requirement to ``#req=...``: only its findings are listed."""
    run = run_chromium(chromium, sample_html.as_uri() + "#req=gdpr:art32", tmp_path, "--dump-dom")
    assert run.console == []
    findings = _section(run.stdout, "findings")
    assert findings.count('<tr class="finding">') == 1
    assert "SO-S3-001" in _text(findings)
    assert 'data-req="gdpr:art32"' in _section(run.stdout, "controls")


def test_hash_state_filters_and_pages_10000_findings(chromium: str, big_html: Path, tmp_path: Path) -> None:
    expected = sum(f.status.value == "ERROR" and f.source == "access-review"
                   for f in synthetic_report(10_000).findings)
    run = run_chromium(chromium, big_html.as_uri() + "#status=ERROR&source=access-review&page=2", tmp_path,
                       "--dump-dom")
    assert run.console == []
    findings = _section(run.stdout, "findings")
    rows = re.findall(r'<tr class="finding">.*?</tr>', findings, flags=re.S)
    assert len(rows) == 50
    assert all('class="badge b-error"' in row and "access-review" in row for row in rows)
    pages = -(-expected // 50)
    assert f"Showing 51\u2013100 of {expected} · page 2 of {pages}" in _text(findings)


def test_screenshot(chromium: str, sample_html: Path, big_html: Path, tmp_path: Path) -> None:
    for page in (sample_html, big_html):
        shot = tmp_path / f"{page.stem}.png"
        run = run_chromium(chromium, page.as_uri(), tmp_path, f"--screenshot={shot}",
                           "--window-size=1280,2400", "--hide-scrollbars")
        assert run.console == []
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(data) > 50_000  # a rendered page, not a blank one
        keep = os.environ.get("SUPPORTOPS_SCREENSHOT_DIR")
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(shot, Path(keep) / shot.name)


def test_console_errors_are_detected(chromium: str, tmp_path: Path) -> None:
    """The check above would catch a broken page: console output and uncaught errors show up."""
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html><body><script>console.error("boom"); missing();</script>'
                    '<img src="https://example.invalid/x.png"></body></html>', encoding="utf-8")
    run = run_chromium(chromium, page.as_uri(), tmp_path, "--dump-dom")
    assert any('"boom"' in line for line in run.console)
    assert any("missing is not defined" in line for line in run.console)


# What the banner of each bundle kind says (bundle_factories builds them), and what else must show.
BANNERS = {
    "compliance": "NO AUTOMATED FAILURE No automated failure; {manual} requirements need manual evidence",
    "access-review": "FAILED 1 failing finding not covered by a waiver",
    "dr-drill": "PASSED No failing finding",
    "privacy": "PASSED No failing finding",
    "drift": "FAILED 1 failing finding not covered by a waiver",
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_bundle_kind_renders_honestly(kind: str, chromium: str, tmp_path: Path) -> None:
    report = KINDS[kind]()
    manual = sum(r.status.value == "MANUAL" for f in report.frameworks for r in f.requirements)
    page = tmp_path / "page.html"
    rendered = CliRunner().invoke(create_app(), ["report", "render", str(bundle(tmp_path, kind, report)),
                                                 "-o", str(page)])
    assert rendered.exit_code == 0, rendered.output
    run = run_chromium(chromium, page.as_uri() + "#expand=1", tmp_path, "--dump-dom")
    assert run.console == []
    summary = _text(_section(run.stdout, "summary"))
    assert BANNERS[kind].format(manual=manual) in summary
    assert "PASSED" not in summary or manual == 0
    findings = _section(run.stdout, "findings")
    assert findings.count('<tr class="finding">') == len(report.findings)
    for finding in report.findings:
        assert finding.title in _text(findings)
    if kind == "compliance":
        assert manual > 20
        matrix = _text(_section(run.stdout, "controls"))
        assert ("10.2.1 Audit logs are enabled and active for all system components and cardholder data "
                "automated Pass (waived) ⚑ CKV_AWS_18 Ensure the S3 bucket has access logging enabled "
                "CKV_AWS_67 Ensure CloudTrail is enabled in all Regions") in matrix
        assert "Requirements by status" in summary
        assert 'class="badge b-waived">Waived<' in findings  # the finding itself shows it is waived
        # short resource names, the URN on hover
        assert '<div class="mono" title="urn:pulumi:demo-foundation::supportops::aws:kms/key:Key::data">' \
            'kms.Key data</div>' in findings
        inputs = _text(_section(run.stdout, "inputs"))
        assert "Tools: supportops 0.1.0 checkov 3.2.999" in inputs
    if kind == "access-review":
        assert "Top failing checks" in summary
        assert "access-review:iam_console_user_without_mfa" in summary
        matrix = _text(_section(run.stdout, "controls"))
        assert ("8.4.2 MFA is implemented for all access into the CDE partial Fail "
                "✗ access-review:iam_console_user_without_mfa Console user without MFA Fail 1") in matrix
