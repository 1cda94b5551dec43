"""Phase 4, Operations: the unattended jobs (access review, DR drills, live compliance) on a
schedule, across the configured accounts, with their evidence kept under Object Lock.

Its own phase (planned after the platform) rather than part of the foundation: it operates on what
the other phases built, changes on its own rhythm (schedules, accounts) and keeps the foundation's
plan and its owners' work separate. It reads only the foundation's access-log bucket.

Outputs: ``evidenceBucket`` and ``topicArn`` (what `supportops ops run` and `history` read),
``stateMachineArn``, ``runnerProjects`` (job → CodeBuild project), ``schedules`` and
``memberRoleTemplate`` (the StackSet template for member accounts)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

from supportops.stacks.components.operations.job_policies import ActionsUnavailable, declared_actions
from supportops.stacks.components.operations.operations_center import OperationsCenter, OperationsCenterArgs
from supportops.stacks.components.resilience.replica_site import replication_target
from supportops.stacks.config import DataClassName
from supportops.stacks.config.operations import OperationsConfig, OpsJob
from supportops.stacks.context import PlatformContext
from supportops.stacks.phases.foundation_outputs import FoundationOutputs


def job_actions(config: OperationsConfig) -> dict[OpsJob, list[str]]:
    """Every job's declared actions; a job whose declaration is not installed gets none (and a warning)."""
    actions: dict[OpsJob, list[str]] = {}
    for job in OpsJob:
        try:
            actions[job] = declared_actions(job, config.jobs.dr_drill.runbooks)
        except ActionsUnavailable as exc:
            pulumi.log.warn(f"operations: {job.value} job gets no read permissions: {exc}")
            actions[job] = []
    return actions


def build(context: PlatformContext) -> Mapping[str, Any]:
    config = context.config
    foundation = FoundationOutputs.of(context)
    replica = config.resilience.replica_region
    center = OperationsCenter(
        context.name("ops"),
        OperationsCenterArgs(
            config=config.operations,
            environment=config.environment,
            stack=config.stack_name,
            region=context.region,
            regions=tuple(r for r in (context.region, replica) if r is not None),
            account_id=context.account_id,
            account_root_arn=context.root_principal(),
            access_log_bucket=foundation.access_log_bucket,
            audit_retention_days=context.retention_days(DataClassName.AUDIT_LOGS),
            job_actions=job_actions(config.operations),
            replication=replication_target(context),
            partition=context.partition,
        ),
        opts=context.component_opts(),
    )
    return {
        "evidenceBucket": center.evidence.name,
        "topicArn": center.topic.arn,
        "stateMachineArn": center.state_machine.arn,
        "runnerProjects": {job.value: project.name for job, project in center.projects.items()},
        "schedules": {name: schedule.name for name, schedule in center.schedules.items()},
        "memberRoleTemplate": center.member_template,
    }
