"""Connect instances store recordings, transcripts and contact trace records."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="connect_instance_storage_configured",
    title="Connect instances store recordings, transcripts and contact trace records",
    severity=Severity.MEDIUM,
    category=Category.AUDIT_LOGGING,
    rationale=(
        "Contact trace records are the audit trail of every contact, recordings and transcripts the "
        "evidence of what was said; without storage configs Connect keeps them only in its own "
        "default locations, outside the platform's keys, retention and analytics."
    ),
    remediation=(
        "aws.connect.InstanceStorageConfig('ctr', instance_id=instance.id,\n"
        "    resource_type='CONTACT_TRACE_RECORDS', storage_config={'storageType': 'KINESIS_STREAM',\n"
        "        'kinesisStreamConfig': {'streamArn': ctr_stream.arn}})"
    ),
    resource_types=(rel.CONNECT_INSTANCE,),
    needs_stack=True,
)

REQUIRED = ("CALL_RECORDINGS", "CHAT_TRANSCRIPTS", "CONTACT_TRACE_RECORDS")


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(instance: Resource) -> rel.Verdict:
        configs = index.storage_configs.get(instance.urn, [])
        kinds = {c.prop("resourceType", None) for c in configs}
        if any(rel.is_unknown(k) for k in kinds):
            return rel.unknown("InstanceStorageConfig.resourceType")
        missing = [k for k in REQUIRED if k not in kinds]
        evidence = rel.ev("storageConfigs", sorted(str(k) for k in kinds), ", ".join(REQUIRED))
        if missing:
            return rel.failed(f"no storage config for {', '.join(missing)}", evidence)
        return rel.passed("recordings, transcripts and contact trace records are stored", evidence)

    return rel.each(context, META, check)
