"""``comply --to-security-hub``: BatchImportFindings against the moto server over HTTP (batches of at
most 100, idempotent re-runs, waivers SUPPRESSED, no secret), and a partial failure (botocore Stubber:
moto accepts every well-formed finding) reported with the rejected ids and exit 3."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest
import secret_canary as canary
from botocore.stub import Stubber
from report_factories import sample_report, synthetic_report
from signing_helpers import REGION
from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.errors import EnvironmentFailure
from supportops.findings import Status
from supportops.reports import security_hub
from supportops.reports.formats.asff import AsffTarget, asff_findings
from supportops.reports.security_hub import import_report

TARGET = AsffTarget("123456789012", REGION)


def _hub(url: str) -> Any:
    return boto3.client("securityhub", region_name=REGION, endpoint_url=url)


def _all_findings(url: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for page in _hub(url).get_paginator("get_findings").paginate():
        found += page["Findings"]
    return found


def _batch_sizes(client: Any) -> list[int]:
    sizes: list[int] = []
    client.meta.events.register("provide-client-params.securityhub.BatchImportFindings",
                                lambda params, **_: sizes.append(len(params["Findings"])))
    return sizes


def test_import_in_batches_of_100_and_a_rerun_updates_the_same_findings(moto_url: str) -> None:
    report = synthetic_report(250)
    client = _hub(moto_url)
    sizes = _batch_sizes(client)
    result = import_report(report, TARGET, client)
    expected = sum(1 for f in report.findings if f.status in (Status.PASS, Status.FAIL))
    assert (result.sent, result.imported, result.rejected) == (expected, expected, [])
    assert sizes == [100] * (expected // 100) + ([expected % 100] if expected % 100 else [])
    assert result.skipped == len(report.findings) - expected
    ids = {f["Id"] for f in _all_findings(moto_url)}
    assert ids == {f["Id"] for f in asff_findings(report, TARGET)}
    import_report(report, TARGET, client)  # again: same ids, nothing added
    assert len(_all_findings(moto_url)) == len(ids)


def test_waived_findings_arrive_suppressed_with_the_waiver(moto_url: str) -> None:
    report = sample_report()
    result = import_report(report, TARGET, _hub(moto_url))
    assert result.suppressed == 1 and result.ok
    stored = {f["Title"].split(":", 1)[0]: f for f in _all_findings(moto_url)}
    assert set(stored) == {f.check_id for f in report.findings if f.status in (Status.PASS, Status.FAIL)}
    assert stored["CKV_AWS_18"]["Workflow"] == {"Status": "SUPPRESSED"}
    assert "Legacy bucket, migrated in Q3" in stored["CKV_AWS_18"]["Note"]["Text"]
    assert stored["SO-S3-001"]["Compliance"]["Status"] == "FAILED"
    assert stored["SO-TLS-001"]["Compliance"]["Status"] == "PASSED"


def test_comply_to_security_hub_end_to_end_without_secrets(moto_url: str, tmp_path: Path) -> None:
    state = canary.write_json(tmp_path / "state.json", canary.state_export())
    config = canary.stack_config(tmp_path / f"Pulumi.{canary.STACK}.yaml")
    args = ["comply", "--state", str(state), "--config", str(config), "--no-checkov", "--to-security-hub",
            "-f", "asff", "-o", str(tmp_path / "findings.asff.json")]
    first = CliRunner().invoke(create_app(), args)
    assert first.exit_code == 1, first.output  # the log groups fail their rules; the import succeeded
    assert "security hub: imported; " in first.stderr
    stored = _all_findings(moto_url)
    assert stored and {f["ProductArn"] for f in stored} == {TARGET.product_arn}
    assert {f["Compliance"]["Status"] for f in stored} == {"FAILED", "PASSED"} or \
        {f["Compliance"]["Status"] for f in stored} == {"FAILED"}
    written = (tmp_path / "findings.asff.json").read_text(encoding="utf-8")
    assert '"ProductArn": "' + TARGET.product_arn in written  # the file and the import agree
    text = repr(stored) + written
    assert not [form for form in canary.forbidden() if form in text]
    second = CliRunner().invoke(create_app(), args)
    assert second.exit_code == 1
    assert len(_all_findings(moto_url)) == len(stored)


def test_a_partial_failure_names_the_rejected_ids_and_exits_3(
    moto_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = _hub(moto_url)
    stubber = Stubber(client)
    stubber.add_response("batch_import_findings", {
        "FailedCount": 1, "SuccessCount": 2,
        "FailedFindings": [{"Id": "supportops/x/1", "ErrorCode": "InvalidInput", "ErrorMessage": "bad"}],
    })
    stubber.activate()
    monkeypatch.setattr(security_hub, "security_hub_client", lambda *_args, **_kw: client)
    state = canary.write_json(tmp_path / "state.json", canary.state_export())
    config = canary.stack_config(tmp_path / f"Pulumi.{canary.STACK}.yaml")
    result = CliRunner().invoke(create_app(), ["comply", "--state", str(state), "--config", str(config),
                                               "--no-checkov", "--to-security-hub"])
    assert result.exit_code == 3, result.output
    assert "security hub: PARTIAL: rejected 1 of " in result.stderr
    assert "  rejected supportops/x/1: InvalidInput: bad" in result.stderr.splitlines()
    stubber.assert_no_pending_responses()


def test_a_failing_call_stops_the_import_as_an_environment_failure(moto_url: str) -> None:
    client = _hub(moto_url)
    stubber = Stubber(client)
    stubber.add_response("batch_import_findings", {"FailedCount": 0, "SuccessCount": 100,
                                                   "FailedFindings": []})
    stubber.add_client_error("batch_import_findings", "InvalidAccessException",
                             "Account is not subscribed to AWS Security Hub")
    stubber.activate()
    with pytest.raises(EnvironmentFailure, match=r"100 of \d+ findings imported in 1 batch\(es\) before\): "
                                                 "InvalidAccessException"):
        import_report(synthetic_report(250), TARGET, client)
