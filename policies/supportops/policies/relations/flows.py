"""Amazon Connect flows: their content is a JSON string in the Flow Language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from supportops.inventory.model import MISSING, UNKNOWN, Resource
from supportops.policies.relations.policy_documents import PolicyUnknown
from supportops.policies.relations.values import parse_json

FLOW_TYPES: Final = (
    "aws:connect/contactFlow:ContactFlow",
    "aws:connect/contactFlowModule:ContactFlowModule",
    "aws-native:connect:ContactFlow",
    "aws-native:connect:ContactFlowModule",
)
RECORDING_ACTION: Final = "UpdateContactRecordingBehavior"


@dataclass(frozen=True, slots=True)
class FlowAction:
    identifier: str
    type: str
    parameters: Mapping[str, Any]
    targets: tuple[str, ...]

    @property
    def stores_input(self) -> bool:
        """A "Store customer input" block: what card capture uses."""
        return (
            self.type == "GetParticipantInput"
            and str(self.parameters.get("StoreInput", "")).lower() == "true"
        )

    @property
    def recorded_participants(self) -> list[Any] | None:
        """The participants a recording block records ([] pauses); None when it does not set them."""
        behavior = self.parameters.get("RecordingBehavior")
        if not isinstance(behavior, Mapping) or "RecordedParticipants" not in behavior:
            return None
        participants = behavior.get("RecordedParticipants")
        return list(participants) if isinstance(participants, list) else [participants]


@dataclass(frozen=True, slots=True)
class FlowDocument:
    start: str
    actions: Mapping[str, FlowAction]

    def of_type(self, action_type: str) -> list[FlowAction]:
        return [a for a in self.actions.values() if a.type == action_type]


def parse_flow(resource: Resource) -> FlowDocument | None:
    """The flow's content parsed; None without content. Raises PolicyUnknown for an unknown content
    and ValueError for content that is not a flow."""
    document = parse_json(resource.prop("content", MISSING))
    if document is MISSING:
        return None
    if document == UNKNOWN:
        raise PolicyUnknown()
    if not isinstance(document, Mapping) or not isinstance(document.get("Actions"), list):
        raise ValueError("flow content has no Actions list")
    actions: dict[str, FlowAction] = {}
    for raw in document["Actions"]:
        if not isinstance(raw, Mapping):
            raise ValueError("a flow action must be an object")
        transitions = raw.get("Transitions") or {}
        targets = [transitions.get("NextAction")] if isinstance(transitions, Mapping) else []
        if isinstance(transitions, Mapping):
            for branch in (*(transitions.get("Errors") or ()), *(transitions.get("Conditions") or ())):
                if isinstance(branch, Mapping):
                    targets.append(branch.get("NextAction"))
        parameters = raw.get("Parameters") or {}
        identifier = str(raw.get("Identifier", ""))
        actions[identifier] = FlowAction(
            identifier=identifier,
            type=str(raw.get("Type", "")),
            parameters=parameters if isinstance(parameters, Mapping) else {},
            targets=tuple(str(t) for t in targets if t),
        )
    return FlowDocument(start=str(document.get("StartAction", "")), actions=actions)


def recording_at_capture(flow: FlowDocument) -> list[str]:
    """Input-storing blocks reachable while recording is on, on some path from the start.

    A flow (or module) may be entered while the caller's recording runs, so the walk starts with
    recording on; a recording block with no participants pauses it and one with participants
    resumes it."""
    reached: set[tuple[str, bool]] = set()
    pending = [(flow.start, True)]
    exposed: set[str] = set()
    while pending:
        identifier, recording = pending.pop()
        if (identifier, recording) in reached or identifier not in flow.actions:
            continue
        reached.add((identifier, recording))
        action = flow.actions[identifier]
        if action.stores_input and recording:
            exposed.add(identifier)
        if action.type == RECORDING_ACTION:
            participants = action.recorded_participants
            if participants is not None:
                recording = bool(participants)
        pending.extend((target, recording) for target in action.targets)
    return sorted(exposed)
