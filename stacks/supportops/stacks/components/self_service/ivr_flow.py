"""The self-service IVR flow, generated with the telephony flow language: log, record with redacted
analytics, let the Lex bot handle tier-1 requests, and hand escalations, unmatched requests and
errors to an agent queue. Deterministic JSON (see telephony.flows.language)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from supportops.stacks.components.self_service.intents import IntentDefinition, escalation_intents
from supportops.stacks.components.telephony.flows.language import (
    Action,
    Condition,
    ErrorBranch,
    Flow,
    disconnect,
    message,
    recording_with_redacted_analytics,
    set_flow_logging,
    set_queue,
    transfer_to_queue,
)
from supportops.stacks.config import SlaTier


@dataclass(frozen=True)
class SelfServiceFlowInputs:
    bot_alias_arn: str
    escalation_queue_arn: str
    language: str  # e.g. en-US
    intents: tuple[IntentDefinition, ...]
    greeting: str = "Welcome to support. Tell me briefly how I can help."


def escalation_tier(tiers: Sequence[SlaTier]) -> SlaTier:
    """The queue self-service escalations go to: staffed around the clock, and the least urgent
    such tier (a caller who merely asked for a person is not a critical incident)."""
    always_open = [t for t in tiers if not t.business_hours_only]
    return max(always_open or tiers, key=lambda t: t.respond_minutes)


def connect_with_bot(
    identifier: str, inputs: SelfServiceFlowInputs, on_escalate: str, on_done: str, on_error: str
) -> Action:
    return Action(
        identifier,
        "ConnectParticipantWithLexBot",
        {"Text": inputs.greeting, "LexV2Bot": {"AliasArn": inputs.bot_alias_arn}},
        next_action=on_done,
        conditions=tuple(Condition((name,), on_escalate) for name in escalation_intents(inputs.intents)),
        errors=(ErrorBranch("NoMatchingCondition", on_done), ErrorBranch("NoMatchingError", on_error)),
    )


def self_service_flow(inputs: SelfServiceFlowInputs) -> Flow:
    return Flow(
        start_action="logging",
        description="Self-service: Lex bot for tier-1 requests, escalation to an agent",
        actions=(
            set_flow_logging("logging", "recording"),
            recording_with_redacted_analytics("recording", "bot", inputs.language),
            connect_with_bot(
                "bot", inputs, on_escalate="escalate-queue", on_done="goodbye", on_error="escalate-queue"
            ),
            set_queue("escalate-queue", inputs.escalation_queue_arn, "transfer", on_error="sorry"),
            transfer_to_queue("transfer", at_capacity="sorry", on_error="sorry"),
            message("goodbye", "Thank you for contacting support. Goodbye.", "end"),
            message("sorry", "We cannot connect you right now. Please try again later.", "end"),
            disconnect("end"),
        ),
    )
