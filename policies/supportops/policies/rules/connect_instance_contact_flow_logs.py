"""Connect instances log contact flow execution to CloudWatch."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="connect_instance_contact_flow_logs",
    title="Connect instances have contact flow logs enabled",
    severity=Severity.MEDIUM,
    category=Category.AUDIT_LOGGING,
    rationale=(
        "Flow logs record which blocks each contact went through (recording paused, input "
        "encrypted, queue chosen): the evidence that card-data handling ran as designed "
        "(PCI DSS 10.2.1)."
    ),
    remediation="aws.connect.Instance('contact-center', ..., contact_flow_logs_enabled=True)",
    resource_types=(rel.CONNECT_INSTANCE,),
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(instance: Resource) -> rel.Verdict:
        value = instance.prop("contactFlowLogsEnabled", None)
        if rel.is_unknown(value):
            return rel.unknown("contactFlowLogsEnabled")
        if rel.flag(value, "contactFlowLogsEnabled") is True:
            return rel.passed("contact flow logs are enabled", rel.ev("contactFlowLogsEnabled", value))
        return rel.failed("contact flow logs are off", rel.ev("contactFlowLogsEnabled", value, "true"))

    return rel.each(context, META, check)
