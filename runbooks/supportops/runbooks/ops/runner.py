"""`supportops ops run JOB`: resolve the job's config, run it for one account, keep the evidence,
publish metrics, notify when something needs a person.

Order matters: bundles are uploaded first, then metrics, then the notification (which names the
bundle's location), and the run summary ``ops-run.json`` last: its presence marks a complete run.

Exit codes: 0 all passed; 1 a FAIL finding, a missed RTO/RPO target or a drill problem (leftover
not cleaned up); 3 (EnvironmentFailure) an AWS/endpoint failure stopped the run, or a run that
completed with ERROR findings and nothing failing. A run stopped by AWS still tries to notify.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from supportops.atomic import write_text_atomic
from supportops.errors import EXIT_ENVIRONMENT, EXIT_FINDINGS, EXIT_OK, BadInput, EnvironmentFailure
from supportops.findings import Severity
from supportops.runbooks.ops.jobs import JobContext, JobResult, errors, failing_by_severity, run_job
from supportops.runbooks.ops.publish import (
    Destination,
    Metric,
    clients,
    notify,
    put_locked,
    put_metrics,
    upload_tree,
)
from supportops.runbooks.ops.sessions import caller_account, member_session
from supportops.stacks.config import StackConfig
from supportops.stacks.config.operations import OpsJob

SUMMARY_FILE = "ops-run.json"
SUMMARY_SCHEMA = "supportops.ops-run/v1"
AWS_ERRORS = (BotoCoreError, ClientError)


@dataclass(frozen=True)
class OpsRunRequest:
    job: OpsJob
    account: str
    run_id: str
    project: Path
    config: StackConfig
    out_dir: Path  # the run's local folder (mirrors the bucket layout)
    bucket: str | None = None
    topic_arn: str | None = None
    endpoint_url: str | None = None
    runbooks: tuple[str, ...] = ()
    base_session: boto3.Session | None = None
    dr_profile: Callable[[Any], Any] | None = None
    clock: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))
    # Told each stage as it starts (the CLI shows a progress bar, or timestamped lines without a TTY).
    on_stage: Callable[[str], None] = field(default=lambda _stage: None)

    @property
    def prefix(self) -> str:
        return f"{self.job.value}/{self.account}/{self.run_id}/"

    @property
    def namespace(self) -> str:
        return self.config.operations.metric_namespace


@dataclass
class OpsRunOutcome:
    summary: dict[str, Any]
    exit_code: int
    summary_path: Path


def run(request: OpsRunRequest) -> OpsRunOutcome:
    config = request.config.operations
    account = config.account(request.account)
    if account is None:
        known = ", ".join(a.id for a in config.accounts)
        raise BadInput.at("--account", request.account, f"not an account of operations.accounts ({known})")
    started = request.clock()
    base = request.base_session or boto3.Session(region_name=request.config.region)
    run_dir = request.out_dir
    run_dir.mkdir(parents=True, exist_ok=True)
    try:
        request.on_stage(f"{request.job.value} in {request.account}")
        session = _account_session(request, base)
        result = run_job(
            JobContext(
                job=request.job,
                account=request.account,
                account_name=account.name,
                project=request.project,
                config=request.config,
                session=session,
                endpoint_url=request.endpoint_url,
                run_dir=run_dir,
                runbooks=request.runbooks,
                dr_profile=request.dr_profile,
                on_stage=request.on_stage,
            )
        )
    except AWS_ERRORS as exc:
        _announce_stopped(request, base, started, f"AWS error: {exc}")
        raise EnvironmentFailure(f"{request.job.value} in {request.account} stopped: {exc}") from None
    summary = build_summary(request, account.name, started, request.clock(), result)
    try:
        destination = _publish(request, base, summary, result)
    except AWS_ERRORS as exc:
        raise EnvironmentFailure(
            f"{request.job.value} in {request.account}: publishing the run failed: {exc}"
        ) from None
    path = run_dir / SUMMARY_FILE
    write_text_atomic(path, json.dumps(summary, indent=2, sort_keys=True) + "\n")
    if destination is not None:
        try:
            put_locked(
                clients(base, request.endpoint_url, request.config.region)[0], path, destination, SUMMARY_FILE
            )
        except AWS_ERRORS as exc:
            raise EnvironmentFailure(f"uploading {SUMMARY_FILE} failed: {exc}") from None
    return OpsRunOutcome(summary, summary["exitCode"], path)


def _account_session(request: OpsRunRequest, base: boto3.Session) -> boto3.Session:
    """The runner's own credentials in its own account; the job's member role anywhere else."""
    if caller_account(base, request.endpoint_url) == request.account:
        return base
    partition = "aws"
    name = request.config.operations.member_role_name(request.job)
    role = f"arn:{partition}:iam::{request.account}:role/{name}"
    return member_session(
        base,
        role,
        request.config.region,
        request.endpoint_url,
        f"supportops-{request.job.value}-{request.run_id}",
    )


def build_summary(
    request: OpsRunRequest, account_name: str, started: dt.datetime, finished: dt.datetime, result: JobResult
) -> dict[str, Any]:
    reports = [report for _, report in result.bundles]
    by_severity = failing_by_severity(reports)
    error_count = errors(reports)
    missed = [m for m in result.drills if m.missed]
    failed = sum(by_severity.values()) > 0 or bool(missed) or bool(result.problems)
    status = "FAIL" if failed else ("ERROR" if error_count else "PASS")
    exit_code = EXIT_FINDINGS if failed else (EXIT_ENVIRONMENT if error_count else EXIT_OK)
    return {
        "schema": SUMMARY_SCHEMA,
        "job": request.job.value,
        "account": request.account,
        "accountName": account_name,
        "runId": request.run_id,
        "startedAt": started.isoformat(timespec="seconds"),
        "finishedAt": finished.isoformat(timespec="seconds"),
        "status": status,
        "exitCode": exit_code,
        "failingBySeverity": by_severity,
        "errors": error_count,
        "drills": [m.to_json() for m in result.drills],
        "principals": result.principals,
        "principalsFlagged": result.principals_flagged,
        "problems": result.problems,
        "bundles": [str(path.relative_to(request.out_dir).as_posix()) for path, _ in result.bundles],
        "location": None,
        "notification": None,
    }


def metrics_for(summary: dict[str, Any]) -> list[Metric]:
    base = (("Job", summary["job"]), ("Account", summary["account"]))
    metrics = [
        Metric("FailedFindings", float(count), "Count", (*base, ("Severity", severity)))
        for severity, count in summary["failingBySeverity"].items()
    ]
    metrics.append(Metric("ErrorFindings", float(summary["errors"]), "Count", base))
    for drill in summary["drills"]:
        where = (*base, ("Runbook", drill["runbook"]), ("Step", drill["step"]))
        for name, key in (("AchievedRtoSeconds", "rtoSeconds"), ("AchievedRpoSeconds", "rpoSeconds")):
            if drill[key] is not None:
                metrics.append(Metric(name, float(drill[key]), "Seconds", where))
        missed = drill["rtoStatus"] == "FAIL" or drill["rpoStatus"] == "FAIL"
        metrics.append(Metric("TargetsMissed", 1.0 if missed else 0.0, "Count", where))
    if summary["principalsFlagged"] is not None:
        metrics.append(Metric("PrincipalsFlagged", float(summary["principalsFlagged"]), "Count", base))
    return metrics


def message_for(summary: dict[str, Any]) -> tuple[str, str]:
    """(subject, one-paragraph message) of a run that needs a person."""
    job, account = summary["job"], summary["account"]
    parts = [
        f"supportops {job} run {summary['runId']} in account {account} ({summary['accountName']}) "
        f"finished {summary['status']} at {summary['finishedAt']}"
    ]
    failing = {s: n for s, n in summary["failingBySeverity"].items() if n}
    if failing:
        ordered = sorted(failing.items(), key=lambda item: -list(Severity).index(Severity(item[0])))
        parts.append("failing findings: " + ", ".join(f"{n} {s}" for s, n in ordered))
    if summary["errors"]:
        parts.append(f"{summary['errors']} not evaluated (ERROR)")
    for drill in summary["drills"]:
        for label, key in (("RTO", "rto"), ("RPO", "rpo")):
            if drill[f"{key}Status"] == "FAIL":
                parts.append(
                    f"drill {drill['runbook']}/{drill['step']} missed its {label} target "
                    f"(achieved {_duration(drill[f'{key}Seconds'])} "
                    f"against {_duration(drill[f'{key}TargetSeconds'])})"
                )
    if summary["principalsFlagged"]:
        parts.append(f"{summary['principalsFlagged']} principals flagged for review")
    parts += summary["problems"]
    where = summary["location"] or "(not uploaded)"
    message = "; ".join(parts) + f". Evidence: {where}"
    subject = f"supportops {job} {summary['status']} in {account}"
    return subject, message


def needs_notification(summary: dict[str, Any]) -> bool:
    return bool(summary["status"] != "PASS")


def _publish(
    request: OpsRunRequest, base: boto3.Session, summary: dict[str, Any], result: JobResult
) -> Destination | None:
    s3, cloudwatch, sns = clients(base, request.endpoint_url, request.config.region)
    destination = None
    if request.bucket is not None:
        days = request.config.operations.evidence_retention_days
        destination = Destination(request.bucket, request.prefix, request.clock() + dt.timedelta(days=days))
        request.on_stage(f"keeping the evidence in {destination.url}")
        upload_tree(s3, request.out_dir, destination, skip=(SUMMARY_FILE,))
        summary["location"] = destination.url
        summary["retainUntil"] = destination.retain_until.isoformat(timespec="seconds")
    else:
        summary["location"] = str(request.out_dir)
    request.on_stage(f"putting metrics in {request.namespace}")
    put_metrics(cloudwatch, request.namespace, metrics_for(summary), request.clock())
    if request.topic_arn is not None and needs_notification(summary):
        request.on_stage("notifying")
        subject, message = message_for(summary)
        summary["notification"] = {
            "messageId": notify(sns, request.topic_arn, subject, message),
            "subject": subject,
        }
    return destination


def _announce_stopped(request: OpsRunRequest, base: boto3.Session, started: dt.datetime, why: str) -> None:
    """A run AWS stopped still tells the topic, if the topic can be reached."""
    if request.topic_arn is None:
        return
    try:
        _, _, sns = clients(base, request.endpoint_url, request.config.region)
        notify(
            sns,
            request.topic_arn,
            f"supportops {request.job.value} ERROR in {request.account}",
            f"supportops {request.job.value} run {request.run_id} in account {request.account} started at "
            f"{started.isoformat(timespec='seconds')} was stopped by an AWS failure "
            f"and kept no evidence: {why}.",
        )
    except AWS_ERRORS:
        pass  # the exit code (3) and the build log still say it


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "not measured"
    if seconds < 120:
        return f"{seconds:.3g} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.2f} h"
