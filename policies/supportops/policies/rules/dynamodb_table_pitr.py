"""DynamoDB tables have point-in-time recovery."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="dynamodb_table_pitr",
    title="DynamoDB tables have point-in-time recovery enabled",
    severity=Severity.HIGH,
    category=Category.RESILIENCE,
    rationale=(
        "Point-in-time recovery restores a table to any second of the last 35 days: the only way a "
        "DynamoDB table meets a 15-minute RPO."
    ),
    remediation="aws.dynamodb.Table('context', ..., point_in_time_recovery={'enabled': True})",
    resource_types=("aws:dynamodb/table:Table",),
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(resource: Resource) -> rel.Verdict:
        value = resource.prop("pointInTimeRecovery.enabled", None)
        if rel.is_unknown(value):
            return rel.unknown("pointInTimeRecovery.enabled")
        evidence = rel.ev("pointInTimeRecovery.enabled", value, "true")
        if rel.flag(value, "pointInTimeRecovery.enabled") is True:
            return rel.passed("point-in-time recovery is on", evidence)
        return rel.failed("point-in-time recovery is off", evidence)

    return rel.each(context, META, check)
