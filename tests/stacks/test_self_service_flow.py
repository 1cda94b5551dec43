"""The bot's intents and the self-service IVR flow, as data: escalation paths, redaction, determinism,
the bot pilot's traffic split and the hand-back of low-confidence answers."""

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
    LEX_INTENT_CONFIDENCE,
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


def _actions(inputs: SelfServiceFlowInputs = INPUTS) -> dict[str, dict[str, Any]]:
    content = json.loads(self_service_flow(inputs).render())
    return {a["Identifier"]: a for a in content["Actions"]}


def _path(actions: dict[str, dict[str, Any]], start: str) -> list[dict[str, Any]]:
    """The actions visited from ``start`` following NextAction hops (until an action has none)."""
    seen: list[dict[str, Any]] = []
    current: str | None = start
    while current is not None and all(a["Identifier"] != current for a in seen):
        seen.append(actions[current])
        current = actions[current]["Transitions"].get("NextAction")
    return seen


def _attributes_set(path: list[dict[str, Any]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for action in path:
        if action["Type"] == "UpdateContactAttributes":
            found.update(action["Parameters"]["Attributes"])
    return found


def _queue_of(path: list[dict[str, Any]]) -> str | None:
    return next((a["Parameters"]["QueueId"] for a in path if a["Type"] == "UpdateContactTargetQueue"), None)


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
        path = _path(actions, target)
        assert _queue_of(path) == INPUTS.escalation_queue_arn
        assert _attributes_set(path) == {"selfServiceOutcome": "escalated"}
        assert _reaches(actions, target, "TransferContactToQueue")
    # A fulfilled tier-1 request goes through the confidence check first.
    assert errors["NoMatchingCondition"] == "confidence"


def test_flow_logs_and_records_with_redacted_analytics_before_the_bot() -> None:
    content = json.loads(self_service_flow(INPUTS).render())
    actions = {a["Identifier"]: a for a in content["Actions"]}
    assert actions[content["StartAction"]]["Type"] == "UpdateFlowLoggingBehavior"
    recording = next(a for a in actions.values() if a["Type"] == "UpdateContactRecordingBehavior")
    assert recording["Parameters"]["AnalyticsBehavior"]["AnalyticsRedactionBehavior"] == "Enabled"
    assert recording["Parameters"]["AnalyticsBehavior"]["AnalyticsRedactionResults"] == "RedactedOnly"
    assert recording["Transitions"]["NextAction"] == "pilot-split"


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


def test_the_pilot_sends_the_configured_share_to_the_bot_and_the_rest_to_agents() -> None:
    actions = _actions()
    split = actions["pilot-split"]
    assert split["Type"] == "DistributeByPercentage"
    # Connect draws 1..100: numbers below 11 (1..10, i.e. 10 %) take the bot branch.
    (condition,) = split["Transitions"]["Conditions"]
    assert condition["Condition"] == {"Operator": "NumberLessThan", "Operands": ["11"]}
    bot_path = _path(actions, condition["NextAction"])
    assert [a["Type"] for a in bot_path[:2]] == ["UpdateContactAttributes", "ConnectParticipantWithLexBot"]
    assert bot_path[0]["Parameters"]["Attributes"] == {"pilotArm": "bot"}
    (otherwise,) = split["Transitions"]["Errors"]
    assert otherwise["ErrorType"] == "NoMatchingCondition"
    agent_path = _path(actions, otherwise["NextAction"])
    assert _attributes_set(agent_path) == {"pilotArm": "agent"}
    assert _queue_of(agent_path) == INPUTS.escalation_queue_arn
    assert agent_path[-1]["Type"] == "TransferContactToQueue"
    assert not any(a["Type"] == "ConnectParticipantWithLexBot" for a in agent_path)


@pytest.mark.parametrize(("percent", "operand"), [(5, "6"), (37, "38"), (99, "100")])
def test_the_split_follows_the_configured_percentage(percent: int, operand: str) -> None:
    actions = _actions(SelfServiceFlowInputs(**{**INPUTS.__dict__, "bot_traffic_percent": percent}))
    (condition,) = actions["pilot-split"]["Transitions"]["Conditions"]
    assert condition["Condition"]["Operands"] == [operand]


def test_zero_and_a_hundred_percent_need_no_split() -> None:
    none = _actions(SelfServiceFlowInputs(**{**INPUTS.__dict__, "bot_traffic_percent": 0}))
    assert "pilot-split" not in none
    assert none["recording"]["Transitions"]["NextAction"] == "arm-agent"
    everyone = _actions(SelfServiceFlowInputs(**{**INPUTS.__dict__, "bot_traffic_percent": 100}))
    assert "pilot-split" not in everyone
    assert everyone["recording"]["Transitions"]["NextAction"] == "arm-bot"
    with pytest.raises(ValueError, match="between 0 and 100"):
        SelfServiceFlowInputs(**{**INPUTS.__dict__, "bot_traffic_percent": 101})


def test_answers_below_the_precision_floor_are_handed_to_an_agent() -> None:
    actions = _actions(SelfServiceFlowInputs(**{**INPUTS.__dict__, "precision_floor": 0.85}))
    check = actions["confidence"]
    assert check["Type"] == "Compare"
    assert check["Parameters"] == {"ComparisonValue": LEX_INTENT_CONFIDENCE}
    (confident,) = check["Transitions"]["Conditions"]
    assert confident["Condition"] == {"Operator": "NumberGreaterOrEqualTo", "Operands": ["0.85"]}
    resolved = _path(actions, confident["NextAction"])
    assert _attributes_set(resolved) == {"selfServiceOutcome": "resolved"}
    assert resolved[-1]["Type"] == "DisconnectParticipant" and _queue_of(resolved) is None
    (low,) = check["Transitions"]["Errors"]
    handed_back = _path(actions, low["NextAction"])
    assert _attributes_set(handed_back) == {"selfServiceOutcome": "handed_back"}
    assert _queue_of(handed_back) == INPUTS.escalation_queue_arn
    assert handed_back[-1]["Type"] == "TransferContactToQueue"


def test_attribute_failures_never_drop_the_caller() -> None:
    for action in _actions().values():
        if action["Type"] == "UpdateContactAttributes":
            (error,) = action["Transitions"]["Errors"]
            assert error["NextAction"] == action["Transitions"]["NextAction"]


def test_stack_config_bounds_the_pilot() -> None:
    config = StackConfig(environment="demo", phase="automation")
    assert (config.bot_pilot.traffic_percent, config.bot_pilot.precision_floor) == (10, 0.7)
    custom = StackConfig.model_validate(
        {
            "environment": "demo",
            "phase": "automation",
            "botPilot": {"trafficPercent": 5, "precisionFloor": 0.9},
        }
    )
    assert (custom.bot_pilot.traffic_percent, custom.bot_pilot.precision_floor) == (5, 0.9)
    for bad in (
        {"trafficPercent": 101},
        {"trafficPercent": -1},
        {"trafficPercent": "10"},
        {"precisionFloor": 1.5},
    ):
        with pytest.raises(ValueError, match="botPilot"):
            StackConfig.model_validate({"environment": "demo", "phase": "automation", "botPilot": bad})
