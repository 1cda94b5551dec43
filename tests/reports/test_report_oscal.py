"""OSCAL assessment results, validated with compliance-trestle's OSCAL models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from report_factories import sample_report, synthetic_report
from trestle.oscal.assessment_results import AssessmentResults

from supportops.findings import Report
from supportops.reports.formats import oscal, write_report


def _oscal(report: Report, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "report.oscal.json"
    write_report(report, "oscal", path)
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


@pytest.mark.parametrize("report", [sample_report(), synthetic_report(200)], ids=["sample", "synthetic"])
def test_valid_assessment_results(report: Report, tmp_path: Path) -> None:
    document = _oscal(report, tmp_path)
    model = AssessmentResults.model_validate(document["assessment-results"])
    assert document["assessment-results"]["metadata"]["oscal-version"] == oscal.OSCAL_VERSION
    (result,) = model.results
    assert len(result.observations or []) == len(report.findings)


def test_the_models_catch_a_broken_document(tmp_path: Path) -> None:
    document = _oscal(sample_report(), tmp_path)["assessment-results"]
    document["results"][0]["findings"][0]["target"]["status"] = {"state": "mostly-fine"}
    with pytest.raises(ValidationError):
        AssessmentResults.model_validate(document)


def test_requirements_become_findings_with_objective_status(tmp_path: Path) -> None:
    result = _oscal(sample_report(), tmp_path)["assessment-results"]["results"][0]
    targets = {f["target"]["target-id"]: f["target"] for f in result["findings"]}
    assert targets["pci-dss-4.0_3.5.1"]["status"]["state"] == "not-satisfied"
    assert targets["pci-dss-4.0_4.2.1"]["status"]["state"] == "satisfied"
    assert "status" not in targets["pci-dss-4.0_12.10.1"]  # manual: no automated verdict
    assert "manual evidence" in targets["pci-dss-4.0_12.10.1"]["remarks"].lower()
    controls = result["reviewed-controls"]["control-selections"][0]["include-controls"]
    assert {"control-id": "gdpr_art17"} in controls
    observations = {o["uuid"]: o for o in result["observations"]}
    failing = next(f for f in result["findings"] if f["target"]["target-id"] == "pci-dss-4.0_3.5.1")
    (related,) = failing["related-observations"]
    evidence = observations[related["observation-uuid"]]["relevant-evidence"][0]["description"]
    assert "sseAlgorithm = AES256 (expected aws:kms)" in evidence
    assert "checkov unavailable" in result["remarks"]


def test_same_report_same_document(tmp_path: Path) -> None:
    assert oscal.to_oscal(sample_report()) == oscal.to_oscal(sample_report())


def test_inputs_are_hashed_back_matter(tmp_path: Path) -> None:
    resources = _oscal(sample_report(), tmp_path)["assessment-results"]["back-matter"]["resources"]
    (config,) = [r for r in resources if r.get("title") == "Pulumi.demo-foundation.yaml"]
    assert config["rlinks"][0]["hashes"][0] == {"algorithm": "SHA-256", "value": "ab" * 32}


def test_control_ids_are_tokens() -> None:
    assert oscal.control_id("pci-dss-4.0", "3.5.1") == "pci-dss-4.0_3.5.1"
    assert oscal.control_id("4eyes", "a b") == "_4eyes_a_b"


@pytest.mark.parametrize("generated_at", ["2026-11-23T18:00:00", "2026-11-23T19:00:00+01:00", "yesterday"])
def test_timestamps_always_carry_a_zone(generated_at: str, tmp_path: Path) -> None:
    report = sample_report()
    report.generated_at = generated_at
    document = _oscal(report, tmp_path)["assessment-results"]
    AssessmentResults.model_validate(document)
    if generated_at != "yesterday":
        assert document["results"][0]["start"] == "2026-11-23T18:00:00Z"
