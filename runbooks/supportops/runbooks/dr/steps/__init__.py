"""Step types, one module each; this table is the closed set the schema's ``type`` names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from supportops.runbooks.dr.schema import (
    BackupRestoreStep,
    ConnectReadinessStep,
    DynamoDbPitrStep,
    RdsPitrStep,
    S3ReplicationStep,
    Step,
)
from supportops.runbooks.dr.steps import (
    backup_restore,
    connect_readiness,
    dynamodb_pitr,
    rds_pitr,
    s3_replication,
)
from supportops.runbooks.dr.steps.base import StepContext, StepResult

Runner = Callable[[Any, StepContext, StepResult], None]

RUNNERS: dict[type[Any], Runner] = {
    DynamoDbPitrStep: dynamodb_pitr.run,
    RdsPitrStep: rds_pitr.run,
    S3ReplicationStep: s3_replication.run,
    BackupRestoreStep: backup_restore.run,
    ConnectReadinessStep: connect_readiness.run,
}

# What a step touches: the plan (dry run) and `dr list` show it.
SERVICES: dict[type[Any], tuple[str, ...]] = {
    DynamoDbPitrStep: ("dynamodb",),
    RdsPitrStep: ("rds",),
    S3ReplicationStep: ("s3",),
    BackupRestoreStep: ("backup", "dynamodb", "rds"),
    ConnectReadinessStep: ("connect",),
}


def expected_checks(step: Step, allow_failover: bool) -> tuple[str, ...]:
    if isinstance(step, ConnectReadinessStep):
        return connect_readiness.checks_for(step, allow_failover)
    module = {
        DynamoDbPitrStep: dynamodb_pitr,
        RdsPitrStep: rds_pitr,
        S3ReplicationStep: s3_replication,
        BackupRestoreStep: backup_restore,
    }[type(step)]
    return tuple(module.CHECKS)


__all__ = ["RUNNERS", "SERVICES", "StepContext", "StepResult", "expected_checks"]
