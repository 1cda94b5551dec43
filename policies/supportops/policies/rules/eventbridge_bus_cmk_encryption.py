"""Custom EventBridge buses encrypt events with a customer-managed key."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="eventbridge_bus_cmk_encryption",
    title="EventBridge buses encrypt events with a customer-managed key",
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION_AT_REST,
    rationale=(
        "Contact events on the CRM bus carry caller numbers and contact attributes; without "
        "kms_key_identifier EventBridge encrypts them with an AWS-owned key outside the account's "
        "key policy (GDPR Art. 32). Medium: events are transient (24-hour retry window)."
    ),
    remediation="aws.cloudwatch.EventBus('contact-events', kms_key_identifier=key.arn)",
    resource_types=("aws:cloudwatch/eventBus:EventBus",),
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(bus: Resource) -> rel.Verdict | None:
        if bus.prop("eventSourceName", None):
            return rel.not_applicable("a partner event bus: encryption is the partner's")
        return rel.key_verdict(index, "kmsKeyIdentifier", bus.prop("kmsKeyIdentifier", None), "events")

    return rel.each(context, META, check)
