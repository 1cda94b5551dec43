"""Log groups keep events at least as long as their data class requires (PCI DSS 10.5.1: 1 year)."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta
from supportops.stacks.config import DataClassName

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="log_group_retention_minimum",
    title="Log groups retain events for at least the data class minimum",
    severity=Severity.HIGH,
    category=Category.RETENTION,
    rationale=(
        "PCI DSS 10.5.1 keeps audit log history for at least 12 months; a log group retains events "
        "for retention_in_days, so it must be at least the minimum of its data class (application "
        "logs when it carries no class of its own)."
    ),
    remediation=(
        "aws.cloudwatch.LogGroup('app', kms_key_id=key.arn,\n"
        "    retention_in_days=supported_retention(config.data_class(cls).retention_days))"
    ),
    resource_types=(rel.LOG_GROUP,),
)


def log_class(index: rel.Relations, group: Resource) -> DataClassName:
    return index.data_class(group) or DataClassName.APPLICATION_LOGS


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(group: Resource) -> rel.Verdict:
        value = group.prop("retentionInDays", None)
        if rel.is_unknown(value):
            return rel.unknown("retentionInDays")
        data_class = log_class(index, group)
        minimum = context.config.data_class(data_class).min_days
        days = rel.whole_number(value, "retentionInDays", minimum=0)  # 0: never expire
        evidence = rel.ev("retentionInDays", days, f">= {minimum} ({data_class.tag_value})")
        if not days:
            return rel.passed("events never expire", evidence)
        if days < minimum:
            return rel.failed(f"events are kept {days:g} days, below the {minimum}-day minimum", evidence)
        return rel.passed(f"events are kept {days:g} days", evidence)

    return rel.each(context, META, check)
