"""S3 bucket policies deny TLS versions older than 1.2."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import premises
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="s3_bucket_policy_denies_tls_below_1_2",
    title="S3 bucket policies deny TLS older than 1.2 (s3:TlsVersion)",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_IN_TRANSIT,
    rationale=(
        "TLS 1.0 and 1.1 are not strong cryptography under PCI DSS 4.2.1; S3 accepts them unless a "
        "Deny on s3:TlsVersion < 1.2 refuses them."
    ),
    remediation=(
        "aws.s3.BucketPolicy('policy', bucket=bucket.bucket, policy=document([\n"
        "    deny_insecure_transport(bucket.arn),\n"
        "    deny_old_tls(bucket.arn)]))  # Deny s3:* when s3:TlsVersion < 1.2"
    ),
    resource_types=rel.BUCKET_TYPES,
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(bucket: Resource) -> rel.Verdict:
        if premises.website_configuration(index, bucket) is not None:
            return rel.not_applicable(f"{premises.WEBSITE_REASON}, whose endpoint speaks plain HTTP only")
        return rel.bucket_policy_denies(
            index,
            bucket,
            lambda document: rel.denies_tls_below(document, 1.2),
            "TLS older than 1.2",
            "Deny s3:TlsVersion < 1.2",
        )

    return rel.each(context, META, check)
