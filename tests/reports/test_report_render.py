"""``supportops report render`` (any bundle kind, any format, tampered bundles refused) and ``report
matrix`` (one control matrix over a compliance bundle and the runbooks' bundles), through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bundle_factories import (
    KINDS,
    access_review_apply_report,
    access_review_report,
    bundle,
    compliance_report,
    dr_drill_report,
    privacy_report,
)
from typer.testing import CliRunner, Result

from supportops.cli.app import create_app
from supportops.policies.frameworks import model
from supportops.reports.formats.json_report import to_json
from supportops.reports.reader import current_check_id, load_bundle


def _cli(*args: str | Path) -> Result:
    return CliRunner().invoke(create_app(), [str(a) for a in args])


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_bundle_kind_renders_in_every_format(kind: str, tmp_path: Path) -> None:
    report = KINDS[kind]()
    source = bundle(tmp_path, kind, report)
    out = tmp_path / "out"
    result = _cli("report", "render", source, "-f", "html,json,sarif,csv", "-o", out)
    assert result.exit_code == 0, result.output
    extensions = ("csv", "html", "json", "sarif.json")
    assert sorted(p.name for p in out.iterdir()) == [f"{kind}.{ext}" for ext in extensions]
    # the JSON read back through the loader is the report that was bundled, unchanged
    original = json.loads((source / "report.json").read_text(encoding="utf-8"))
    assert json.loads((out / f"{kind}.json").read_text(encoding="utf-8")) == original
    assert to_json(load_bundle(source).report) == original
    html = (out / f"{kind}.html").read_text(encoding="utf-8")
    assert report.title in html


def test_one_format_goes_to_stdout_or_the_file_named(tmp_path: Path) -> None:
    source = bundle(tmp_path, "dr", dr_drill_report())
    shown = _cli("report", "render", source, "-f", "json")
    assert shown.exit_code == 0 and json.loads(shown.stdout)["kind"] == "dr-drill"
    target = tmp_path / "drill.html"
    assert _cli("report", "render", source, "-o", target).exit_code == 0  # html by default
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_tampered_bundle_is_refused_with_one_line(tmp_path: Path) -> None:
    source = bundle(tmp_path, "review", access_review_report())
    report = source / "report.json"
    report.write_text(report.read_text(encoding="utf-8").replace('"FAIL"', '"PASS"'), encoding="utf-8")
    result = _cli("report", "render", source, "-f", "html", "-o", tmp_path / "x.html")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: {source}: the bundle does not match its manifest: report.json edited; refusing to render it "
        "(supportops evidence verify shows every difference)"
    ]
    assert not (tmp_path / "x.html").exists()
    matrix = _cli("report", "matrix", bundle(tmp_path, "dr", dr_drill_report()), source)
    assert matrix.exit_code == 2 and "report.json edited" in matrix.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("report", "render", "{missing}"), "not a directory (expected an evidence bundle)"),
        (("report", "render", "{dr}", "-f", "html,json"), "need --out DIR"),
        (("report", "render", "{dr}", "-f", "pdf"), "unknown format"),
        (("report", "matrix", "{dr}", "--framework", "sox"), "unknown framework"),
    ],
)
def test_bad_input_exits_2(args: tuple[str, ...], expected: str, tmp_path: Path) -> None:
    paths = {"missing": str(tmp_path / "nowhere"), "dr": str(bundle(tmp_path, "dr", dr_drill_report()))}
    result = _cli(*(a.format(**paths) for a in args))
    assert result.exit_code == 2
    assert expected in result.output and "Traceback" not in result.output


def _statuses(document: dict[str, object]) -> dict[str, str]:
    return {f"{f['id']}:{r['id']}": r["status"] for f in document["frameworks"] for r in f["requirements"]}  # type: ignore[index, union-attr]


def test_the_combined_matrix_turns_procedural_requirements_into_evidence(tmp_path: Path) -> None:
    comply = bundle(tmp_path, "compliance", compliance_report())
    runbooks = [
        bundle(tmp_path, "review", access_review_report()),
        bundle(tmp_path, "apply", access_review_apply_report()),
        bundle(tmp_path, "drill", dr_drill_report()),
        bundle(tmp_path, "erasure", privacy_report()),
    ]
    alone = _cli("report", "matrix", comply, "-f", "json")
    assert alone.exit_code == 0, alone.output
    before = _statuses(json.loads(alone.stdout))
    combined = _cli("report", "matrix", comply, *runbooks, "-f", "json", "-o", tmp_path / "matrix.json")
    assert combined.exit_code == 1  # PCI 8.4.2: a console user without MFA
    document = json.loads((tmp_path / "matrix.json").read_text(encoding="utf-8"))
    after = _statuses(document)
    evidenced = {key: after[key] for key in before if before[key] == "MANUAL" and after[key] != "MANUAL"}
    assert evidenced == {
        "pci-dss-4.0:7.2.4": "PASS",
        "pci-dss-4.0:7.2.5.1": "PASS",
        "pci-dss-4.0:8.2.1": "PASS",
        "pci-dss-4.0:8.2.2": "PASS",
        "pci-dss-4.0:8.2.6": "PASS",
        "pci-dss-4.0:8.3.9": "PASS",
        "pci-dss-4.0:8.4.2": "FAIL",
        "pci-dss-4.0:8.6.1": "PASS",
        "pci-dss-4.0:12.10.1": "PASS",
        "hipaa-164.312:164.312(a)(2)(i)": "PASS",
        "gdpr:art17": "PASS",
        "gdpr:art32-1-c": "PASS",
    }
    gdpr = next(f for f in document["frameworks"] if f["id"] == "gdpr")
    retention = next(r for r in gdpr["requirements"] if r["id"] == "art5-1-e")
    assert (retention["status"], retention["counts"]) == ("PASS", {"PASS": 1})  # the privacy retention check
    assert [b["kind"] for b in document["details"]["bundles"]] == [
        "compliance", "access-review", "access-review", "dr-drill", "privacy-erasure"]
    assert {i["role"] for i in document["inputs"]} >= {"evidence-bundle", "framework"}
    assert _cli("report", "matrix", comply, *runbooks, "--soft-fail", "-f", "json").exit_code == 0


def test_reports_filed_before_runbook_ids_were_qualified_still_count() -> None:
    assert current_check_id("dr.rto", "dr-drill") == "dr-drill:rto"
    assert current_check_id("iam_role_unused", "access-review") == "access-review:iam_role_unused"
    assert current_check_id("privacy_erasure_verified", "privacy") == "privacy:erasure_verified"
    assert current_check_id("dr-drill:rto", "dr-drill") == "dr-drill:rto"
    assert current_check_id("CKV_AWS_18", "checkov") == "CKV_AWS_18"


ACME = """
# A framework of our own: one file, checks from every source.
id: acme-sec
title: ACME security baseline
version: "2026"
requirements:
  - id: ENC-1
    title: Data at rest is encrypted with our keys
    automation: automated
    rules: [s3_bucket_cmk_encryption]
    checkov: [CKV_AWS_1*]
  - id: DR-1
    title: Restores are rehearsed within the RTO
    automation: partial
    runbookChecks: [dr-drill:rto, dr-drill:rpo]
    manualEvidence: The quarterly DR drill report.
  - id: GOV-1
    title: The board approves the security policy
    automation: manual
    manualEvidence: Board minutes.
