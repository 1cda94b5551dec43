"""DynamoDB tables of the CRM integration: idempotency keys of synced contact events, and customer
context for the Connect lookup. Both: point-in-time recovery, the class's CMK, deletion protection,
tagged for the backup plan (the DR drills restore them)."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from supportops.stacks.config import DataClassName
from supportops.stacks.tags import backup_protected, classification

IDEMPOTENCY_KEY = "idempotencyKey"
IDEMPOTENCY_TTL_ATTRIBUTE = "expiresAt"
CONTEXT_KEY = "phoneNumber"
# Customer context is personal data: each write sets it to expire after the class's retention.
CONTEXT_TTL_ATTRIBUTE = "expiresAt"


def protected_table(
    name: str,
    hash_key: str,
    data_class: DataClassName,
    kms_key_arn: pulumi.Input[str],
    parent: pulumi.Resource,
    ttl_attribute: str | None = None,
) -> aws.dynamodb.Table:
    return aws.dynamodb.Table(
        name,
        name=name,
        billing_mode="PAY_PER_REQUEST",
        hash_key=hash_key,
        attributes=[aws.dynamodb.TableAttributeArgs(name=hash_key, type="S")],
        point_in_time_recovery=aws.dynamodb.TablePointInTimeRecoveryArgs(enabled=True),
        server_side_encryption=aws.dynamodb.TableServerSideEncryptionArgs(
            enabled=True, kms_key_arn=kms_key_arn
        ),
        deletion_protection_enabled=True,
        ttl=(
            aws.dynamodb.TableTtlArgs(attribute_name=ttl_attribute, enabled=True) if ttl_attribute else None
        ),
        tags={**classification(data_class), **backup_protected()},
        opts=pulumi.ResourceOptions(parent=parent),
    )
