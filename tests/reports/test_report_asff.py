"""The ASFF report: every field Security Hub requires, valid against botocore's model of
BatchImportFindings, only PASS and FAIL findings, waivers as SUPPRESSED, stable ids."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.validate import ParamValidator
from report_factories import BUCKET, sample_report, synthetic_report
from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.errors import BadInput
from supportops.findings import Status
from supportops.reports.formats import write_report
from supportops.reports.formats.asff import AsffTarget, asff_findings, asff_target

TARGET = AsffTarget("111122223333", "eu-west-1")
PRODUCT = "arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default"
STANDARDS = "Software and Configuration Checks/Industry and Regulatory Standards"
REQUIRED = {"SchemaVersion", "Id", "ProductArn", "GeneratorId", "AwsAccountId", "Types", "CreatedAt",
            "UpdatedAt", "Severity", "Title", "Description", "Resources"}


def _input_shape() -> Any:
    model = botocore.session.get_session().get_service_model("securityhub")
    return model.operation_model("BatchImportFindings").input_shape


def test_the_schema_requires_what_we_always_write() -> None:
    finding_shape = _input_shape().members["Findings"].member
    # The model leaves Types and Severity optional (FindingProviderFields may carry them); the ASFF
    # documentation requires them: we write both places.
    assert set(finding_shape.required_members) <= REQUIRED
    assert set(finding_shape.members["Resources"].member.required_members) == {"Type", "Id"}


def test_findings_validate_against_botocores_batch_import_findings_shape() -> None:
    findings = asff_findings(sample_report(), TARGET)
    report = ParamValidator().validate({"Findings": findings}, _input_shape())
    assert not report.has_errors(), report.generate_report()
    for finding in findings:
        assert finding.keys() >= REQUIRED
        assert finding["SchemaVersion"] == "2018-10-08"
        assert finding["ProductArn"] == PRODUCT
        assert finding["AwsAccountId"] == "111122223333"
        assert finding["Severity"]["Label"] in {"INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"}
        assert all(r["Type"] and r["Id"] for r in finding["Resources"])
        assert finding["Compliance"]["Status"] in {"PASSED", "FAILED"}
        assert isinstance(finding["Compliance"]["RelatedRequirements"], list)


def test_only_pass_and_fail_are_imported_and_waivers_are_suppressed_with_their_reason() -> None:
    report = sample_report()
    findings = asff_findings(report, TARGET)
    expected = [(f.check_id, f.status) for f in report.findings if f.status in (Status.PASS, Status.FAIL)]
    assert len(findings) == len(expected) and len(expected) < len(report.findings)
    got = [(f["Title"].split(":", 1)[0], f["Compliance"]["Status"], f["Workflow"]["Status"])
           for f in findings]
    waived = {f.check_id for f in report.findings if f.waiver is not None}
    assert waived
    for (check, status), (title_check, compliance, workflow) in zip(expected, got, strict=True):
        assert title_check == check
        assert compliance == ("PASSED" if status is Status.PASS else "FAILED")
        unwaived = "RESOLVED" if status is Status.PASS else "NEW"
        assert workflow == ("SUPPRESSED" if check in waived else unwaived)
    suppressed = [f for f in findings if f["Workflow"]["Status"] == "SUPPRESSED"]
    assert suppressed
    notes = [f["Note"]["Text"] for f in suppressed]
    assert all("Legacy bucket, migrated in Q3" in note and "alice@example.com" in note for note in notes)
    s3 = next(f for f in findings if f["Title"].startswith("SO-S3-001"))
    assert s3["Resources"][0] == {"Type": "AwsS3Bucket", "Id": BUCKET, "Partition": "aws",
                                  "Region": "eu-west-1",
                                  "Details": {"Other": {"subjectType": "aws:s3/bucket:Bucket"}}}
    assert s3["Compliance"]["RelatedRequirements"] == ["pci-dss-4.0 3.5.1", "gdpr art32"]
    assert s3["Types"] == [f"{STANDARDS}/GDPR Controls (Europe)", f"{STANDARDS}/PCI-DSS"]
    assert "sseAlgorithm: AES256 (expected aws:kms)" in s3["Description"]


def test_ids_are_stable_unique_and_independent_of_run_time() -> None:
    first = sample_report()
    second = sample_report()
    second.generated_at = "2027-01-01T00:00:00+00:00"
    ids = [f["Id"] for f in asff_findings(first, TARGET)]
    assert ids == [f["Id"] for f in asff_findings(second, TARGET)]
    big = [f["Id"] for f in asff_findings(synthetic_report(300), TARGET)]
    assert len(set(big)) == len(big)


def test_long_text_is_cut_to_the_limits() -> None:
    report = sample_report()
    report.findings[0].message = "x" * 5000
    report.findings[0].title = "t" * 500
    finding = asff_findings(report, TARGET)[0]
    assert len(finding["Description"]) == 1024 and len(finding["Title"]) == 256
    assert not ParamValidator().validate({"Findings": [finding]}, _input_shape()).has_errors()


@pytest.fixture
def no_target(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Neither the tests' in-process target nor an account or region in the environment."""
    for name in ("AWS_ACCOUNT_ID", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    with asff_target(None):
        yield


@pytest.mark.usefixtures("no_target")
def test_the_writer_needs_an_account_and_region(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(BadInput, match="set AWS_ACCOUNT_ID and AWS_REGION"):
        write_report(sample_report(), "asff", tmp_path / "r.asff.json")
    with asff_target(TARGET):
        write_report(sample_report(), "asff", tmp_path / "r.asff.json")
    written = json.loads((tmp_path / "r.asff.json").read_text(encoding="utf-8"))
    assert written[0]["AwsAccountId"] == "111122223333"
    monkeypatch.setenv("AWS_ACCOUNT_ID", "444455556666")
    monkeypatch.setenv("AWS_REGION", "eu-central-1")
    write_report(sample_report(), "asff", tmp_path / "r.asff.json")
    first = json.loads((tmp_path / "r.asff.json").read_text(encoding="utf-8"))[0]
    assert first["ProductArn"] == "arn:aws:securityhub:eu-central-1:444455556666:product/444455556666/default"


@pytest.mark.usefixtures("no_target")
def test_comply_writes_asff_for_the_account_and_region_of_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import secret_canary as canary

    state = canary.write_json(tmp_path / "state.json", canary.state_export())
    config = canary.stack_config(tmp_path / f"Pulumi.{canary.STACK}.yaml")
    out = tmp_path / "findings.asff.json"
    args = ["comply", "--state", str(state), "--config", str(config), "--no-checkov", "-f", "asff",
            "-o", str(out)]
    result = CliRunner().invoke(create_app(), args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.count("\n") == 1  # one line, before the run starts
    assert result.stderr.startswith("error: -f asff: ASFF names the AWS account and region of its findings: "
                                    "set AWS_ACCOUNT_ID and AWS_REGION")
    assert not out.exists()
    monkeypatch.setenv("AWS_ACCOUNT_ID", "444455556666")
    monkeypatch.setenv("AWS_REGION", "eu-central-1")
    result = CliRunner().invoke(create_app(), args)
    assert result.exit_code == 1, result.output
    findings = json.loads(out.read_text(encoding="utf-8"))
    assert findings and not ParamValidator().validate({"Findings": findings}, _input_shape()).has_errors()
    assert {f["AwsAccountId"] for f in findings} == {"444455556666"}