"""


def test_adding_a_framework_is_one_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frameworks = tmp_path / "frameworks"
    frameworks.mkdir()
    (frameworks / "acme-sec.yaml").write_text(ACME, encoding="utf-8")
    monkeypatch.setattr(model, "FRAMEWORKS_DIR", frameworks)
    comply = bundle(tmp_path, "compliance", compliance_report())
    drill = bundle(tmp_path, "drill", dr_drill_report())
    result = _cli("report", "matrix", comply, drill, "-f", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    (acme,) = document["frameworks"]
    assert {r["id"]: (r["status"], r["counts"], r["checkIds"]) for r in acme["requirements"]} == {
        "ENC-1": ("PASS", {"PASS": 1, "WAIVED": 1}, ["s3_bucket_cmk_encryption", "CKV_AWS_18"]),
        "DR-1": ("PASS", {"PASS": 2}, ["dr-drill:rto", "dr-drill:rpo"]),
        "GOV-1": ("MANUAL", {}, []),
    }
    assert {"path": "acme-sec.yaml", "role": "framework"}.items() <= next(
        i for i in document["inputs"] if i["role"] == "framework").items()
    html = _cli("report", "matrix", comply, drill, "-f", "html")
    assert "ACME security baseline" in html.stdout and "Pass (waived)" in html.stdout
