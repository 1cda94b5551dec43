"""Kinesis data streams are encrypted with a customer-managed KMS key."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="kinesis_stream_cmk_encryption",
    title="Kinesis streams are encrypted with a customer-managed KMS key",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_AT_REST,
    rationale=(
        "Contact trace records and agent events stream through Kinesis; they hold phone numbers and "
        "contact attributes, so the stream needs KMS encryption with the data class's key "
        "(PCI DSS 3.5.1, GDPR Art. 32)."
    ),
    remediation="aws.kinesis.Stream('ctr', encryption_type='KMS', kms_key_id=key.arn, retention_period=168)",
    resource_types=(rel.KINESIS_STREAM,),
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(stream: Resource) -> rel.Verdict:
        return stream_verdict(index, stream)

    return rel.each(context, META, check)


def stream_verdict(index: rel.Relations, stream: Resource) -> rel.Verdict:
    """Shared with the Connect storage rule (a storage config is as encrypted as its stream)."""
    encryption = stream.prop("encryptionType", None)
    if rel.is_unknown(encryption):
        return rel.unknown("encryptionType")
    if encryption != "KMS":
        return rel.failed(
            f"stream {stream.name} is not KMS-encrypted", rel.ev("encryptionType", encryption, "KMS")
        )
    return rel.key_verdict(index, "kmsKeyId", stream.prop("kmsKeyId", None), f"stream {stream.name}")
