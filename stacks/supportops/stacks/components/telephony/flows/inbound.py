"""The inbound contact flow: log, record with redacted Contact Lens analytics, greet, look the customer
up in the CRM context table (through the ticket-sync Lambda), route by SLA tier, escalate to L2 when
the tier's queue is full."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from supportops.stacks.components.telephony.flows.language import (
    Action,
    Flow,
    compare,
    disconnect,
    invoke_lambda,
    message,
    recording_with_redacted_analytics,
    set_flow_logging,
    set_queue,
    transfer_to_queue,
)

# Contact attribute the customer-context lookup returns (see functions/ticket_sync/context_lookup.py).
TIER_ATTRIBUTE = "$.External.supportTier"


@dataclass(frozen=True)
class InboundFlowInputs:
    tiers: Sequence[str]  # SLA tier names, most urgent first; the last one is the default
    queue_arns: Mapping[str, str]  # tier name -> queue ARN
    escalation_queue_arn: str  # the L2 queue contacts overflow to
    lookup_function_arn: str
    language: str = "en-US"
    greeting: str = "Thank you for contacting support. This call is recorded for quality purposes."

    def __post_init__(self) -> None:
        if not self.tiers:
            raise ValueError("an inbound flow needs at least one SLA tier")
        missing = [t for t in self.tiers if t not in self.queue_arns]
        if missing:
            raise ValueError(f"no queue for tiers: {', '.join(missing)}")


def _slug(tier: str) -> str:
    return tier.lower()


def inbound_flow(inputs: InboundFlowInputs) -> Flow:
    default_tier = inputs.tiers[-1]
    actions: list[Action] = [
        set_flow_logging("enable-flow-logs", "record-and-analyze"),
        recording_with_redacted_analytics("record-and-analyze", "greet", inputs.language),
        message("greet", inputs.greeting, "lookup-customer"),
        invoke_lambda(
            "lookup-customer", inputs.lookup_function_arn, "route-by-tier", f"queue-{_slug(default_tier)}"
        ),
        compare(
            "route-by-tier",
            TIER_ATTRIBUTE,
            [(tier, f"queue-{_slug(tier)}") for tier in inputs.tiers],
            f"queue-{_slug(default_tier)}",
        ),
    ]
    for tier in inputs.tiers:
        actions.append(set_queue(f"queue-{_slug(tier)}", inputs.queue_arns[tier], "transfer", "apologize"))
    actions += [
        transfer_to_queue("transfer", at_capacity="escalate-l2", on_error="apologize"),
        set_queue("escalate-l2", inputs.escalation_queue_arn, "transfer-escalated", "apologize"),
        transfer_to_queue("transfer-escalated", at_capacity="apologize", on_error="apologize"),
        message("apologize", "All of our agents are busy. Please try again later.", "end"),
        disconnect("end"),
    ]
    return Flow(
        start_action="enable-flow-logs",
        actions=tuple(actions),
        description="Inbound: redacted Contact Lens, CRM lookup, SLA-tier routing, L2 escalation",
    )
