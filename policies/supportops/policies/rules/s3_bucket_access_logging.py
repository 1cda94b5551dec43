"""S3 buckets deliver server access logs."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="s3_bucket_access_logging",
    title="S3 buckets have server access logging",
    severity=Severity.MEDIUM,
    category=Category.AUDIT_LOGGING,
    rationale=(
        "Object-level access to recordings and transcripts must be traceable to a requester (PCI DSS "
        "10.2.1). The bucket that receives access logs is exempt: logging it into itself would loop."
    ),
    remediation=(
        "aws.s3.BucketLogging('logging', bucket=bucket.bucket, target_bucket=access_logs.bucket,\n"
        "    target_prefix=pulumi.Output.concat(bucket.bucket, '/'))"
    ),
    resource_types=rel.BUCKET_TYPES,
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(bucket: Resource) -> rel.Verdict:
        logging = index.bucket_settings(bucket).logging
        if logging:
            target = logging[0].prop("targetBucket", None)
            if rel.is_unknown(target):
                return rel.unknown(f"{logging[0].name}.targetBucket")
            return rel.passed(
                f"server access logs go to {target}", rel.ev(f"{logging[0].name}.targetBucket", target)
            )
        if index.is_log_target(bucket):
            return rel.not_applicable("this bucket receives other buckets' server access logs")
        if index.maybe_log_target(bucket):
            return rel.unknown("targetBucket of the access-log configurations")
        return rel.missing_setting(
            index,
            bucket,
            "logging",
            "no server access logging configuration names this bucket",
            rel.ev("logging", None, "a BucketLogging with a target bucket"),
        )

    return rel.each(context, META, check)
