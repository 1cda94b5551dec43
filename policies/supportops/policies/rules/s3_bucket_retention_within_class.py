"""S3 object expiration (and Object Lock) sits inside the data class's minimum and maximum."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta
from supportops.policies.rules.s3_bucket_lifecycle_expiration import expiration_days

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="s3_bucket_retention_within_class",
    title="S3 retention is within the data class's minimum and maximum days",
    severity=Severity.MEDIUM,
    category=Category.RETENTION,
    rationale=(
        "Each data class has a legal minimum (e.g. audit evidence 1 year, PCI DSS 10.5.1) and a "
        "GDPR ceiling; deleting earlier loses evidence, keeping longer breaks storage limitation."
    ),
    remediation=(
        "bounds = config.data_class(DataClassName.CALL_RECORDINGS)\n"
        "expiration={'days': bounds.retention_days}  # min_days <= days <= max_days"
    ),
    resource_types=rel.BUCKET_TYPES,
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(bucket: Resource) -> rel.Verdict:
        data_class = index.data_class(bucket)
        if data_class is None:
            return rel.not_applicable("the bucket carries no data-classification of a known data class")
        bounds = context.config.data_class(data_class)
        expected = f"{bounds.min_days}..{bounds.max_days} days ({data_class.tag_value})"
        days, pending = expiration_days(index, bucket)
        if pending is not None:
            return pending
        for lock in index.bucket_settings(bucket).object_lock:
            lock_days = lock.prop("rule.defaultRetention.days", None)
            if rel.is_unknown(lock_days):
                return rel.unknown(f"{lock.name}.rule.defaultRetention.days")
            value = rel.whole_number(lock_days, f"{lock.name}.rule.defaultRetention.days", minimum=1)
            if value is not None and value > bounds.max_days:
                return rel.failed(
                    f"Object Lock keeps objects {value:g} days, above the class maximum",
                    rel.ev(f"{lock.name}.rule.defaultRetention.days", value, expected),
                )
        if not days:
            return rel.not_applicable("objects never expire (reported by s3_bucket_lifecycle_expiration)")
        shortest, longest = min(days), max(days)
        if shortest < bounds.min_days:
            return rel.failed(
                f"objects expire after {shortest:g} days, below the class minimum",
                rel.ev("lifecycle.rules[].expiration.days", shortest, expected),
            )
        if longest > bounds.max_days:
            return rel.failed(
                f"objects are kept {longest:g} days, above the class maximum",
                rel.ev("lifecycle.rules[].expiration.days", longest, expected),
            )
        return rel.passed(
            f"objects expire after {longest:g} days",
            rel.ev("lifecycle.rules[].expiration.days", longest, expected),
        )

    return rel.each(context, META, check)
