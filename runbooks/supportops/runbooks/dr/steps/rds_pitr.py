"""RDS / Aurora point-in-time restore (for platforms that have a database).

Restores the DB instance (or Aurora cluster plus one instance, so it can serve) to the latest
restorable time as ``<drill id>-<step>``, tagged at creation, polls until ``available`` (bounded),
verifies engine and status, and deletes it afterwards (no final snapshot).

RTO = restore request -> restored database available and verified (monotonic clock).
RPO = restore request - LatestRestorableTime reported by RDS (wall clock). Data canaries would need a
SQL connection to the database; this step does not open one, and the report names the basis.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from supportops.findings import Evidence, Status
from supportops.runbooks.dr.clock import NS, iso, now
from supportops.runbooks.dr.drill_resources import delete_db_cluster, delete_db_instance
from supportops.runbooks.dr.naming import as_aws_tags, drill_tags, resource_name
from supportops.runbooks.dr.polling import WaitTimedOut, poll_until
from supportops.runbooks.dr.schema import RdsPitrStep
from supportops.runbooks.dr.steps.base import StepContext, StepFailed, StepResult

CHECKS = ("rpo", "rto", "verify")
RPO_BASIS = "restore request - LatestRestorableTime reported by RDS (no data canary: needs SQL access)"


def run(step: RdsPitrStep, ctx: StepContext, result: StepResult) -> None:
    rds = ctx.client("rds")
    if step.db_cluster is not None:
        _run_cluster(step, step.db_cluster, ctx, result, rds)
    else:
        assert step.db_instance is not None
        _run_instance(step, step.db_instance, ctx, result, rds)


def _source_checks(source: dict[str, Any], name: str) -> datetime:
    if int(source.get("BackupRetentionPeriod", 0)) <= 0:
        raise StepFailed(
            f"{name} has no automated backups (BackupRetentionPeriod 0): no point-in-time restore",
            Status.FAIL,
        )
    latest = source.get("LatestRestorableTime")
    if not isinstance(latest, datetime):
        raise StepFailed(f"{name} reports no LatestRestorableTime")
    return latest


def _run_instance(step: RdsPitrStep, source_id: str, ctx: StepContext, result: StepResult, rds: Any) -> None:
    source = rds.describe_db_instances(DBInstanceIdentifier=source_id)["DBInstances"][0]
    latest = _source_checks(source, source_id)
    target = resource_name(ctx.drill_id, step.name)
    result.resources.append(target)
    ctx.event("source described", source=source_id, latestRestorable=iso(latest), engine=source.get("Engine"))

    ctx.on_cleanup(
        target,
        "delete drill DB instance",
        lambda deadline: delete_db_instance(rds, target, deadline, poll=step.poll_seconds),
    )
    requested = ctx.event("restore requested", target=target)
    rds.restore_db_instance_to_point_in_time(
        SourceDBInstanceIdentifier=source_id,
        TargetDBInstanceIdentifier=target,
        UseLatestRestorableTime=True,
        Tags=as_aws_tags(drill_tags(ctx.drill_id, step.name, source_id)),
        PubliclyAccessible=False,
        DeletionProtection=False,
    )
    restored = _wait_available(
        step,
        ctx,
        result,
        requested,
        lambda: rds.describe_db_instances(DBInstanceIdentifier=target)["DBInstances"][0],
        "DBInstanceStatus",
        f"DB instance {target}",
    )
    _finish(step, ctx, result, requested, latest, source, restored, target)


def _run_cluster(step: RdsPitrStep, source_id: str, ctx: StepContext, result: StepResult, rds: Any) -> None:
    source = rds.describe_db_clusters(DBClusterIdentifier=source_id)["DBClusters"][0]
    latest = _source_checks(source, source_id)
    cluster = resource_name(ctx.drill_id, step.name)
    instance = resource_name(ctx.drill_id, f"{step.name}-db")
    result.resources.extend([cluster, instance])
    tags = as_aws_tags(drill_tags(ctx.drill_id, step.name, source_id))
    ctx.event("source described", source=source_id, latestRestorable=iso(latest), engine=source.get("Engine"))

    ctx.on_cleanup(
        cluster,
        "delete drill DB cluster",
        lambda deadline: delete_db_cluster(rds, cluster, deadline, poll=step.poll_seconds),
    )
    requested = ctx.event("restore requested", target=cluster)
    rds.restore_db_cluster_to_point_in_time(
        DBClusterIdentifier=cluster,
        SourceDBClusterIdentifier=source_id,
        UseLatestRestorableTime=True,
        Tags=tags,
        DeletionProtection=False,
    )
    _wait_available(
        step,
        ctx,
        result,
        requested,
        lambda: rds.describe_db_clusters(DBClusterIdentifier=cluster)["DBClusters"][0],
        "Status",
        f"DB cluster {cluster}",
    )
    ctx.on_cleanup(
        instance,
        "delete drill DB instance",
        lambda deadline: delete_db_instance(rds, instance, deadline, poll=step.poll_seconds),
    )
    rds.create_db_instance(
        DBInstanceIdentifier=instance,
        DBClusterIdentifier=cluster,
        Engine=source["Engine"],
        DBInstanceClass=step.instance_class,
        Tags=tags,
        PubliclyAccessible=False,
    )
    restored = _wait_available(
        step,
        ctx,
        result,
        requested,
        lambda: rds.describe_db_instances(DBInstanceIdentifier=instance)["DBInstances"][0],
        "DBInstanceStatus",
        f"DB instance {instance}",
    )
    _finish(step, ctx, result, requested, latest, source, restored, cluster)


def _wait_available(
    step: RdsPitrStep,
    ctx: StepContext,
    result: StepResult,
    requested: Any,
    describe: Any,
    status_key: str,
    what: str,
) -> dict[str, Any]:
    try:
        found: dict[str, Any] = poll_until(
            f"{what} available",
            describe,
            lambda d: d.get(status_key) == "available",
            ctx.deadline,
            step.poll_seconds,
        )
    except WaitTimedOut as exc:
        result.timed_out("rto", requested.seconds_until(now()), ctx.targets.rto_seconds, "restore")
        raise StepFailed(f"restore did not finish before the step timeout ({exc})") from None
    ctx.event(f"{what} available")
    return found


def _finish(
    step: RdsPitrStep,
    ctx: StepContext,
    result: StepResult,
    requested: Any,
    latest: datetime,
    source: dict[str, Any],
    restored: dict[str, Any],
    target: str,
) -> None:
    problems = []
    if restored.get("Engine") != source.get("Engine"):
        problems.append(f"engine {restored.get('Engine')} differs from the source's {source.get('Engine')}")
    verified = ctx.event("verified", target=target)
    result.measured(
        "rto",
        requested.seconds_until(verified),
        ctx.targets.rto_seconds,
        "restore request -> restored database available (monotonic clock)",
        [Evidence("restore.target", target), Evidence("restore.requestedAt", iso(requested.wall))],
    )
    result.measured(
        "rpo",
        max(0.0, (requested.wall_ns - latest.timestamp() * NS) / NS),
        ctx.targets.rpo_seconds,
        RPO_BASIS,
        [Evidence("rds.latestRestorableTime", iso(latest))],
    )
    evidence = [
        Evidence("restored.engine", restored.get("Engine"), str(source.get("Engine"))),
        Evidence("restored.status", "available", "available"),
    ]
    if problems:
        result.add("verify", Status.FAIL, "; ".join(problems), evidence)
    else:
        result.add(
            "verify",
            Status.PASS,
            f"{target} is available with the source's engine (data-level checks need SQL access)",
            evidence,
        )
