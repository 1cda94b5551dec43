"""The self-service IVR flow, generated with the telephony flow language: log, record with redacted
analytics, draw the caller into the bot pilot's arms, let the Lex bot handle tier-1 requests in the
bot arm, and hand the control arm, escalations, unmatched requests, low-confidence answers and errors
to an agent queue. Deterministic JSON (see telephony.flows.language).

The pilot (:mod:`pilot`): a ``DistributeByPercentage`` block sends ``bot_traffic_percent`` % of
callers to the bot and the rest to agents; each arm is recorded as the contact attribute
``pilotArm`` and the bot's outcome as ``selfServiceOutcome`` (Connect copies both into the contact
trace record, where the deflection and pilot KPIs read them). Human in the loop: an answer whose
intent confidence is below ``precision_floor`` is not trusted to close the contact; an agent takes
over."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from supportops.stacks.components.self_service.intents import IntentDefinition, escalation_intents
from supportops.stacks.components.self_service.pilot import ARM_ATTRIBUTE, OUTCOME_ATTRIBUTE, Arm, Outcome
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

# The winning intent's confidence (0.00-1.00) after a Lex V2 interaction: the flow data JSONPath
# behind "Check contact attributes > Lex > Intent confidence score".
LEX_INTENT_CONFIDENCE = "$.Lex.IntentConfidence.Score"


@dataclass(frozen=True)
class SelfServiceFlowInputs:
    bot_alias_arn: str
    escalation_queue_arn: str
    language: str  # e.g. en-US
    intents: tuple[IntentDefinition, ...]
    greeting: str = "Welcome to support. Tell me briefly how I can help."
    bot_traffic_percent: int = 10  # share of callers in the bot arm (StackConfig.bot_pilot)
    precision_floor: float = 0.7  # below this intent confidence an agent takes over

    def __post_init__(self) -> None:
        if not 0 <= self.bot_traffic_percent <= 100:
            raise ValueError("bot_traffic_percent must be between 0 and 100")
        if not 0 <= self.precision_floor <= 1:
            raise ValueError("precision_floor must be between 0 and 1")


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


def distribute_by_percentage(identifier: str, branches: Sequence[tuple[int, str]], otherwise: str) -> Action:
    """Connect draws a number from 1 to 100; each branch takes the next ``percent`` of them
    (a chain of NumberLessThan on the running total + 1); the rest go to ``otherwise``.
    Branches of 0 % are left out, and so is a branch reaching past 100 (Connect refuses it)."""
    conditions: list[Condition] = []
    total = 0
    for percent, target in branches:
        if percent <= 0:
            continue
        total += percent
        if total >= 100:
            raise ValueError("branches must leave some traffic to the default branch")
        conditions.append(Condition((str(total + 1),), target, operator="NumberLessThan"))
    return Action(
        identifier,
        "DistributeByPercentage",
        conditions=tuple(conditions),
        errors=(ErrorBranch("NoMatchingCondition", otherwise),),
    )


def set_contact_attributes(identifier: str, attributes: Mapping[str, str], next_action: str) -> Action:
    """Store user-defined attributes on the current contact. A failure to store them must not drop
    the caller: the error branch goes on to the same next action."""
    return Action(
        identifier,
        "UpdateContactAttributes",
        {"Attributes": dict(attributes), "TargetContact": "Current"},
        next_action,
        errors=(ErrorBranch("NoMatchingError", next_action),),
    )


def confidence_check(identifier: str, floor: float, confident: str, otherwise: str) -> Action:
    return Action(
        identifier,
        "Compare",
        {"ComparisonValue": LEX_INTENT_CONFIDENCE},
        conditions=(Condition((f"{floor:g}",), confident, operator="NumberGreaterOrEqualTo"),),
        errors=(ErrorBranch("NoMatchingCondition", otherwise),),
    )


def _pilot_entry(inputs: SelfServiceFlowInputs) -> tuple[str, tuple[Action, ...]]:
    """The first action after recording, and the split (only while both arms get traffic)."""
    percent = inputs.bot_traffic_percent
    if percent == 0:
        return "arm-agent", ()
    if percent == 100:
        return "arm-bot", ()
    return "pilot-split", (distribute_by_percentage("pilot-split", [(percent, "arm-bot")], "arm-agent"),)


def self_service_flow(inputs: SelfServiceFlowInputs) -> Flow:
    entry, split = _pilot_entry(inputs)
    return Flow(
        start_action="logging",
        description=(
            f"Self-service: bot pilot ({inputs.bot_traffic_percent} % of callers to the Lex bot, the rest "
            f"to agents), answers below confidence {inputs.precision_floor:g} handed to an agent"
        ),
        actions=(
            set_flow_logging("logging", "recording"),
            recording_with_redacted_analytics("recording", entry, inputs.language),
            *split,
            set_contact_attributes("arm-bot", {ARM_ATTRIBUTE: Arm.BOT.value}, "bot"),
            set_contact_attributes("arm-agent", {ARM_ATTRIBUTE: Arm.AGENT.value}, "escalate-queue"),
            connect_with_bot(
                "bot", inputs, on_escalate="escalated", on_done="confidence", on_error="escalated"
            ),
            confidence_check(
                "confidence", inputs.precision_floor, confident="resolved", otherwise="hand-back"
            ),
            set_contact_attributes("resolved", {OUTCOME_ATTRIBUTE: Outcome.RESOLVED.value}, "goodbye"),
            set_contact_attributes(
                "hand-back", {OUTCOME_ATTRIBUTE: Outcome.HANDED_BACK.value}, "handing-back"
            ),
            message(
                "handing-back", "Let me connect you to an agent to make sure this is right.", "escalate-queue"
            ),
            set_contact_attributes(
                "escalated", {OUTCOME_ATTRIBUTE: Outcome.ESCALATED.value}, "escalate-queue"
            ),
            set_queue("escalate-queue", inputs.escalation_queue_arn, "transfer", on_error="sorry"),
            transfer_to_queue("transfer", at_capacity="sorry", on_error="sorry"),
            message("goodbye", "Thank you for contacting support. Goodbye.", "end"),
            message("sorry", "We cannot connect you right now. Please try again later.", "end"),
            disconnect("end"),
        ),
    )
