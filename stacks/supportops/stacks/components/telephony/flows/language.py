"""A typed subset of the Amazon Connect Flow Language, rendered to deterministic JSON.

Flows are built from these dataclasses (never pasted JSON) so that their security-relevant settings
(redaction, recording, encryption of captured input) are ordinary values tests can assert on.
Rendering sorts keys and keeps action order, so the same inputs always give byte-identical JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from supportops.models import repeated

FLOW_LANGUAGE_VERSION = "2019-10-30"


@dataclass(frozen=True)
class ErrorBranch:
    error_type: str  # NoMatchingError, QueueAtCapacity, InputTimeLimitExceeded ...
    next_action: str

    def to_json(self) -> dict[str, str]:
        return {"ErrorType": self.error_type, "NextAction": self.next_action}


@dataclass(frozen=True)
class Condition:
    """A branch of a Compare action: ``operator`` over ``operands`` goes to ``next_action``."""

    operands: tuple[str, ...]
    next_action: str
    operator: str = "Equals"

    def to_json(self) -> dict[str, Any]:
        return {
            "NextAction": self.next_action,
            "Condition": {"Operator": self.operator, "Operands": list(self.operands)},
        }


@dataclass(frozen=True)
class Action:
    identifier: str
    type: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    next_action: str | None = None
    errors: tuple[ErrorBranch, ...] = ()
    conditions: tuple[Condition, ...] = ()

    def to_json(self) -> dict[str, Any]:
        transitions: dict[str, Any] = {}
        if self.next_action is not None:
            transitions["NextAction"] = self.next_action
        if self.errors:
            transitions["Errors"] = [e.to_json() for e in self.errors]
        if self.conditions:
            transitions["Conditions"] = [c.to_json() for c in self.conditions]
        return {
            "Identifier": self.identifier,
            "Type": self.type,
            "Parameters": dict(self.parameters),
            "Transitions": transitions,
        }

    def targets(self) -> list[str]:
        """Every action this one can transition to."""
        found = [self.next_action] if self.next_action else []
        found += [e.next_action for e in self.errors] + [c.next_action for c in self.conditions]
        return found


class FlowError(ValueError):
    """A flow that Connect would reject: a dangling transition or a duplicate identifier."""


@dataclass(frozen=True)
class Flow:
    start_action: str
    actions: tuple[Action, ...]
    description: str = ""

    def __post_init__(self) -> None:
        identifiers = [a.identifier for a in self.actions]
        duplicates = repeated(identifiers)
        if duplicates:
            raise FlowError(f"duplicate action identifiers: {', '.join(duplicates)}")
        known = set(identifiers)
        if self.start_action not in known:
            raise FlowError(f"start action {self.start_action!r} is not an action of the flow")
        for action in self.actions:
            for target in action.targets():
                if target not in known:
                    raise FlowError(f"action {action.identifier!r} goes to unknown action {target!r}")

    def action(self, identifier: str) -> Action:
        return next(a for a in self.actions if a.identifier == identifier)

    def to_json(self) -> dict[str, Any]:
        return {
            "Version": FLOW_LANGUAGE_VERSION,
            "StartAction": self.start_action,
            "Metadata": {"description": self.description} if self.description else {},
            "Actions": [a.to_json() for a in self.actions],
        }

    def render(self) -> str:
        """The flow's content for ``aws.connect.ContactFlow(content=...)``: deterministic JSON."""
        return json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"))


# Action builders for the blocks the platform's flows use.


def set_flow_logging(identifier: str, next_action: str) -> Action:
    return Action(identifier, "UpdateFlowLoggingBehavior", {"FlowLoggingBehavior": "Enabled"}, next_action)


def recording_with_redacted_analytics(identifier: str, next_action: str, language: str) -> Action:
    """Record agent and customer; Contact Lens analytics with redaction on, redacted output only."""
    return Action(
        identifier,
        "UpdateContactRecordingBehavior",
        {
            "RecordingBehavior": {"RecordedParticipants": ["Agent", "Customer"]},
            "AnalyticsBehavior": {
                "Enabled": "True",
                "AnalyticsLanguage": language,
                "AnalyticsRedactionBehavior": "Enabled",
                "AnalyticsRedactionResults": "RedactedOnly",
            },
        },
        next_action,
    )


def pause_recording(identifier: str, next_action: str) -> Action:
    """An empty participant list stops recording until a later recording block resumes it."""
    return Action(
        identifier,
        "UpdateContactRecordingBehavior",
        {"RecordingBehavior": {"RecordedParticipants": []}},
        next_action,
    )


def message(identifier: str, text: str, next_action: str) -> Action:
    return Action(identifier, "MessageParticipant", {"Text": text}, next_action)


def disconnect(identifier: str) -> Action:
    return Action(identifier, "DisconnectParticipant")


def set_queue(identifier: str, queue_arn: str, next_action: str, on_error: str) -> Action:
    return Action(
        identifier,
        "UpdateContactTargetQueue",
        {"QueueId": queue_arn},
        next_action,
        errors=(ErrorBranch("NoMatchingError", on_error),),
    )


def transfer_to_queue(identifier: str, at_capacity: str, on_error: str) -> Action:
    return Action(
        identifier,
        "TransferContactToQueue",
        errors=(ErrorBranch("QueueAtCapacity", at_capacity), ErrorBranch("NoMatchingError", on_error)),
    )


def invoke_lambda(identifier: str, function_arn: str, next_action: str, on_error: str) -> Action:
    return Action(
        identifier,
        "InvokeLambdaFunction",
        {
            "LambdaFunctionARN": function_arn,
            "InvocationTimeLimitSeconds": "3",
            "ResponseValidation": {"ResponseType": "STRING_MAP"},
        },
        next_action,
        errors=(ErrorBranch("NoMatchingError", on_error),),
    )


def compare(identifier: str, value: str, branches: Sequence[tuple[str, str]], otherwise: str) -> Action:
    """Branch on ``value`` (a JSONPath such as ``$.External.supportTier``): (operand, next) pairs."""
    return Action(
        identifier,
        "Compare",
        {"ComparisonValue": value},
        conditions=tuple(Condition((operand,), target) for operand, target in branches),
        errors=(ErrorBranch("NoMatchingCondition", otherwise),),
    )


def end_module(identifier: str) -> Action:
    return Action(identifier, "EndFlowModuleExecution")
