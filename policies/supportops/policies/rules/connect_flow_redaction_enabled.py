"""Contact flows that record or analyse contacts turn Contact Lens redaction on, redacted output only."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="connect_flow_redaction_enabled",
    title="Recording flows enable Contact Lens redaction with redacted-only output",
    severity=Severity.CRITICAL,
    category=Category.CARD_DATA,
    rationale=(
        "Callers say card numbers and personal data aloud; a flow that records or analyses the "
        "contact must enable Contact Lens sensitive-data redaction and keep only the redacted "
        "output (AnalyticsRedactionResults RedactedOnly), or the original is stored (PCI DSS 3.3.1, "
        "3.4.1; GDPR Art. 25)."
    ),
    remediation=(
        "recording_with_redacted_analytics('record', 'next', language='en-US')  # flows/language.py:\n"
        "# AnalyticsBehavior: Enabled True, AnalyticsRedactionBehavior Enabled,\n"
        "#                    AnalyticsRedactionResults RedactedOnly"
    ),
    resource_types=rel.FLOW_TYPES,
)


def _problem(action: rel.FlowAction) -> str | None:
    participants = action.recorded_participants
    analytics = action.parameters.get("AnalyticsBehavior")
    analytics = analytics if isinstance(analytics, Mapping) else {}
    analysing = str(analytics.get("Enabled", "")).lower() == "true"
    if not participants and not analysing:
        return None  # pauses recording, or does not record
    if not analysing:
        return "records without Contact Lens analytics (no redaction)"
    if str(analytics.get("AnalyticsRedactionBehavior", "")) != "Enabled":
        return f"redaction is {analytics.get('AnalyticsRedactionBehavior') or 'not set'}"
    if str(analytics.get("AnalyticsRedactionResults", "")) != "RedactedOnly":
        return f"redaction keeps {analytics.get('AnalyticsRedactionResults') or 'the original'}"
    return None


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(flow_resource: Resource) -> rel.Verdict:
        try:
            flow = rel.parse_flow(flow_resource)
        except rel.PolicyUnknown:
            return rel.unknown("content")
        if flow is None:
            return rel.errored("the flow has no content", rel.ev("content", None))
        blocks = flow.of_type(rel.RECORDING_ACTION)
        recording = [a for a in blocks if a.recorded_participants or _problem(a)]
        problems = {a.identifier: p for a in blocks if (p := _problem(a))}
        if problems:
            return rel.failed(
                "; ".join(f"{ident}: {problem}" for ident, problem in sorted(problems.items())),
                rel.ev("content.Actions", sorted(problems), "redaction Enabled, RedactedOnly"),
            )
        if not recording:
            return rel.not_applicable("the flow does not turn recording or analytics on")
        return rel.passed(
            "every recording block redacts sensitive data (RedactedOnly)",
            rel.ev("content.Actions", sorted(a.identifier for a in recording)),
        )

    return rel.each(context, META, check)
