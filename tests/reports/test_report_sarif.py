"""SARIF 2.1.0 output, validated against the official OASIS schema (vendored under schemas/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from report_factories import sample_report, synthetic_report

from supportops.findings import Report
from supportops.reports.formats import write_report

SCHEMA = Path(__file__).resolve().parent / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def _sarif(report: Report, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "report.sarif.json"
    write_report(report, "sarif", path)
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


@pytest.mark.parametrize("report", [sample_report(), synthetic_report(200)], ids=["sample", "synthetic"])
def test_valid_against_the_official_schema(report: Report, tmp_path: Path,
                                           validator: jsonschema.Draft4Validator) -> None:
    document = _sarif(report, tmp_path)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert document["version"] == "2.1.0"


def test_the_validator_catches_a_broken_document(tmp_path: Path,
                                                 validator: jsonschema.Draft4Validator) -> None:
    document = _sarif(sample_report(), tmp_path)
    document["runs"][0]["results"][0]["kind"] = "failed"  # not a SARIF result kind
    assert list(validator.iter_errors(document))


def test_results_map_statuses_severities_and_waivers(tmp_path: Path) -> None:
    run = _sarif(sample_report(), tmp_path)["runs"][0]
    results = {(r["ruleId"], r["kind"], r["level"]) for r in run["results"]}
    assert ("SO-S3-001", "fail", "error") in results
    assert ("SO-TLS-001", "pass", "none") in results
    assert ("DR-RTO-001", "review", "none") in results  # ERROR: could not evaluate, never pass/fail
    assert ("SO-KMS-002", "notApplicable", "none") in results
    assert ("AR-STALE-001", "fail", "error") in results
    (waived,) = [r for r in run["results"] if r.get("suppressions")]
    assert waived["ruleId"] == "CKV_AWS_18"
    assert waived["suppressions"][0]["status"] == "accepted"
    assert waived["suppressions"][0]["properties"]["owner"] == "alice@example.com"
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    s3 = next(r for r in run["results"] if r["ruleId"] == "SO-S3-001")
    assert s3["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].endswith("::recordings")
    assert s3["properties"]["evidence"][0]["observed"] == "AES256"


def test_problems_are_tool_notifications(tmp_path: Path) -> None:
    invocation = _sarif(sample_report(), tmp_path)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    messages = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    assert messages[0].startswith("checkov unavailable")
    clean = sample_report()
    clean.problems = []
    assert _sarif(clean, tmp_path)["runs"][0]["invocations"][0]["executionSuccessful"] is True
