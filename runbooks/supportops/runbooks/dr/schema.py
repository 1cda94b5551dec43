"""The DR runbook schema: a runbook names the targets it is measured against and a closed set of steps.

Field names are camelCase in YAML and snake_case in Python; unknown keys are rejected, step names are
unique, every wait has an upper bound.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.alias_generators import to_camel

from supportops.stacks.config.model import AWS_REGION_PATTERN

# Step names become part of drill resource names (RDS identifiers: letters, digits, single hyphens).
STEP_NAME_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
STEP_NAME_MAX = 32
RUNBOOK_NAME_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
DAY_SECONDS = 86_400.0

Region = Annotated[str, Field(pattern=AWS_REGION_PATTERN)]
Seconds = Annotated[float, Field(gt=0, le=DAY_SECONDS)]
PollSeconds = Annotated[float, Field(gt=0, le=300)]


class _Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)


class TargetOverrides(_Model):
    """Targets stated in the runbook itself; they win over the stack file's ``resilience`` block."""

    rto_minutes: Annotated[float, Field(gt=0, le=7 * 24 * 60)] | None = None
    rpo_minutes: Annotated[float, Field(gt=0, le=7 * 24 * 60)] | None = None


class _Step(_Model):
    name: Annotated[str, Field(pattern=STEP_NAME_PATTERN, max_length=STEP_NAME_MAX)]
    description: str = ""
    # The whole step (restore, waits, verification) ends by then; cleanup has its own bound.
    timeout_seconds: Seconds = 3600.0
    poll_seconds: PollSeconds = 10.0


class Canaries(_Model):
    """Canary items written to the source before the restore, in a key range of their own."""

    count: Annotated[int, Field(ge=1, le=20)] = 3
    interval_seconds: Annotated[float, Field(ge=0, le=60)] = 1.0
    # Canary keys are "<keyPrefix>#<slot>": a fixed, dedicated range no application key uses.
    key_prefix: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{3,64}$")] = "supportops-dr-canary"


class TableVerification(_Model):
    sample_size: Annotated[int, Field(ge=0, le=1000)] = 50
    # Items changed between the sample and the restore point legitimately differ.
    max_sample_mismatch_percent: Annotated[float, Field(ge=0, le=100)] = 0.0
    count_items: bool = True
    item_count_tolerance_percent: Annotated[float, Field(ge=0, le=100)] = 0.0


class DynamoDbPitrStep(_Step):
    type: Literal["dynamodb-pitr"]
    table: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{3,255}$")]
    canaries: Canaries = Canaries()
    # Wait (bounded) until the latest restorable time passes the newest canary before restoring.
    restorable_wait_seconds: Annotated[float, Field(ge=0, le=3600)] = 900.0
    verify: TableVerification = TableVerification()


class RdsPitrStep(_Step):
    type: Literal["rds-pitr"]
    db_instance: Annotated[str, Field(pattern=r"^[a-zA-Z][a-zA-Z0-9-]{0,62}$")] | None = None
    db_cluster: Annotated[str, Field(pattern=r"^[a-zA-Z][a-zA-Z0-9-]{0,62}$")] | None = None
    # Aurora: the class of the one instance the drill adds to the restored cluster to make it usable.
    instance_class: Annotated[str, Field(pattern=r"^db\.[a-z0-9]+\.[a-z0-9]+$")] = "db.t4g.medium"
    timeout_seconds: Seconds = 7200.0
    poll_seconds: PollSeconds = 30.0

    @model_validator(mode="after")
    def _one_source(self) -> RdsPitrStep:
        if (self.db_instance is None) == (self.db_cluster is None):
            raise ValueError("name exactly one of dbInstance or dbCluster")
        return self


class S3ReplicationStep(_Step):
    type: Literal["s3-replication"]
    bucket: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    # Default: the destination of the bucket's first enabled replication rule.
    replica_bucket: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")] | None = None
    replica_region: Region | None = None
    canary_prefix: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{3,64}/$")] = "supportops-dr-canary/"
    timeout_seconds: Seconds = 1200.0
    poll_seconds: PollSeconds = 5.0


class BackupRestoreStep(_Step):
    type: Literal["aws-backup"]
    vault: Annotated[str, Field(pattern=r"^[a-zA-Z0-9_.-]{2,50}$")]
    resource_arn: Annotated[str, Field(pattern=r"^arn:aws[a-z-]*:")] | None = None
    resource_type: Literal["DynamoDB", "RDS"] = "DynamoDB"
    iam_role_arn: Annotated[str, Field(pattern=r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")]
    # Restore metadata for the resource type; "{drillResourceName}" becomes the drill resource's name.
    restore_metadata: dict[str, str] = {}
    timeout_seconds: Seconds = 14400.0
    poll_seconds: PollSeconds = 30.0


class ConnectReadinessStep(_Step):
    type: Literal["connect-readiness"]
    instance_id: Annotated[str, Field(min_length=1, max_length=250)]
    traffic_distribution_group: Annotated[str, Field(min_length=1, max_length=250)]
    # Default: the stack's resilience.replicaRegion.
    replica_region: Region | None = None
    # Shift telephony to the replica region and back; runs only with `dr drill --allow-failover`.
    failover: bool = False
    timeout_seconds: Seconds = 900.0
    poll_seconds: PollSeconds = 10.0


Step = Annotated[
    DynamoDbPitrStep | RdsPitrStep | S3ReplicationStep | BackupRestoreStep | ConnectReadinessStep,
    Field(discriminator="type"),
]
STEP_TYPES: tuple[str, ...] = (
    "dynamodb-pitr",
    "rds-pitr",
    "s3-replication",
    "aws-backup",
    "connect-readiness",
)


class Runbook(_Model):
    name: Annotated[str, Field(pattern=RUNBOOK_NAME_PATTERN, max_length=64)]
    description: str = ""
    # "example": for platforms that have the data store (e.g. a database); listed, never scheduled.
    status: Literal["active", "example"] = "active"
    # Read targets (and the region) from Pulumi.<stack>.yaml, the config the stacks use.
    stack: Annotated[str, Field(pattern=r"^[A-Za-z0-9_./-]{1,100}$")] | None = None
    region: Region | None = None
    targets: TargetOverrides = TargetOverrides()
    steps: Annotated[list[Step], Field(min_length=1)]

    @field_validator("steps", mode="after")
    @classmethod
    def _unique_step_names(cls, value: list[Step]) -> list[Step]:
        names = [step.name for step in value]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"duplicate step names: {', '.join(duplicates)}")
        return value
