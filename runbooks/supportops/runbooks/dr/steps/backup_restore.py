"""AWS Backup: recovery point age against the RPO, a restore job's duration against the RTO.

RPO = now - creation time of the newest COMPLETED recovery point in the vault (for the resource,
when ``resourceArn`` is given). RTO = restore job start request -> job COMPLETED (polled, bounded;
monotonic clock); the service's own CreationDate -> CompletionDate is kept as evidence. The restore
goes to a drill resource named ``<drill id>-<step>`` (``{drillResourceName}`` in restoreMetadata),
tagged when the job completes, deleted afterwards.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field

from supportops.findings import Evidence, Status
from supportops.polling import WaitTimedOut, poll_until
from supportops.runbooks.dr.clock import NS, iso, now
from supportops.runbooks.dr.drill_resources import (
    DYNAMODB_TABLES,
    RDS_INSTANCES,
    delete_db_instance,
    delete_table,
)
from supportops.runbooks.dr.naming import as_aws_tags, drill_tags, resource_name
from supportops.runbooks.dr.schema import PollSeconds, Seconds, StepSpec
from supportops.runbooks.dr.steps.base import RPO, RTO, StepContext, StepFailed, StepResult, StepType

MAX_PAGES = 50
_DEFAULT_TARGET_KEY = {"DynamoDB": "targetTableName", "RDS": "DBInstanceIdentifier"}
_DONE = ("COMPLETED", "ABORTED", "FAILED")


class BackupRestoreStep(StepSpec):
    type: Literal["aws-backup"]
    vault: Annotated[str, Field(pattern=r"^[a-zA-Z0-9_.-]{2,50}$")]
    resource_arn: Annotated[str, Field(pattern=r"^arn:aws[a-z-]*:")] | None = None
    resource_type: Literal["DynamoDB", "RDS"] = "DynamoDB"
    iam_role_arn: Annotated[str, Field(pattern=r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")]
    # Restore metadata for the resource type; "{drillResourceName}" becomes the drill resource's name.
    restore_metadata: dict[str, str] = {}
    timeout_seconds: Seconds = 14400.0
    poll_seconds: PollSeconds = 30.0


class BackupRestore(StepType[BackupRestoreStep]):
    """moto serves neither recovery points nor restore jobs: tested with botocore's Stubber."""

    schema = BackupRestoreStep
    services = ("backup", "dynamodb", "rds")
    api_calls = (
        "backup:DescribeRestoreJob",
        "backup:ListRecoveryPointsByBackupVault",
        "backup:StartRestoreJob",
        "iam:PassRole",
        "dynamodb:DeleteTable",
        "dynamodb:DescribeTable",
        "dynamodb:TagResource",
        "dynamodb:UpdateTable",
        "rds:AddTagsToResource",
        "rds:DeleteDBInstance",
        "rds:DescribeDBInstances",
    )
    checks = (RPO, RTO)
    creates = (DYNAMODB_TABLES, RDS_INSTANCES)

    def run(self, step: BackupRestoreStep, ctx: StepContext, result: StepResult) -> None:
        # Retries: the restore job's IdempotencyToken (drill id + step) makes a retried start the same job.
        _run(step, ctx, result)


