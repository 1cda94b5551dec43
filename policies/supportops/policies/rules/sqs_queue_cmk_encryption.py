"""SQS queues are encrypted with a customer-managed KMS key."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="sqs_queue_cmk_encryption",
    title="SQS queues are encrypted with a customer-managed KMS key",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_AT_REST,
    rationale=(
        "Ticket and contact events carry personal data; SSE-SQS uses an AWS-owned key outside the "
        "account's key policy and audit trail (PCI DSS 3.5.1, GDPR Art. 32)."
    ),
    remediation="aws.sqs.Queue('events', kms_master_key_id=key.arn, kms_data_key_reuse_period_seconds=300)",
    resource_types=("aws:sqs/queue:Queue",),
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(resource: Resource) -> rel.Verdict:
        return rel.key_verdict(index, "kmsMasterKeyId", resource.prop("kmsMasterKeyId", None), "messages")

    return rel.each(context, META, check)
