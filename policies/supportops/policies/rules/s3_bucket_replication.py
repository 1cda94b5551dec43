"""Buckets holding recordings and transcripts replicate to another region."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta
from supportops.stacks.config import DataClassName

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="s3_bucket_replication",
    title="Recording and transcript buckets replicate to another region",
    severity=Severity.HIGH,
    category=Category.RESILIENCE,
    rationale=(
        "Call recordings and chat transcripts are the contact center's evidence; a regional outage "
        "must not lose them beyond the RPO, so they replicate cross-region (S3 RTC: 15 minutes). "
        "Replica buckets themselves are not required to replicate again."
    ),
    remediation=(
        "aws.s3.BucketReplicationConfig('replication', bucket=bucket.bucket, role=role.arn, rules=[{\n"
        "    'id': 'cross-region', 'status': 'Enabled', 'filter': {'prefix': ''},\n"
        "    'deleteMarkerReplication': {'status': 'Enabled'},\n"
        "    'destination': {'bucket': replica.arn,\n"
        "                    'encryptionConfiguration': {'replicaKmsKeyId': replica_key.arn}}}])"
    ),
    resource_types=rel.BUCKET_TYPES,
    needs_stack=True,
)

REPLICATED_CLASSES = frozenset({DataClassName.CALL_RECORDINGS, DataClassName.CHAT_TRANSCRIPTS})


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(bucket: Resource) -> rel.Verdict | None:
        data_class = index.data_class(bucket)
        if data_class not in REPLICATED_CLASSES:
            return None
        if bucket.urn in index.replica_buckets:
            return rel.not_applicable("this bucket is the replica of another bucket")
        configs = index.bucket_settings(bucket).replication
        for config in configs:
            rules = config.prop("rules", None)
            if rel.is_unknown(rules):
                return rel.unknown(f"{config.name}.rules")
            for i, rule in enumerate(rel.items(rules, f"{config.name}.rules")):
                if not isinstance(rule, Mapping):
                    continue
                status = rule.get("status")
                destination = config.prop(f"rules.{i}.destination.bucket", None)
                if rel.is_unknown(status) or rel.is_unknown(destination):
                    return rel.unknown(f"{config.name}.rules.{i}")
                destination = rel.text(destination, f"{config.name}.rules.{i}.destination.bucket")
                if status == "Enabled" and destination:
                    return rel.passed(
                        f"replicates to {destination}",
                        rel.ev(f"{config.name}.rules.{i}.destination.bucket", destination),
                    )
        if configs:
            return rel.failed(
                "no enabled replication rule with a destination",
                rel.ev(f"{configs[0].name}.rules", None, "an Enabled rule with a destination"),
            )
        return rel.missing_setting(
            index,
            bucket,
            "replication",
            f"{data_class.tag_value if data_class else ''} bucket is not replicated",
            rel.ev("replication", None, "a BucketReplicationConfig"),
        )

    return rel.each(context, META, check)
