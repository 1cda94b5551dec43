"""S3 buckets disable ACLs (object ownership: bucket owner enforced)."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="s3_bucket_ownership_enforced",
    title="S3 buckets enforce bucket-owner object ownership (ACLs disabled)",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    rationale=(
        "With ACLs enabled a writer (Connect, CloudTrail, another account) can own objects and grant "
        "access to them outside the bucket policy; BucketOwnerEnforced makes the policy the only "
        "access path that access reviews must check (PCI DSS 7.2.1)."
    ),
    remediation=(
        "aws.s3.BucketOwnershipControls('ownership', bucket=bucket.bucket,\n"
        "    rule={'objectOwnership': 'BucketOwnerEnforced'})"
    ),
    resource_types=rel.BUCKET_TYPES,
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(bucket: Resource) -> rel.Verdict:
        controls = index.bucket_settings(bucket).ownership
        if not controls:
            # AWS's default for buckets created since April 2023 is BucketOwnerEnforced.
            return rel.not_applicable(
                "no ownership controls: the bucket takes AWS's default, BucketOwnerEnforced (ACLs "
                "disabled) for buckets created since April 2023",
                rel.ev("ownershipControls", None, "BucketOwnerEnforced"),
            )
        value = controls[0].prop("rule.objectOwnership", None)
        path = f"{controls[0].name}.rule.objectOwnership"
        if rel.is_unknown(value):
            return rel.unknown(path)
        evidence = rel.ev(path, value, "BucketOwnerEnforced")
        if value == "BucketOwnerEnforced":
            return rel.passed("ACLs are disabled", evidence)
        return rel.failed(f"object ownership is {value}", evidence)

    return rel.each(context, META, check)
