"""`ops run` against the moto server over HTTP, for each job: the bundle lands in the Object Lock
bucket (COMPLIANCE retention set, deletion refused), metrics are in CloudWatch (read back with
get_metric_data), a notification reaches the topic (read through a subscribed SQS queue) when a
drill misses its target or findings fail, and nothing is sent when everything passes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.runbooks.access_review.demo import ACCOUNT_A, ACCOUNT_B, seed_demo
from supportops.runbooks.dr.aws import BotoClients
from supportops.runbooks.dr.demo import local_profile, seed_for
from supportops.runbooks.dr.executor import LoadedRunbook, load
from supportops.runbooks.dr.loader import resolve_runbook_path
from supportops.runbooks.ops.demo import missed_target_profile
from supportops.runbooks.ops.local import LocalOperations, provision
from supportops.runbooks.ops.runner import OpsRunOutcome, OpsRunRequest, run
from supportops.stacks.config import StackConfig, load_stack_config
from supportops.stacks.config.operations import OpsJob

REPO = Path(__file__).resolve().parents[3]
_COUNTER = itertools.count()


@pytest.fixture(scope="module")
def config() -> StackConfig:
    return load_stack_config(REPO, "demo-operations")


@pytest.fixture
def ops(endpoint: str) -> LocalOperations:
    return provision(endpoint, f"-{next(_COUNTER)}")


@pytest.fixture(scope="module")
def seeded(endpoint: str) -> dict[str, str]:
    loaded = load(resolve_runbook_path("crm-idempotency"), REPO)
    seed_for(loaded.runbook, BotoClients(endpoint), "us-east-1", loaded.registry)
    return seed_demo(endpoint)


def local(loaded: LoadedRunbook) -> LoadedRunbook:
    return dataclasses.replace(loaded, runbook=local_profile(loaded.runbook, loaded.registry))


def _run(
    ops: LocalOperations,
    config: StackConfig,
    tmp_path: Path,
    job: OpsJob,
    account: str = ACCOUNT_A,
    **extra: Any,
) -> OpsRunOutcome:
    run_id = f"run-{next(_COUNTER)}"
    # Each run its own minutes in the past: CloudWatch aggregates the values of one metric within a
    # period, and moto's get_metric_data ignores the namespace when dimensions are given.
    offset = dt.timedelta(minutes=5 * next(_COUNTER))
    return run(
        OpsRunRequest(
            job=job,
            account=account,
            run_id=run_id,
            project=REPO,
            config=config,
            out_dir=tmp_path / job.value / account / run_id,
            bucket=ops.bucket,
            topic_arn=ops.topic_arn,
            endpoint_url=ops.endpoint_url,
            clock=lambda: dt.datetime.now(dt.UTC) - offset,
            **extra,
        )
    )


def _metric(ops: LocalOperations, name: str, dimensions: dict[str, str], at: str) -> list[float]:
    """The values of one metric put at the run's time ``at`` (its summary's finishedAt)."""
    cloudwatch = ops.client("cloudwatch")
    moment = dt.datetime.fromisoformat(at)
    result = cloudwatch.get_metric_data(
        MetricDataQueries=[
            {
                "Id": "m",
                "MetricStat": {
                    "Metric": {
                        "Namespace": "Supportops/Operations",
                        "MetricName": name,
                        "Dimensions": [{"Name": k, "Value": v} for k, v in dimensions.items()],
                    },
                    "Period": 60,
                    "Stat": "Maximum",
                },
            }
        ],
        StartTime=moment - dt.timedelta(seconds=90),
        EndTime=moment + dt.timedelta(seconds=90),
    )
    return list(result["MetricDataResults"][0]["Values"])


def _objects(ops: LocalOperations, prefix: str) -> list[str]:
    listing = ops.client("s3").list_objects_v2(Bucket=ops.bucket, Prefix=prefix)
    return sorted(o["Key"] for o in listing.get("Contents", []))


def test_a_drill_missing_its_rto_keeps_locked_evidence_puts_metrics_and_notifies(
    ops: LocalOperations, config: StackConfig, seeded: dict[str, str], tmp_path: Path
) -> None:
    outcome = _run(
        ops,
        config,
        tmp_path,
        OpsJob.DR_DRILL,
        runbooks=("crm-idempotency",),
        dr_profile=missed_target_profile,
    )
    summary = outcome.summary
    assert (outcome.exit_code, summary["status"]) == (1, "FAIL")
    prefix = f"dr-drill/{ACCOUNT_A}/{summary['runId']}/"
    keys = _objects(ops, prefix)
    assert f"{prefix}ops-run.json" in keys
    assert any(k.endswith("/report.json") for k in keys) and any(k.endswith("/manifest.json") for k in keys)
    s3 = ops.client("s3")
    retention_days = config.operations.evidence_retention_days
    for key in keys:
        head = s3.head_object(Bucket=ops.bucket, Key=key)
        assert head["ObjectLockMode"] == "COMPLIANCE"
        left = head["ObjectLockRetainUntilDate"] - dt.datetime.now(dt.UTC)
        assert dt.timedelta(days=retention_days - 1) < left <= dt.timedelta(days=retention_days)
    head = s3.head_object(Bucket=ops.bucket, Key=keys[0])
    with pytest.raises(ClientError, match="AccessDenied"):
        s3.delete_object(Bucket=ops.bucket, Key=keys[0], VersionId=head["VersionId"])
    kept = json.loads(s3.get_object(Bucket=ops.bucket, Key=f"{prefix}ops-run.json")["Body"].read())
    assert kept["location"] == f"s3://{ops.bucket}/{prefix}" and kept["notification"]["messageId"]

    (drill,) = summary["drills"]
    assert (drill["rtoStatus"], drill["rtoTargetSeconds"], drill["rpoStatus"]) == ("FAIL", 0.01, "PASS")
    where = {"Job": "dr-drill", "Account": ACCOUNT_A, "Runbook": "crm-idempotency", "Step": drill["step"]}
    assert _metric(ops, "AchievedRtoSeconds", where, summary["finishedAt"]) == [
        pytest.approx(drill["rtoSeconds"])
    ]
    assert _metric(ops, "AchievedRpoSeconds", where, summary["finishedAt"]) == [
        pytest.approx(drill["rpoSeconds"])
    ]
    assert _metric(ops, "TargetsMissed", where, summary["finishedAt"]) == [1.0]
    high = {"Job": "dr-drill", "Account": ACCOUNT_A, "Severity": "high"}
    assert _metric(ops, "FailedFindings", high, summary["finishedAt"]) == [1.0]

    (message,) = ops.messages(wait_seconds=1)
    assert message["subject"] == f"supportops dr-drill FAIL in {ACCOUNT_A}"
    text = message["message"]
    assert "crm-idempotency/idempotency-pitr missed its RTO target" in text
    assert f"Evidence: s3://{ops.bucket}/{prefix}" in text
    assert "\n" not in text  # one paragraph


def test_a_drill_meeting_its_targets_sends_nothing(
    ops: LocalOperations, config: StackConfig, seeded: dict[str, str], tmp_path: Path
) -> None:
    outcome = _run(ops, config, tmp_path, OpsJob.DR_DRILL, runbooks=("crm-idempotency",), dr_profile=local)
    summary = outcome.summary
    assert (outcome.exit_code, outcome.summary["status"], outcome.summary["notification"]) == (
        0,
        "PASS",
        None,
    )
    (drill,) = outcome.summary["drills"]
    where = {"Job": "dr-drill", "Account": ACCOUNT_A, "Runbook": "crm-idempotency", "Step": drill["step"]}
    assert _metric(ops, "TargetsMissed", where, summary["finishedAt"]) == [0.0]
    assert ops.messages(wait_seconds=1) == []
    assert f"dr-drill/{ACCOUNT_A}/{outcome.summary['runId']}/ops-run.json" in _objects(ops, "dr-drill/")


def test_access_review_in_a_member_account_runs_through_its_role_and_counts_flagged_principals(
    ops: LocalOperations, config: StackConfig, seeded: dict[str, str], tmp_path: Path
) -> None:
    outcome = _run(ops, config, tmp_path, OpsJob.ACCESS_REVIEW, account=ACCOUNT_B)
    summary = outcome.summary
    report = json.loads(
        Path(
            tmp_path, "access-review", ACCOUNT_B, summary["runId"], "access-review", "report.json"
        ).read_text()
    )
    flagged = {
        f["subject"]
        for f in report["findings"]
        if f["status"] == "FAIL" and not f["subject"].endswith(":root")
    }
    # Only account B's principals: the member role's session read B, not the runner's account.
    assert flagged and all(f":{ACCOUNT_B}:" in subject for subject in flagged)
    assert summary["principalsFlagged"] == len(flagged)
    assert outcome.exit_code == 1
    assert _metric(
        ops, "PrincipalsFlagged", {"Job": "access-review", "Account": ACCOUNT_B}, summary["finishedAt"]
    ) == [float(len(flagged))]
    (message,) = ops.messages(wait_seconds=1)
    assert f"{len(flagged)} principals flagged for review" in message["message"]


def test_compliance_reads_the_account_live_and_keeps_its_report(
    ops: LocalOperations, config: StackConfig, tmp_path: Path
) -> None:
    # One region is enough to show the job (each region read costs seconds on moto).
    one_region = config.model_copy(
        update={"resilience": config.resilience.model_copy(update={"replica_region": None})}
    )
    outcome = _run(ops, one_region, tmp_path, OpsJob.COMPLIANCE)
    summary = outcome.summary
    prefix = f"compliance/{ACCOUNT_A}/{summary['runId']}/"
    assert {f"{prefix}compliance/report.json", f"{prefix}ops-run.json"} <= set(_objects(ops, prefix))
    report = json.loads(
        ops.client("s3").get_object(Bucket=ops.bucket, Key=f"{prefix}compliance/report.json")["Body"].read()
    )
    assert report["kind"] == "compliance"
    for severity, count in summary["failingBySeverity"].items():
        dims = {"Job": "compliance", "Account": ACCOUNT_A, "Severity": severity}
        assert _metric(ops, "FailedFindings", dims, summary["finishedAt"]) == [float(count)]
    failing = sum(summary["failingBySeverity"].values())
    assert outcome.exit_code == (1 if failing else 0)
    assert len(ops.messages(wait_seconds=1)) == (1 if summary["status"] != "PASS" else 0)


def test_an_aws_failure_that_stops_the_run_exits_3_and_an_unknown_account_exits_2(tmp_path: Path) -> None:
    runner = CliRunner()
    base = [
        "ops",
        "run",
        "dr-drill",
        "--stack",
        "demo-operations",
        "--project",
        str(REPO),
        "--runbook",
        "crm-idempotency",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ]
    stopped = runner.invoke(
        create_app(), [*base, "--account", ACCOUNT_A, "--evidence", str(tmp_path / "unused")]
    )
    assert stopped.exit_code == 3, stopped.output
    assert "Traceback" not in stopped.output
    unknown = runner.invoke(create_app(), [*base, "--account", "999999999999"])
    assert unknown.exit_code == 2
    assert "not an account of operations.accounts" in unknown.output


def test_the_cli_runs_a_job_prints_its_summary_and_logs_each_stage_without_a_terminal(
    ops: LocalOperations, seeded: dict[str, str], tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        create_app(),
        [
            "ops",
            "run",
            "access-review",
            "--account",
            ACCOUNT_A,
            "--run-id",
            "cli-1",
            "--stack",
            "demo-operations",
            "--project",
            str(REPO),
            "--bucket",
            ops.bucket,
            "--topic-arn",
            ops.topic_arn,
            "--endpoint-url",
            ops.endpoint_url,
            "--evidence",
            str(tmp_path / "run"),
            "-f",
            "json",
        ],
    )
    summary = json.loads(result.stdout)
    assert result.exit_code == summary["exitCode"] == 1  # the demo account has principals to flag
    assert summary["location"] == f"s3://{ops.bucket}/access-review/{ACCOUNT_A}/cli-1/"
    stages = [
        line.split(" ", 1)[1] for line in result.stderr.splitlines() if "ops run access-review:" in line
    ]
    assert stages == [
        f"ops run access-review: access-review in {ACCOUNT_A}",
        f"ops run access-review: keeping the evidence in s3://{ops.bucket}/access-review/{ACCOUNT_A}/cli-1/",
        "ops run access-review: putting metrics in Supportops/Operations",
        "ops run access-review: notifying",
    ]
    assert (tmp_path / "run" / "ops-run.json").is_file()
