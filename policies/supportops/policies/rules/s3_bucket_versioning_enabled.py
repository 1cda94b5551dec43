"""S3 buckets keep object versions (recovery from overwrite and deletion)."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="s3_bucket_versioning_enabled",
    title="S3 buckets have versioning enabled",
    severity=Severity.MEDIUM,
    category=Category.RESILIENCE,
    rationale=(
        "Versioning lets an overwritten or deleted recording or audit object be restored within the "
        "RPO, and is required by S3 replication and Object Lock."
    ),
    remediation=(
        "aws.s3.BucketVersioning('versioning', bucket=bucket.bucket,\n"
        "    versioning_configuration={'status': 'Enabled'})"
    ),
    resource_types=rel.BUCKET_TYPES,
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(bucket: Resource) -> rel.Verdict:
        configs = index.bucket_settings(bucket).versioning
        if not configs:
            return rel.missing_setting(
                index,
                bucket,
                "versioning",
                "no versioning configuration names this bucket",
                rel.ev("versioning", None, "a BucketVersioning with status Enabled"),
            )
        for config in configs:
            status = config.prop("versioningConfiguration.status", None)
            path = f"{config.name}.versioningConfiguration.status"
            if rel.is_unknown(status):
                return rel.unknown(path)
            if status == "Enabled":
                return rel.passed("versioning is enabled", rel.ev(path, status))
        return rel.failed(f"versioning is {status or 'not set'}", rel.ev(path, status, "Enabled"))

    return rel.each(context, META, check)
