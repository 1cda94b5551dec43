"""Inbound contact flows turn flow logging on for the contact."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="connect_flow_logging_enabled",
    title="Inbound contact flows enable flow logging (Set logging behavior)",
    severity=Severity.MEDIUM,
    category=Category.AUDIT_LOGGING,
    rationale=(
        "Connect writes flow logs only for contacts whose flow runs a Set logging behavior block "
        "(UpdateFlowLoggingBehavior Enabled); the instance setting alone logs nothing. Entry flows "
        "(type CONTACT_FLOW) must enable it; transfer flows and modules inherit it (PCI DSS 10.2.1)."
    ),
    remediation=(
        "Flow(start_action='logging', actions=(set_flow_logging('logging', 'record'), ...))\n"
        "# flows/language.py: UpdateFlowLoggingBehavior {'FlowLoggingBehavior': 'Enabled'}"
    ),
    resource_types=("aws:connect/contactFlow:ContactFlow", "aws-native:connect:ContactFlow"),
)

ENTRY_TYPES = frozenset({"CONTACT_FLOW", None})


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(flow_resource: Resource) -> rel.Verdict | None:
        kind = rel.top(flow_resource, "type")
        if rel.is_unknown(kind):
            return rel.unknown("type")
        if kind not in ENTRY_TYPES:
            return None  # transfer, hold, whisper flows run inside a contact already logging
        try:
            flow = rel.parse_flow(flow_resource)
        except rel.PolicyUnknown:
            return rel.unknown("content")
        if flow is None:
            return rel.errored("the flow has no content", rel.ev("content", None))
        enabling = [
            a.identifier
            for a in flow.of_type("UpdateFlowLoggingBehavior")
            if str(a.parameters.get("FlowLoggingBehavior", "")) == "Enabled"
        ]
        evidence = rel.ev("content.Actions", enabling, "UpdateFlowLoggingBehavior Enabled")
        if enabling:
            return rel.passed("the flow enables flow logging", evidence)
        return rel.failed("the flow never enables flow logging", evidence)

    return rel.each(context, META, check)