def _run(step: BackupRestoreStep, ctx: StepContext, result: StepResult) -> None:
    backup = ctx.client("backup")
    point = _newest_completed(backup, step)
    if point is None:
        scope = f" for {step.resource_arn}" if step.resource_arn else ""
        raise StepFailed(
            f"vault {step.vault} holds no completed {step.resource_type} recovery point{scope}: "
            "nothing to recover from",
            Status.FAIL,
        )
    created: datetime = point["CreationDate"]
    checked = ctx.event(
        "newest completed recovery point found",
        recoveryPoint=point["RecoveryPointArn"],
        createdAt=iso(created),
    )
    result.measured(
        "rpo",
        max(0.0, (checked.wall_ns - created.timestamp() * NS) / NS),
        ctx.targets.rpo_seconds,
        "now - creation time of the newest completed recovery point",
        [
            Evidence("recoveryPoint.arn", point["RecoveryPointArn"]),
            Evidence("recoveryPoint.creationDate", iso(created)),
            Evidence("recoveryPoint.status", point.get("Status"), "COMPLETED"),
        ],
    )

    target = resource_name(ctx.drill_id, step.name)
    result.resources.append(target)
    metadata = {
        key: value.replace("{drillResourceName}", target) for key, value in step.restore_metadata.items()
    }
    metadata.setdefault(_DEFAULT_TARGET_KEY[step.resource_type], target)
    ctx.on_cleanup(
        target,
        f"delete restored {step.resource_type} resource",
        lambda deadline: _delete_restored(ctx, step, target, deadline),
    )
    requested = ctx.event("restore job requested", target=target)
    job_id = backup.start_restore_job(
        RecoveryPointArn=point["RecoveryPointArn"],
        Metadata=metadata,
        IamRoleArn=step.iam_role_arn,
        ResourceType=step.resource_type,
        IdempotencyToken=f"{ctx.drill_id}-{step.name}",
    )["RestoreJobId"]
    try:
        job = poll_until(
            f"restore job {job_id}",
            lambda: backup.describe_restore_job(RestoreJobId=job_id),
            lambda j: j.get("Status") in _DONE,
            ctx.deadline,
            step.poll_seconds,
        )
    except WaitTimedOut:
        result.timed_out(
            "rto", requested.seconds_until(now()), ctx.targets.rto_seconds, f"restore job {job_id}"
        )
        return
    finished = ctx.event(
        "restore job finished",
        restoreJob=job_id,
        status=job.get("Status"),
        createdResource=job.get("CreatedResourceArn"),
    )
    evidence = [
        Evidence("restoreJob.id", job_id),
        Evidence("restoreJob.status", job.get("Status"), "COMPLETED"),
    ]
    if job.get("CreationDate") and job.get("CompletionDate"):
        service_seconds = (job["CompletionDate"] - job["CreationDate"]).total_seconds()
        evidence.append(Evidence("restoreJob.serviceDurationSeconds", service_seconds))
    if job.get("Status") != "COMPLETED":
        result.add(
            "rto",
            Status.FAIL,
            f"restore job {job_id} ended {job.get('Status')}: {job.get('StatusMessage', 'no message')}",
            evidence,
        )
        return
    arn = job.get("CreatedResourceArn")
    if arn:
        _tag_restored(ctx, step, arn)
    result.measured(
        "rto",
        requested.seconds_until(finished),
        ctx.targets.rto_seconds,
        "restore job request -> COMPLETED (monotonic clock)",
        evidence,
    )


def _newest_completed(backup: Any, step: BackupRestoreStep) -> dict[str, Any] | None:
    kwargs: dict[str, Any] = {"BackupVaultName": step.vault, "ByResourceType": step.resource_type}
    if step.resource_arn:
        kwargs["ByResourceArn"] = step.resource_arn
    newest: dict[str, Any] | None = None
    for _ in range(MAX_PAGES):
        page = backup.list_recovery_points_by_backup_vault(**kwargs)
        for point in page.get("RecoveryPoints", []):
            if point.get("Status") == "COMPLETED" and (
                newest is None or point["CreationDate"] > newest["CreationDate"]
            ):
                newest = point
        if not page.get("NextToken"):
            break
        kwargs["NextToken"] = page["NextToken"]
    return newest


def _tag_restored(ctx: StepContext, step: BackupRestoreStep, arn: str) -> None:
    tags = as_aws_tags(drill_tags(ctx.drill_id, step.name, step.resource_arn or step.vault))
    if step.resource_type == "DynamoDB":
        ctx.client("dynamodb").tag_resource(ResourceArn=arn, Tags=tags)
    else:
        ctx.client("rds").add_tags_to_resource(ResourceName=arn, Tags=tags)
    ctx.event("restored resource tagged", arn=arn)


def _delete_restored(ctx: StepContext, step: BackupRestoreStep, target: str, deadline: Any) -> None:
    if step.resource_type == "DynamoDB":
        delete_table(ctx.client("dynamodb"), target, deadline, poll=step.poll_seconds)
    else:
        delete_db_instance(ctx.client("rds"), target, deadline, poll=step.poll_seconds)
