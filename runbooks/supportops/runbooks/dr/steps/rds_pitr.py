"""RDS / Aurora point-in-time restore (for platforms that have a database).

Restores the DB instance (or Aurora cluster plus one instance, so it can serve) to the latest
restorable time as ``<drill id>-<step>``, tagged at creation, polls until ``available`` (bounded),
verifies engine and status, and deletes it afterwards (no final snapshot).

RTO = restore request -> restored database available and verified (monotonic clock).
RPO = restore request - LatestRestorableTime reported by RDS (wall clock). Data canaries would need a
SQL connection to the database; this step does not open one, and the report names the basis.

Retries: a create or restore whose first response was lost is retried by botocore and answered
"already exists"; the DB instance or cluster is adopted when it carries this drill's tag (tags are set
at creation), and the step fails otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from supportops.findings import Evidence, Status
from supportops.polling import WaitTimedOut, poll_until
from supportops.runbooks.dr.aws import ClientFactory, error_code
from supportops.runbooks.dr.clock import NS, iso, now
from supportops.runbooks.dr.drill_resources import (
    RDS_CLUSTERS,
    RDS_INSTANCES,
    delete_db_cluster,
    delete_db_instance,
)
from supportops.runbooks.dr.local_demo import seed_db_cluster, seed_db_instance
from supportops.runbooks.dr.naming import TAG_DRILL, as_aws_tags, drill_tags, resource_name
from supportops.runbooks.dr.schema import PollSeconds, Seconds, StepSpec
from supportops.runbooks.dr.steps.base import RPO, RTO, VERIFY, StepContext, StepFailed, StepResult, StepType

RPO_BASIS = "restore request - LatestRestorableTime reported by RDS (no data canary: needs SQL access)"
_ALREADY_EXISTS = {"DBInstanceAlreadyExists", "DBInstanceAlreadyExistsFault", "DBClusterAlreadyExistsFault"}
_IDENTIFIER = r"^[a-zA-Z][a-zA-Z0-9-]{0,62}$"


class RdsPitrStep(StepSpec):
    type: Literal["rds-pitr"]
    db_instance: Annotated[str, Field(pattern=_IDENTIFIER)] | None = None
    db_cluster: Annotated[str, Field(pattern=_IDENTIFIER)] | None = None
    # Aurora: the class of the one instance the drill adds to the restored cluster to make it usable.
    instance_class: Annotated[str, Field(pattern=r"^db\.[a-z0-9]+\.[a-z0-9]+$")] = "db.t4g.medium"
    timeout_seconds: Seconds = 7200.0
    poll_seconds: PollSeconds = 30.0

    @model_validator(mode="after")
    def _one_source(self) -> RdsPitrStep:
        if (self.db_instance is None) == (self.db_cluster is None):
            raise ValueError("name exactly one of dbInstance or dbCluster")
        return self


class RdsPitr(StepType[RdsPitrStep]):
    schema = RdsPitrStep
    services = ("rds",)
    api_calls = (
        "rds:AddTagsToResource",
        "rds:CreateDBInstance",
        "rds:DeleteDBCluster",
        "rds:DeleteDBInstance",
        "rds:DescribeDBClusters",
        "rds:DescribeDBInstances",
        "rds:RestoreDBClusterToPointInTime",
        "rds:RestoreDBInstanceToPointInTime",
    )
    checks = (RPO, RTO, VERIFY)
    creates = (RDS_INSTANCES, RDS_CLUSTERS)
    moto_serves = True

    def run(self, step: RdsPitrStep, ctx: StepContext, result: StepResult) -> None:
        rds = ctx.client("rds")
        if step.db_cluster is not None:
            _run_cluster(step, step.db_cluster, ctx, result, rds)
        else:
            assert step.db_instance is not None
            _run_instance(step, step.db_instance, ctx, result, rds)

    def seed_local(self, step: RdsPitrStep, clients: ClientFactory, region: str) -> list[str]:
        if step.db_instance:
            seed_db_instance(clients("rds", region), step.db_instance)
            return [f"RDS instance {step.db_instance}"]
        assert step.db_cluster is not None
        seed_db_cluster(clients("rds", region), step.db_cluster)
        return [f"Aurora cluster {step.db_cluster}"]


def _create(
    ctx: StepContext, what: str, identifier: str, call: Callable[[], object], describe: Callable[[], Any]
) -> None:
    """Make a drill DB resource; adopt it when a retried call finds this drill's own first attempt."""
    try:
        call()
        return
    except Exception as exc:
        if error_code(exc) not in _ALREADY_EXISTS:
            raise
    tags = {t["Key"]: t["Value"] for t in describe().get("TagList", [])}
    if tags.get(TAG_DRILL) != ctx.drill_id:
        ctx.foreign.add(identifier)
        raise StepFailed(
            f"{what} {identifier} already exists without this drill's tag "
            f"({TAG_DRILL}={tags.get(TAG_DRILL, 'none')}): not adopted, not removed"
        )
    ctx.event(f"{what} adopted: the one a retried request found is this drill's", target=identifier)


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


def _instance(rds: Any, identifier: str) -> Any:
    return rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]


def _cluster(rds: Any, identifier: str) -> Any:
    return rds.describe_db_clusters(DBClusterIdentifier=identifier)["DBClusters"][0]


def _run_instance(step: RdsPitrStep, source_id: str, ctx: StepContext, result: StepResult, rds: Any) -> None:
    source = _instance(rds, source_id)
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
    _create(
        ctx,
        "DB instance",
        target,
        lambda: rds.restore_db_instance_to_point_in_time(
            SourceDBInstanceIdentifier=source_id,
            TargetDBInstanceIdentifier=target,
            UseLatestRestorableTime=True,
            Tags=as_aws_tags(drill_tags(ctx.drill_id, step.name, source_id)),
            PubliclyAccessible=False,
            DeletionProtection=False,
        ),
        partial(_instance, rds, target),
    )
    restored = _wait_available(
        step,
        ctx,
        result,
        requested,
        partial(_instance, rds, target),
        "DBInstanceStatus",
        f"DB instance {target}",
    )
    _finish(step, ctx, result, requested, latest, source, restored, target)


def _run_cluster(step: RdsPitrStep, source_id: str, ctx: StepContext, result: StepResult, rds: Any) -> None:
    source = _cluster(rds, source_id)
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
    _create(
        ctx,
        "DB cluster",
        cluster,
        lambda: rds.restore_db_cluster_to_point_in_time(
            DBClusterIdentifier=cluster,
            SourceDBClusterIdentifier=source_id,
            UseLatestRestorableTime=True,
            Tags=tags,
            DeletionProtection=False,
        ),
        partial(_cluster, rds, cluster),
    )
    _wait_available(
        step,
        ctx,
        result,
        requested,
        partial(_cluster, rds, cluster),
        "Status",
        f"DB cluster {cluster}",
    )
    ctx.on_cleanup(
        instance,
        "delete drill DB instance",
        lambda deadline: delete_db_instance(rds, instance, deadline, poll=step.poll_seconds),
    )
    _create(
        ctx,
        "DB instance",
        instance,
        lambda: rds.create_db_instance(
            DBInstanceIdentifier=instance,
            DBClusterIdentifier=cluster,
            Engine=source["Engine"],
            DBInstanceClass=step.instance_class,
            Tags=tags,
            PubliclyAccessible=False,
        ),
        partial(_instance, rds, instance),
    )
    restored = _wait_available(
        step,
        ctx,
        result,
        requested,
        partial(_instance, rds, instance),
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
