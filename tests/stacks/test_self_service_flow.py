"""The bot's intents and the self-service IVR flow, as data: escalation paths, redaction, determinism."""

from __future__ import annotations

import json
from typing import Any

import pytest

from supportops.stacks.components.self_service.intents import (
    ESCALATION_INTENT,
    FALLBACK_INTENT,
    TIER_ONE_INTENTS,
    IntentDefinition,
)
from supportops.stacks.components.self_service.ivr_flow import (
    SelfServiceFlowInputs,
    escalation_tier,
    self_service_flow,
)
from supportops.stacks.config import SlaTier, StackConfig

INPUTS = SelfServiceFlowInputs(
    bot_alias_arn="arn:aws:lex:us-east-1:111122223333:bot-alias/BOT/ALIAS",
    escalation_queue_arn="arn:aws:connect:us-east-1:111122223333:instance/i/queue/q",
    language="en-US",
    intents=TIER_ONE_INTENTS,
)


def _actions() -> dict[str, dict[str, Any]]:
    content = json.loads(self_service_flow(INPUTS).render())
    return {a["Identifier"]: a for a in content["Actions"]}


def _reaches(actions: dict[str, dict[str, Any]], start: str, goal_type: str) -> bool:
    """Whether every path from ``start`` through NextAction hops reaches an action of ``goal_type``."""
    seen, current = set(), start
    while current not in seen:
        seen.add(current)
        action = actions[current]
        if action["Type"] == goal_type:
            return True
        current = action["Transitions"].get("NextAction", current)
    return False


def test_intents_are_distinct_and_exactly_one_escalates() -> None:
    names = [i.name for i in TIER_ONE_INTENTS]
    assert len(set(names)) == len(names)
    utterances = [u.lower() for i in TIER_ONE_INTENTS for u in i.utterances]
    assert len(set(utterances)) == len(utterances), "an utterance shared by two intents is ambiguous"
    assert [i.name for i in TIER_ONE_INTENTS if i.escalates] == [ESCALATION_INTENT]


def test_an_intent_needs_three_distinct_utterances() -> None:
    with pytest.raises(ValueError, match="3 distinct utterances"):
        IntentDefinition(name="Thin", description="d", utterances=("a", "a", "b"), reply="r")


def test_escalation_and_unmatched_requests_go_to_an_agent_queue() -> None:
    actions = _actions()
    bot = actions["bot"]
    assert bot["Type"] == "ConnectParticipantWithLexBot"
    assert bot["Parameters"]["LexV2Bot"] == {"AliasArn": INPUTS.bot_alias_arn}
    branches = {c["Condition"]["Operands"][0]: c["NextAction"] for c in bot["Transitions"]["Conditions"]}
    assert set(branches) == {ESCALATION_INTENT, FALLBACK_INTENT}
    errors = {e["ErrorType"]: e["NextAction"] for e in bot["Transitions"]["Errors"]}
    for target in (*branches.values(), errors["NoMatchingError"]):
        assert actions[target]["Parameters"]["QueueId"] == INPUTS.escalation_queue_arn
        assert _reaches(actions, target, "TransferContactToQueue")
    # A fulfilled tier-1 request ends politely.
    assert _reaches(actions, errors["NoMatchingCondition"], "DisconnectParticipant")


def test_flow_logs_and_records_with_redacted_analytics_before_the_bot() -> None:
    content = json.loads(self_service_flow(INPUTS).render())
    actions = {a["Identifier"]: a for a in content["Actions"]}
    assert actions[content["StartAction"]]["Type"] == "UpdateFlowLoggingBehavior"
    recording = next(a for a in actions.values() if a["Type"] == "UpdateContactRecordingBehavior")
    assert recording["Parameters"]["AnalyticsBehavior"]["AnalyticsRedactionBehavior"] == "Enabled"
    assert recording["Parameters"]["AnalyticsBehavior"]["AnalyticsRedactionResults"] == "RedactedOnly"
    assert recording["Transitions"]["NextAction"] == "bot"


def test_rendering_is_byte_identical_for_the_same_inputs() -> None:
    rendered = self_service_flow(INPUTS).render()
    assert rendered == self_service_flow(INPUTS).render()
    # Canonical JSON (sorted keys, no whitespace): the bytes do not depend on dict insertion order.
    assert rendered == json.dumps(json.loads(rendered), sort_keys=True, separators=(",", ":"))


def test_escalations_go_to_the_least_urgent_round_the_clock_tier() -> None:
    assert escalation_tier(StackConfig(environment="demo", phase="automation").sla_tiers).name == "High"
    only_business = [
        SlaTier(name="Office", respond_minutes=60, resolve_minutes=600, business_hours_only=True)
    ]
    assert escalation_tier(only_business).name == "Office"
