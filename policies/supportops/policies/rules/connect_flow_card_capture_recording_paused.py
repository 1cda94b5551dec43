"""Recording is paused whenever a flow captures card input."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="connect_flow_card_capture_recording_paused",
    title="Recording is paused on every path to a card-capture (stored input) block",
    severity=Severity.CRITICAL,
    category=Category.CARD_DATA,
    rationale=(
        "DTMF tones of a card number end up in the recording unless recording is paused before the "
        "Store customer input block; PCI DSS 3.3.1 forbids storing sensitive authentication data "
        "and 3.4.1 the PAN in recordings. Every path from the start must pass a pause."
    ),
    remediation=(
        "Flow(start_action='pause', actions=(pause_recording('pause', 'capture'),\n"
        "     capture_card_number('capture', inputs, 'resume'), recording_with_redacted_analytics(...)))"
    ),
    resource_types=rel.FLOW_TYPES,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(flow_resource: Resource) -> rel.Verdict:
        try:
            flow = rel.parse_flow(flow_resource)
        except rel.PolicyUnknown:
            return rel.unknown("content")
        if flow is None:
            return rel.errored("the flow has no content", rel.ev("content", None))
        captures = sorted(a.identifier for a in flow.actions.values() if a.stores_input)
        if not captures:
            return rel.not_applicable("the flow captures no stored input")
        exposed = rel.recording_at_capture(flow)
        if exposed:
            return rel.failed(
                f"recording may be on at {', '.join(exposed)}",
                rel.ev("content.Actions", exposed, "recording paused before capture"),
            )
        return rel.passed(
            "recording is paused on every path to a capture", rel.ev("content.Actions", captures)
        )

    return rel.each(context, META, check)
