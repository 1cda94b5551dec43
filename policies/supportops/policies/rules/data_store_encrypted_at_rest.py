"""Data stores that AWS leaves unencrypted by default are encrypted at rest (any KMS key)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

# type -> (property, what it must be). Only stores whose API default is unencrypted: S3, SQS,
# DynamoDB and CloudWatch Logs are encrypted whatever the program says; RDS, EBS and Redshift have
# rules of their own.
SETTINGS: Final[dict[str, tuple[str, str]]] = {
    "aws:sns/topic:Topic": ("kmsMasterKeyId", "key"),
    "aws:kinesis/stream:Stream": ("encryptionType", "KMS"),
    "aws:efs/fileSystem:FileSystem": ("encrypted", "true"),
    "aws:elasticache/replicationGroup:ReplicationGroup": ("atRestEncryptionEnabled", "true"),
    "aws:docdb/cluster:Cluster": ("storageEncrypted", "true"),
    "aws:neptune/cluster:Cluster": ("storageEncrypted", "true"),
}

META = RuleMeta(
    profile=Profile.BASELINE,
    id="data_store_encrypted_at_rest",
    title="SNS, Kinesis, EFS, ElastiCache, DocumentDB and Neptune stores are encrypted at rest",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_AT_REST,
    rationale=(
        "These services store data unencrypted unless the program asks for encryption, and it can "
        "only be chosen at creation for most of them (GDPR Art. 32(1)(a), PCI DSS 3.5.1). Any KMS "
        "key satisfies this baseline; customer-managed keys per data class are the platform's rules."
    ),
    remediation=(
        "aws.sns.Topic('events', kms_master_key_id='alias/aws/sns')\n"
        "aws.kinesis.Stream('events', shard_count=1, encryption_type='KMS', kms_key_id='alias/aws/kinesis')"
    ),
    resource_types=tuple(SETTINGS),
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(store: Resource) -> rel.Verdict:
        path, wanted = SETTINGS[store.type]
        value = store.prop(path, None)
        if rel.is_unknown(value):
            return rel.unknown(path)
        if wanted == "key":
            evidence = rel.ev(path, value, "a KMS key")
            if isinstance(value, str) and value:
                return rel.passed(f"encrypted with {value}", evidence)
            return rel.failed(f"not encrypted at rest ({path} is not set)", evidence)
        if wanted == "KMS":
            evidence = rel.ev(path, value, "KMS")
            if value == "KMS":
                return rel.passed("encrypted with KMS", evidence)
            return rel.failed(f"not encrypted at rest ({path} is {value or 'NONE, the default'})", evidence)
        evidence = rel.ev(path, value, "true")
        if rel.flag(value, path) is True:
            return rel.passed("encrypted at rest", evidence)
        state = "false" if value is False else "not set"
        return rel.failed(f"not encrypted at rest ({path} is {state})", evidence)

    return rel.each(context, META, check)
