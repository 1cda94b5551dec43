"""S3 buckets block every form of public access."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import premises
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
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
    needs_stack=True,
)

FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(bucket: Resource) -> rel.Verdict:
        if premises.website_configuration(index, bucket) is not None:
            return rel.not_applicable(f"{premises.WEBSITE_REASON}, which needs public read access")
        blocks = index.bucket_settings(bucket).public_access_block
        if not blocks:
            # AWS's default for buckets created since April 2023 blocks all public access.
            return rel.not_applicable(
                "no public access block: the bucket takes AWS's default, all public access blocked, "
                "for buckets created since April 2023",
                rel.ev("publicAccessBlock", None, "all four flags true"),
            )
        block = blocks[0]
        for flag in FLAGS:
            value = block.prop(flag, None)
            if rel.is_unknown(value):
                return rel.unknown(f"{block.name}.{flag}")
            if rel.flag(value, flag) is not True:
                return rel.failed(f"{flag} is not true", rel.ev(f"{block.name}.{flag}", value, "true"))
        return rel.passed("all public access is blocked", rel.ev(block.name, dict.fromkeys(FLAGS, True)))

    return rel.each(context, META, check)
