"""Log groups expire events by their data class maximum (never "never expire")."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta
from supportops.policies.rules.log_group_retention_minimum import log_class

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="log_group_retention_maximum",
    title="Log groups expire events (retention set, at most the data class maximum)",
    severity=Severity.MEDIUM,
    category=Category.RETENTION,
    rationale=(
        "Logs hold caller numbers, contact ids and names; GDPR Art. 5(1)(e) storage limitation "
        "forbids keeping them forever. A log group without retention_in_days (or 0) never expires "
        "its events; a retention above the class maximum keeps them too long."
    ),
    remediation="aws.cloudwatch.LogGroup('app', kms_key_id=key.arn, retention_in_days=365)",
    resource_types=(rel.LOG_GROUP,),
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(group: Resource) -> rel.Verdict:
        value = group.prop("retentionInDays", None)
        if rel.is_unknown(value):
            return rel.unknown("retentionInDays")
        data_class = log_class(index, group)
        maximum = context.config.data_class(data_class).max_days
        days = rel.whole_number(value, "retentionInDays", minimum=0)  # 0: never expire
        evidence = rel.ev("retentionInDays", days, f"1..{maximum} ({data_class.tag_value})")
        if not days:
            return rel.failed("events never expire (no retention set)", evidence)
        if days > maximum:
            return rel.failed(f"events are kept {days:g} days, above the {maximum}-day maximum", evidence)
        return rel.passed(f"events expire after {days:g} days", evidence)

    return rel.each(context, META, check)
