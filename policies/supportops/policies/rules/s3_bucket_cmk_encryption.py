"""S3 buckets are encrypted by default with a customer-managed KMS key."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import premises
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="s3_bucket_cmk_encryption",
    title="S3 buckets are encrypted with a customer-managed KMS key",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_AT_REST,
    rationale=(
        "Recordings, transcripts and reports are personal and cardholder-adjacent data; a "
        "customer-managed key puts decryption under the account's key policy and CloudTrail "
        "(PCI DSS 3.5.1, GDPR Art. 32). Server access log targets are the documented exception: "
        "S3 log delivery supports only SSE-S3 there."
    ),
    remediation=(
        "aws.s3.BucketServerSideEncryptionConfiguration('enc', bucket=bucket.bucket, rules=[{\n"
        "    'applyServerSideEncryptionByDefault': {'sseAlgorithm': 'aws:kms',\n"
        "                                           'kmsMasterKeyId': key.arn},\n"
        "    'bucketKeyEnabled': True}])"
    ),
    resource_types=rel.BUCKET_TYPES,
    needs_stack=True,
)

KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(bucket: Resource) -> rel.Verdict | None:
        if premises.website_configuration(index, bucket) is not None:
            return rel.not_applicable(
                f"{premises.WEBSITE_REASON}, whose endpoint cannot serve SSE-KMS objects"
            )
        configs = index.bucket_settings(bucket).encryption
        if not configs:
            return rel.missing_setting(
                index,
                bucket,
                "encryption",
                "no server-side encryption configuration names this bucket",
                rel.ev("encryption", None, "a BucketServerSideEncryptionConfiguration"),
            )
        verdicts: list[rel.Verdict] = []
        for config in configs:
            rules = config.prop("rules", None)
            if rel.is_unknown(rules):
                return rel.unknown(f"{config.name}.rules")
            for i in range(len(rel.items(rules, f"{config.name}.rules"))):
                path = f"{config.name}.rules.{i}.applyServerSideEncryptionByDefault"
                by_default = f"rules.{i}.applyServerSideEncryptionByDefault"
                algorithm = config.prop(f"{by_default}.sseAlgorithm", None)
                if rel.is_unknown(algorithm):
                    return rel.unknown(f"{path}.sseAlgorithm")
                if algorithm in KMS_ALGORITHMS:
                    key = config.prop(f"{by_default}.kmsMasterKeyId", None)
                    verdicts.append(rel.key_verdict(index, f"{path}.kmsMasterKeyId", key, "objects"))
                elif algorithm == "AES256" and index.is_log_target(bucket):
                    verdicts.append(
                        rel.passed(
                            "SSE-S3 on a server access log target (the only default encryption S3 log "
                            "delivery supports)",
                            rel.ev(f"{path}.sseAlgorithm", algorithm),
                        )
                    )
                elif algorithm == "AES256" and index.maybe_log_target(bucket):
                    return rel.unknown("targetBucket of the access-log configurations")
                else:
                    verdicts.append(
                        rel.failed(
                            f"default encryption is {algorithm or 'not set'}, not SSE-KMS with a "
                            "customer-managed key",
                            rel.ev(f"{path}.sseAlgorithm", algorithm, "aws:kms"),
                        )
                    )
        return rel.combine(verdicts) or rel.failed("the encryption configuration has no rules")

    return rel.each(context, META, check)
