"""What every replicated bucket of a phase shares in the replica region: the access-log bucket."""

from __future__ import annotations

from supportops.stacks.components.replication.sizing import ReplicationArgs
from supportops.stacks.components.security.secure_bucket import (
    BucketEncryption,
    SecureBucket,
    SecureBucketArgs,
)
from supportops.stacks.config import DataClassName
from supportops.stacks.context import PlatformContext


def replication_target(context: PlatformContext) -> ReplicationArgs | None:
    """ReplicationArgs for the stack's replica region (None when the config has no replica region).

    Call once per phase and pass the result to every SecureBucket to replicate; it creates the
    replica region's access-log bucket (``<env>-access-logs-<region>``)."""
    region = context.config.resilience.replica_region
    if region is None:
        return None
    access_logs = SecureBucket(
        context.name("access-logs", region),
        SecureBucketArgs(
            data_class=DataClassName.AUDIT_LOGS,
            retention_days=context.retention_days(DataClassName.AUDIT_LOGS),
            encryption=BucketEncryption.S3_MANAGED_FOR_ACCESS_LOGS,
            access_log_bucket=None,
            region=region,
        ),
        opts=context.component_opts(),
    )
    return ReplicationArgs(
        region=region,
        account_root_arn=context.root_principal(),
        rpo_minutes=context.config.resilience.rpo_minutes,
        access_log_bucket=access_logs.name,
    )
