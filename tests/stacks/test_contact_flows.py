"""Contact flows generated from typed Python: deterministic JSON, redaction on with redacted-only
output, recording paused and input encrypted while a card number is captured, no dangling branch."""

from __future__ import annotations

import json
from typing import Any

import pytest

from supportops.stacks.components.telephony.flows import (
    Flow,
    FlowError,
    InboundFlowInputs,
    PaymentModuleInputs,
    inbound_flow,
    payment_module,
    queue_transfer_flow,
)
from supportops.stacks.components.telephony.flows.language import Action, message

QUEUES = {"Critical": "arn:q/critical", "High": "arn:q/high", "Medium": "arn:q/medium"}
CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def inbound(**overrides: Any) -> Flow:
    values: dict[str, Any] = {
        "tiers": ["Critical", "High", "Medium"],
        "queue_arns": QUEUES,
        "escalation_queue_arn": "arn:q/l2",
        "lookup_function_arn": "arn:aws:lambda:us-east-1:1:function:lookup",
    }
    return inbound_flow(InboundFlowInputs(**{**values, **overrides}))


def actions_of(rendered: str, action_type: str) -> list[dict[str, Any]]:
    return [a for a in json.loads(rendered)["Actions"] if a["Type"] == action_type]


def test_rendering_is_byte_identical_for_the_same_inputs_and_changes_with_them() -> None:
    assert inbound().render() == inbound().render()
    assert inbound().render() != inbound(escalation_queue_arn="arn:q/other").render()
    rendered = inbound().render()
    document = json.loads(rendered)
    # Canonical JSON (sorted keys, no whitespace): the bytes do not depend on dict insertion order.
    assert rendered == json.dumps(document, sort_keys=True, separators=(",", ":"))
    assert document["Version"] == "2019-10-30"
    assert document["StartAction"] == "enable-flow-logs"


def test_inbound_records_with_contact_lens_redaction_and_redacted_output_only() -> None:
    (recording,) = actions_of(inbound().render(), "UpdateContactRecordingBehavior")
    params = recording["Parameters"]
    assert params["RecordingBehavior"]["RecordedParticipants"] == ["Agent", "Customer"]
    assert params["AnalyticsBehavior"] == {
        "Enabled": "True",
        "AnalyticsLanguage": "en-US",
        "AnalyticsRedactionBehavior": "Enabled",
        "AnalyticsRedactionResults": "RedactedOnly",
    }
    (logging,) = actions_of(inbound().render(), "UpdateFlowLoggingBehavior")
    assert logging["Parameters"] == {"FlowLoggingBehavior": "Enabled"}


def test_recording_starts_before_any_customer_interaction() -> None:
    order = [a["Type"] for a in json.loads(inbound().render())["Actions"]]
    assert order.index("UpdateContactRecordingBehavior") < order.index("MessageParticipant")


def test_inbound_routes_each_tier_to_its_queue_and_unknown_tiers_to_the_last() -> None:
    flow = inbound()
    compare = flow.action("route-by-tier").to_json()
    assert compare["Parameters"] == {"ComparisonValue": "$.External.supportTier"}
    routes = {c["Condition"]["Operands"][0]: c["NextAction"] for c in compare["Transitions"]["Conditions"]}
    targets = {tier: flow.action(action).parameters["QueueId"] for tier, action in routes.items()}
    assert targets == QUEUES
    (otherwise,) = compare["Transitions"]["Errors"]
    assert flow.action(otherwise["NextAction"]).parameters["QueueId"] == QUEUES["Medium"]
    # A failed lookup also lands in the default tier.
    assert flow.action("lookup-customer").errors[0].next_action == "queue-medium"


def test_a_full_tier_queue_escalates_to_l2() -> None:
    flow = inbound()
    transfer = flow.action("transfer").to_json()
    at_capacity = {e["ErrorType"]: e["NextAction"] for e in transfer["Transitions"]["Errors"]}
    assert flow.action(at_capacity["QueueAtCapacity"]).parameters == {"QueueId": "arn:q/l2"}


def test_escalation_transfer_keeps_redacted_only_analytics() -> None:
    (recording,) = actions_of(queue_transfer_flow().render(), "UpdateContactRecordingBehavior")
    assert recording["Parameters"]["AnalyticsBehavior"]["AnalyticsRedactionResults"] == "RedactedOnly"
    assert actions_of(queue_transfer_flow().render(), "TransferContactToQueue")


def test_payment_module_pauses_recording_encrypts_input_and_resumes_with_redaction() -> None:
    module = payment_module(PaymentModuleInputs(encryption_key_id="proc-key-1", certificate_pem=CERT))
    actions = json.loads(module.render())["Actions"]
    assert [a["Type"] for a in actions] == [
        "UpdateContactRecordingBehavior",
        "GetParticipantInput",
        "UpdateContactRecordingBehavior",
        "EndFlowModuleExecution",
    ]
    pause, capture, resume, _ = actions
    assert pause["Parameters"] == {"RecordingBehavior": {"RecordedParticipants": []}}
    assert capture["Parameters"]["StoreInput"] == "True"
    assert capture["Parameters"]["InputEncryption"] == {"EncryptionKeyId": "proc-key-1", "Key": CERT}
    assert resume["Parameters"]["AnalyticsBehavior"]["AnalyticsRedactionResults"] == "RedactedOnly"
    # Every way out of the capture (success, timeout, error) resumes recording first.
    assert set(module.action("capture-card").targets()) == {"resume-recording"}


def test_the_captured_card_number_is_never_copied_where_agents_can_read_it() -> None:
    rendered = payment_module(PaymentModuleInputs("k", CERT)).render()
    assert "StoredCustomerInput" not in rendered
    assert not actions_of(rendered, "UpdateContactAttributes")


def test_flows_with_dangling_or_duplicate_actions_are_rejected() -> None:
    with pytest.raises(FlowError, match="unknown action 'nowhere'"):
        Flow(start_action="a", actions=(message("a", "hi", "nowhere"),))
    with pytest.raises(FlowError, match="duplicate action identifiers: a"):
        Flow(
            start_action="a",
            actions=(Action("a", "DisconnectParticipant"), Action("a", "DisconnectParticipant")),
        )
    with pytest.raises(ValueError, match="no queue for tiers: High"):
        inbound(queue_arns={"Critical": "q", "Medium": "q"})
