"""S3 buckets expire their objects (nothing is kept forever)."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import premises
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="s3_bucket_lifecycle_expiration",
    title="S3 buckets have a lifecycle rule expiring objects",
    severity=Severity.HIGH,
    category=Category.RETENTION,
    rationale=(
        "GDPR Art. 5(1)(e) storage limitation and PCI DSS 3.2.1: data without an expiration is kept "
        "forever. An enabled lifecycle rule with an expiration deletes it at the end of its period."
    ),
    remediation=(
        "aws.s3.BucketLifecycleConfiguration('lifecycle', bucket=bucket.bucket, rules=[{\n"
        "    'id': 'retention', 'status': 'Enabled', 'filter': {'prefix': ''},\n"
        "    'expiration': {'days': config.data_class(data_class).retention_days}}])"
    ),
    resource_types=rel.BUCKET_TYPES,
    needs_stack=True,
)


def expiration_days(index: rel.Relations, bucket: Resource) -> tuple[list[float], rel.Verdict | None]:
    """Expiration days of the bucket's enabled lifecycle rules (a verdict when unknown)."""
    days: list[float] = []
    for config in index.bucket_settings(bucket).lifecycle:
        rules = config.prop("rules", None)
        if rel.is_unknown(rules):
            return [], rel.unknown(f"{config.name}.rules")
        for i, _ in enumerate(rel.items(rules, f"{config.name}.rules")):
            status = config.prop(f"rules.{i}.status", None)
            value = config.prop(f"rules.{i}.expiration.days", None)
            if rel.is_unknown(status) or rel.is_unknown(value):
                return [], rel.unknown(f"{config.name}.rules.{i}.expiration.days")
            if rel.choice(status, f"{config.name}.rules.{i}.status", ("Enabled", "Disabled")) != "Enabled":
                continue
            number = rel.whole_number(value, f"{config.name}.rules.{i}.expiration.days", minimum=1)
            if number is not None:
                days.append(number)
    return days, None


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(bucket: Resource) -> rel.Verdict:
        if premises.website_configuration(index, bucket) is not None:
            return rel.not_applicable(f"{premises.WEBSITE_REASON}, whose pages must not expire")
        days, pending = expiration_days(index, bucket)
        if pending is not None:
            return pending
        if not days:
            return rel.missing_setting(
                index,
                bucket,
                "lifecycle",
                "no enabled lifecycle rule expires objects: they are kept forever",
                rel.ev("lifecycle.rules[].expiration.days", None, "an expiration in days"),
            )
        return rel.passed(
            f"objects expire after {max(days):g} days", rel.ev("lifecycle.rules[].expiration.days", max(days))
        )

    return rel.each(context, META, check)
