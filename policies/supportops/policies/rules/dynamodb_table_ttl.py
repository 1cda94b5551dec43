"""DynamoDB tables holding personal data expire items with TTL (GDPR erasure)."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="dynamodb_table_ttl",
    title="DynamoDB tables with personal data have TTL enabled",
    severity=Severity.MEDIUM,
    category=Category.PRIVACY,
    rationale=(
        "Customer context cached for flows is personal data; a TTL attribute set from the data "
        "class's retention deletes each item when its period ends, without a clean-up job "
        "(GDPR Art. 5(1)(e), Art. 17)."
    ),
    remediation="aws.dynamodb.Table('context', ..., ttl={'attributeName': 'expiresAt', 'enabled': True})",
    resource_types=("aws:dynamodb/table:Table",),
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(table: Resource) -> rel.Verdict:
        data_class = index.data_class(table)
        if data_class is None:
            return rel.not_applicable("the table carries no data class (see data_store_classified)")
        if not context.config.data_class(data_class).contains_personal_data:
            return rel.not_applicable(f"{data_class.tag_value} holds no personal data")
        enabled = table.prop("ttl.enabled", None)
        attribute = table.prop("ttl.attributeName", None)
        if rel.is_unknown(enabled) or rel.is_unknown(attribute):
            return rel.unknown("ttl")
        evidence = rel.ev(
            "ttl", {"enabled": enabled, "attributeName": attribute}, "enabled with an attribute"
        )
        if rel.flag(enabled, "ttl.enabled") is True and rel.text(attribute, "ttl.attributeName"):
            return rel.passed(f"items expire by {attribute}", evidence)
        return rel.failed(f"{data_class.tag_value} items never expire (TTL off)", evidence)

    return rel.each(context, META, check)
