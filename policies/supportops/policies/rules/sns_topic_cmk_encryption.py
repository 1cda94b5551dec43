"""SNS topics are encrypted with a customer-managed KMS key."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="sns_topic_cmk_encryption",
    title="SNS topics are encrypted with a customer-managed KMS key",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_AT_REST,
    rationale=(
        "Alarm and notification messages can quote contact or ticket details; a customer-managed "
        "key keeps them under the account's key policy (PCI DSS 3.5.1). alias/aws/sns cannot be "
        "shared with CloudWatch alarms either."
    ),
    remediation="aws.sns.Topic('alerts', kms_master_key_id=key.arn)",
    resource_types=("aws:sns/topic:Topic",),
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(resource: Resource) -> rel.Verdict:
        return rel.key_verdict(index, "kmsMasterKeyId", resource.prop("kmsMasterKeyId", None), "messages")

    return rel.each(context, META, check)
