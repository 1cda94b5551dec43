"""S3 bucket policies deny requests not made over TLS."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import premises
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="s3_bucket_policy_denies_insecure_transport",
    title="S3 bucket policies deny requests without TLS (aws:SecureTransport)",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_IN_TRANSIT,
    rationale=(
        "S3 still answers plain HTTP; only a Deny on aws:SecureTransport=false guarantees that "
        "recordings and transcripts travel encrypted (PCI DSS 4.2.1, GDPR Art. 32)."
    ),
    remediation=(
        "aws.s3.BucketPolicy('policy', bucket=bucket.bucket, policy=document([\n"
        "    deny_insecure_transport(bucket.arn),  # Deny s3:* when aws:SecureTransport is false\n"
        "    deny_old_tls(bucket.arn)]))  # stacks/components/security/policy_documents.py"
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
            rel.denies_insecure_transport,
            "requests without TLS",
            "Deny aws:SecureTransport=false",
        )

    return rel.each(context, META, check)
