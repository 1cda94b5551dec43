"""Sources on a local moto server for ``supportops dr demo`` and the tests: DynamoDB source tables
(PITR on, items), S3 source and replica buckets (versioning, replication rule), RDS instances and
Aurora clusters (automated backups). Step types call these from their ``seed_local``."""

from __future__ import annotations

import json
import secrets
from typing import Any

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
