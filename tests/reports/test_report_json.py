"""The JSON report: streamed, equal to the in-memory document, valid against the published schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from report_factories import sample_report, synthetic_report

from supportops.findings import Report
from supportops.reports.formats import json_report, write_report

SCHEMA = Path(json_report.__file__).resolve().parent.parent / "schemas" / "report-v1.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("report", [sample_report(), synthetic_report(50)], ids=["sample", "synthetic"])
def test_streamed_file_equals_the_document_and_matches_the_schema(
    report: Report, tmp_path: Path, validator: jsonschema.Draft202012Validator
) -> None:
    path = tmp_path / "report.json"
    write_report(report, "json", path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document == json.loads(json.dumps(json_report.to_json(report), default=str))
    validator.validate(document)
    assert document["schema"] == "supportops.report/v1"
    assert len(document["findings"]) == len(report.findings)


def test_summary_waived_and_failed(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    write_report(sample_report(), "json", path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["summary"] == {"PASS": 1, "FAIL": 3, "ERROR": 1, "NOT_APPLICABLE": 1, "WAIVED": 1}
    assert document["failed"] is True
    waived = [f for f in document["findings"] if f["waiver"]]
    assert [(f["checkId"], f["waiver"]["owner"], f["waiver"]["expires"]) for f in waived] == [
        ("CKV_AWS_18", "alice@example.com", "2027-03-31")]
    assert document["problems"][0].startswith("checkov unavailable")


def test_empty_report_is_valid(tmp_path: Path, validator: jsonschema.Draft202012Validator) -> None:
    report = sample_report()
    report.findings = []
    path = tmp_path / "r.json"
    write_report(report, "json", path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["findings"] == []
    validator.validate(document)


def test_one_finding_per_line(tmp_path: Path) -> None:
    """Streaming writes each finding on its own line (greppable, and nothing builds the whole text)."""
    report = synthetic_report(20)
    path = tmp_path / "r.json"
    write_report(report, "json", path)
    text = path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.startswith('    {"checkId"')]
    assert len(lines) == 20
    assert all(json.loads(line.strip().rstrip(","))["checkId"].startswith("SO-GEN-") for line in lines)


def test_schema_rejects_an_unknown_status(validator: jsonschema.Draft202012Validator) -> None:
    document = json.loads(json.dumps(json_report.to_json(sample_report()), default=str))
    document["findings"][0]["status"] = "MAYBE"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown report format 'docx'"):
        write_report(sample_report(), "docx", tmp_path / "r.docx")
