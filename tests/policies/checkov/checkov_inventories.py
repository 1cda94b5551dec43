"""Small hand-made inventories for the checkov tests, shaped as the offline planner writes them
(Pulumi camelCase inputs, outputs with ids/ARNs, recorded dependencies)."""

from __future__ import annotations

import json
from typing import Any

from supportops.inventory.model import Inventory, Resource, Source, SourceKind

STACK = "checkov-test"
PROJECT = "supportops"
ACCOUNT = "111122223333"
REGION = "us-east-1"
PROVIDER_URN = f"urn:pulumi:{STACK}::{PROJECT}::pulumi:providers:aws::aws-test"
DEFAULT_TAGS = {"owner": "support-platform-team", "environment": "test"}


def urn(type_token: str, name: str) -> str:
    return f"urn:pulumi:{STACK}::{PROJECT}::{type_token}::{name}"


class Builder:
    """Collects resources; ``add`` returns the resource so later ones can name its outputs."""

    def __init__(self) -> None:
        self.resources: list[Resource] = [
            Resource(
                urn=PROVIDER_URN,
                type="pulumi:providers:aws",
                name="aws-test",
                inputs={"region": REGION, "defaultTags": json.dumps({"tags": DEFAULT_TAGS})},
            )
        ]

    def add(
        self,
        type_token: str,
        name: str,
        inputs: dict[str, Any],
        *,
        outputs: dict[str, Any] | None = None,
        depends_on: list[Resource] | None = None,
        resource_id: str | None = None,
    ) -> Resource:
        resource = Resource(
            urn=urn(type_token, name),
            type=type_token,
            name=name,
            provider=PROVIDER_URN,
            dependencies=[d.urn for d in depends_on or []],
            inputs=inputs,
            outputs={**inputs, **(outputs or {})},
            id=resource_id or f"{name}-id",
            region=REGION,
        )
        self.resources.append(resource)
        return resource

    def inventory(self) -> Inventory:
        return Inventory(PROJECT, STACK, Source(SourceKind.OFFLINE_PLAN, "tests"), self.resources)


def kms_key(b: Builder, name: str, *, rotation: bool) -> Resource:
    key_id = f"{name}-0000-1111"
    return b.add(
        "aws:kms/key:Key",
        name,
        {
            "enableKeyRotation": rotation,
            "deletionWindowInDays": 30.0,
            "policy": json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                            "Action": "kms:*",
                            "Resource": "*",
                        }
                    ],
                }
            ),
        },
        outputs={"arn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key_id}", "keyId": key_id},
        resource_id=key_id,
    )


def bucket(b: Builder, name: str) -> Resource:
    physical = f"{name}-a1b2c3"
    return b.add(
        "aws:s3/bucket:Bucket",
        name,
        {"tags": {"data-classification": "call-recordings"}},
        outputs={"bucket": physical, "arn": f"arn:aws:s3:::{physical}"},
        resource_id=physical,
    )


def compliant_bucket(b: Builder, name: str, key: Resource, log_bucket: Resource) -> Resource:
    """A bucket made compliant by separate resources, each naming it through its ``bucket`` input
    (pulumi-aws 7): only references let checkov's connected checks see them."""
    bkt = bucket(b, name)
    physical = bkt.outputs["bucket"]
    b.add(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        f"{name}-encryption",
        {
            "bucket": physical,
            "rules": [
                {
                    "applyServerSideEncryptionByDefault": {
                        "sseAlgorithm": "aws:kms",
                        "kmsMasterKeyId": key.outputs["arn"],
                    },
                    "bucketKeyEnabled": True,
                }
            ],
        },
        depends_on=[bkt, key],
    )
    b.add(
        "aws:s3/bucketVersioning:BucketVersioning",
        f"{name}-versioning",
        {"bucket": physical, "versioningConfiguration": {"status": "Enabled"}},
        depends_on=[bkt],
    )
    b.add(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        f"{name}-public-access-block",
        {
            "bucket": physical,
            "blockPublicAcls": True,
            "blockPublicPolicy": True,
            "ignorePublicAcls": True,
            "restrictPublicBuckets": True,
        },
        depends_on=[bkt],
    )
    b.add(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        f"{name}-lifecycle",
        {
            "bucket": physical,
            "rules": [
                {
                    "id": "retention",
                    "status": "Enabled",
                    "filter": {"prefix": ""},
                    "expiration": {"days": 365.0},
                    "abortIncompleteMultipartUpload": {"daysAfterInitiation": 7.0},
                }
            ],
        },
        depends_on=[bkt],
    )
    b.add(
        "aws:s3/bucketLogging:BucketLogging",
        f"{name}-logging",
        {"bucket": physical, "targetBucket": log_bucket.outputs["bucket"], "targetPrefix": f"{physical}/"},
        depends_on=[bkt, log_bucket],
    )
    return bkt


def noncompliant_inventory() -> Inventory:
    """One compliant and one non-compliant resource of each kind the bar names."""
    b = Builder()
    good_key = kms_key(b, "good-key", rotation=True)
    kms_key(b, "bad-key", rotation=False)

    log_bucket = bucket(b, "log-bucket")
    compliant_bucket(b, "good-bucket", good_key, log_bucket)
    bucket(b, "bad-bucket")

    b.add(
        "aws:sqs/queue:Queue",
        "good-queue",
        {"kmsMasterKeyId": good_key.outputs["arn"]},
        outputs={"arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:good-queue", "url": "https://sqs/good-queue"},
        depends_on=[good_key],
    )
    b.add(
        "aws:sqs/queue:Queue",
        "bad-queue",
        {"sqsManagedSseEnabled": False},
        outputs={"arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:bad-queue", "url": "https://sqs/bad-queue"},
    )

    b.add(
        "aws:cloudwatch/logGroup:LogGroup",
        "good-logs",
        {"kmsKeyId": good_key.outputs["arn"], "retentionInDays": 365.0},
        depends_on=[good_key],
    )
    b.add(
        "aws:cloudwatch/logGroup:LogGroup",
        "short-logs",
        {"kmsKeyId": good_key.outputs["arn"], "retentionInDays": 30.0},
        depends_on=[good_key],
    )
    b.add("aws:cloudwatch/logGroup:LogGroup", "bad-logs", {})

    table_common: dict[str, Any] = {
        "billingMode": "PAY_PER_REQUEST",
        "hashKey": "pk",
        "attributes": [{"name": "pk", "type": "S"}],
    }
    b.add(
        "aws:dynamodb/table:Table",
        "good-table",
        {
            **table_common,
            "pointInTimeRecovery": {"enabled": True},
            "serverSideEncryption": {"enabled": True, "kmsKeyArn": good_key.outputs["arn"]},
        },
        depends_on=[good_key],
    )
    b.add(
        "aws:dynamodb/table:Table", "bad-table", {**table_common, "pointInTimeRecovery": {"enabled": False}}
    )
    return b.inventory()
