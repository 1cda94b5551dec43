"""A drill against a local moto server, started, seeded and stopped here (``supportops dr demo``).

Seeds what the runbooks name: DynamoDB source tables (PITR on, items), S3 source and replica buckets
(versioning, replication rule), RDS instances (automated backups). The drills run with the runbook's
targets unchanged; only waits are shortened, because moto answers at once and its latest restorable
time never advances (a drill would otherwise wait ``restorableWaitSeconds`` for nothing).
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from supportops.runbooks.dr.schema import DynamoDbPitrStep, RdsPitrStep, Runbook, S3ReplicationStep

LOCAL_PROFILE_NOTE = (
    "local demo profile: moto server started and seeded by `supportops dr demo`; pollSeconds <= 0.2, "
    "canary intervalSeconds <= 0.2, restorableWaitSeconds 0 (moto's latest restorable time never advances), "
    "timeoutSeconds <= 60 (s3-replication: 5, so the never-replicated canary ends as 'not measured' instead "
    "of a 15-minute wait); targets unchanged"
)
S3_LOCAL_TIMEOUT = 5.0
DEMO_RUNBOOKS = ("crm-idempotency", "customer-context")
LOCAL_STEP_TYPES = ("dynamodb-pitr", "s3-replication", "rds-pitr")
# The stacks' key attributes (stacks/components/crm/tables.py); other tables get "pk".
KEY_ATTRIBUTES = {"demo-crm-idempotency": "idempotencyKey", "demo-crm-customer-context": "phoneNumber"}


def seed_table(ddb: Any, table: str, items: int = 200, key: str | None = None) -> None:
    key = key or KEY_ATTRIBUTES.get(table, "pk")
    ddb.create_table(
        TableName=table,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
        KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
    )
    ddb.update_continuous_backups(
        TableName=table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    rows = [
        {
            "PutRequest": {
                "Item": {
                    key: {"S": f"item-{n:05d}"},
                    "payload": {"S": json.dumps({"n": n, "note": "seeded by supportops dr demo"})},
                    "version": {"N": str(n % 7)},
                }
            }
        }
        for n in range(items)
    ]
    for start in range(0, len(rows), 25):
        pending: dict[str, Any] = {table: rows[start : start + 25]}
        for _ in range(20):  # bounded retries of unprocessed items
            pending = ddb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
            if not pending:
                break


def seed_buckets(s3: Any, bucket: str, replica: str, region: str = "us-east-1") -> None:
    for name in (bucket, replica):
        if region == "us-east-1":
            s3.create_bucket(Bucket=name)
        else:
            s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_replication(
        Bucket=bucket,
        ReplicationConfiguration={
            "Role": "arn:aws:iam::123456789012:role/demo-replication",
            "Rules": [
                {
                    "ID": "replicate-all",
                    "Priority": 1,
                    "Status": "Enabled",
                    "Filter": {"Prefix": ""},
                    "DeleteMarkerReplication": {"Status": "Disabled"},
                    "Destination": {"Bucket": f"arn:aws:s3:::{replica}"},
                }
            ],
        },
    )
    for n in range(5):
        s3.put_object(Bucket=bucket, Key=f"recordings/call-{n}.wav", Body=b"RIFF-demo-" + bytes([n]))


def seed_db_instance(rds: Any, identifier: str) -> None:
    rds.create_db_instance(
        DBInstanceIdentifier=identifier,
        DBInstanceClass="db.t4g.micro",
        Engine="postgres",
        MasterUsername="demo",
        MasterUserPassword=secrets.token_urlsafe(16),  # moto only; never reused
        AllocatedStorage=20,
        BackupRetentionPeriod=7,
    )


def seed_db_cluster(rds: Any, identifier: str) -> None:
    rds.create_db_cluster(
        DBClusterIdentifier=identifier,
        Engine="aurora-postgresql",
        MasterUsername="demo",
        MasterUserPassword=secrets.token_urlsafe(16),  # moto only; never reused
        BackupRetentionPeriod=7,
    )


def seed_for(runbook: Runbook, clients: Any, region: str) -> list[str]:
    """Create the sources a runbook's steps read; return what was created."""
    created = []
    for step in runbook.steps:
        if isinstance(step, DynamoDbPitrStep):
            seed_table(clients("dynamodb", region), step.table)
            created.append(f"DynamoDB table {step.table}")
        elif isinstance(step, S3ReplicationStep):
            replica = step.replica_bucket or f"{step.bucket}-replica"
            seed_buckets(clients("s3", region), step.bucket, replica, region)
            created.append(f"S3 buckets {step.bucket} -> {replica}")
        elif isinstance(step, RdsPitrStep) and step.db_instance:
            seed_db_instance(clients("rds", region), step.db_instance)
            created.append(f"RDS instance {step.db_instance}")
        elif isinstance(step, RdsPitrStep) and step.db_cluster:
            seed_db_cluster(clients("rds", region), step.db_cluster)
            created.append(f"Aurora cluster {step.db_cluster}")
    return created


def local_profile(runbook: Runbook) -> Runbook:
    """The runbook with short waits for a local endpoint; targets and checks unchanged."""
    steps = []
    for step in runbook.steps:
        update: dict[str, Any] = {
            "poll_seconds": min(step.poll_seconds, 0.2),
            "timeout_seconds": min(
                step.timeout_seconds, S3_LOCAL_TIMEOUT if step.type == "s3-replication" else 60
            ),
        }
        if isinstance(step, DynamoDbPitrStep):
            update["restorable_wait_seconds"] = 0.0
            update["canaries"] = step.canaries.model_copy(
                update={"interval_seconds": min(step.canaries.interval_seconds, 0.2)}
            )
        steps.append(step.model_copy(update=update))
    return runbook.model_copy(update={"steps": steps})


def runs_locally(runbook: Runbook) -> bool:
    return all(step.type in LOCAL_STEP_TYPES for step in runbook.steps)
