"""DynamoDB tables are encrypted with a customer-managed KMS key."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="dynamodb_table_cmk_encryption",
    title="DynamoDB tables are encrypted with a customer-managed KMS key",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_AT_REST,
    rationale=(
        "Without server_side_encryption.kms_key_arn DynamoDB uses an AWS-owned or AWS-managed key; "
        "customer context and ticket tables need the data class's customer-managed key "
        "(PCI DSS 3.5.1, GDPR Art. 32)."
    ),
    remediation=(
        "aws.dynamodb.Table('context', ..., server_side_encryption={'enabled': True,\n"
        "                                                     'kmsKeyArn': key.arn})"
    ),
    resource_types=("aws:dynamodb/table:Table",),
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(table: Resource) -> rel.Verdict:
        enabled = table.prop("serverSideEncryption.enabled", None)
        if rel.is_unknown(enabled):
            return rel.unknown("serverSideEncryption.enabled")
        if rel.flag(enabled, "serverSideEncryption.enabled") is not True:
            return rel.failed(
                "server-side encryption with KMS is not enabled (AWS-owned key)",
                rel.ev("serverSideEncryption.enabled", enabled, "true"),
            )
        key = table.prop("serverSideEncryption.kmsKeyArn", None)
        if key is None:
            return rel.failed(
                "SSE is enabled without kms_key_arn: the AWS-managed aws/dynamodb key",
                rel.ev("serverSideEncryption.kmsKeyArn", None, "a customer-managed key"),
            )
        return rel.key_verdict(index, "serverSideEncryption.kmsKeyArn", key, "items")

    return rel.each(context, META, check)
