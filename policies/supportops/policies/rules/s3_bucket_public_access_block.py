"""S3 buckets block every form of public access."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, RuleMeta

META = RuleMeta(
    id="s3_bucket_public_access_block",
    title="S3 buckets block public ACLs and policies",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    rationale=(
        "Contact data must never become public by an ACL or a policy mistake; the four public access "
        "block settings make S3 refuse such grants (PCI DSS 1.4, 7.2)."
    ),
    remediation=(
        "aws.s3.BucketPublicAccessBlock('pab', bucket=bucket.bucket, block_public_acls=True,\n"
        "    block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True)"
    ),
    resource_types=rel.BUCKET_TYPES,
)

FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(bucket: Resource) -> rel.Verdict:
        blocks = index.bucket_settings(bucket).public_access_block
        if not blocks:
            return rel.missing_setting(
                index,
                bucket,
                "public_access_block",
                "no public access block names this bucket",
                rel.ev("publicAccessBlock", None, "all four flags true"),
            )
        block = blocks[0]
        for flag in FLAGS:
            value = block.prop(flag, None)
            if rel.is_unknown(value):
                return rel.unknown(f"{block.name}.{flag}")
            if rel.truthy(value) is not True:
                return rel.failed(f"{flag} is not true", rel.ev(f"{block.name}.{flag}", value, "true"))
        return rel.passed("all public access is blocked", rel.ev(block.name, dict.fromkeys(FLAGS, True)))

    return rel.each(context, META, check)
