"""CloudWatch log groups are encrypted with a customer-managed KMS key."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="log_group_cmk_encryption",
    title="CloudWatch log groups are encrypted with a customer-managed KMS key",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_AT_REST,
    rationale=(
        "Application, flow and audit logs can contain personal data and are audit evidence; "
        "encrypting them with the data class's key restricts who can read them (PCI DSS 10.3.2, "
        "GDPR Art. 32)."
    ),
    remediation="aws.cloudwatch.LogGroup('logs', kms_key_id=key.arn, retention_in_days=365)",
    resource_types=("aws:cloudwatch/logGroup:LogGroup",),
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(resource: Resource) -> rel.Verdict:
        return rel.key_verdict(index, "kmsKeyId", resource.prop("kmsKeyId", None), "log events")

    return rel.each(context, META, check)
