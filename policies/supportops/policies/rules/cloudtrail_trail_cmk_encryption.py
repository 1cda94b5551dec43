"""CloudTrail log files are encrypted with a customer-managed KMS key."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="cloudtrail_trail_cmk_encryption",
    title="CloudTrail trails encrypt log files with a customer-managed KMS key",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_AT_REST,
    rationale=(
        "Audit logs are protected from unauthorized reading and their decryption is itself logged "
        "when SSE-KMS with a customer-managed key is used (PCI DSS 10.3.2)."
    ),
    remediation="aws.cloudtrail.Trail('audit', s3_bucket_name=bucket.bucket, kms_key_id=audit_key.arn, ...)",
    resource_types=("aws:cloudtrail/trail:Trail",),
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(resource: Resource) -> rel.Verdict:
        return rel.key_verdict(index, "kmsKeyId", resource.prop("kmsKeyId", None), "log files")

    return rel.each(context, META, check)
