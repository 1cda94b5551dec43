"""Check an Amazon States Language document against the service integrations it names: every Task's
Resource is a supported integration pattern, its Parameters name only members of the API's input
(botocore's service model, so the real API), required members are present, nested structures too;
every state's Next/Default/Catch target exists; Map states have an ItemsPath and an ItemProcessor."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import botocore.session

# (service, API action) -> integration patterns Step Functions supports for it ("" = request/response).
PATTERNS = {
    ("codebuild", "startBuild"): {"", ".sync"},
    ("sns", "publish"): {"", ".waitForTaskToken"},
}
RESOURCE = re.compile(
    r"^arn:aws:states:::(?P<service>[a-z0-9-]+):(?P<action>[A-Za-z]+)(?P<pattern>\.[A-Za-z]+)?$"
)
_SESSION = botocore.session.get_session()


def _check_shape(value: Any, shape: Any, where: str) -> None:
    if shape.type_name == "structure":
        assert isinstance(value, dict), f"{where}: expected an object"
        members = {name.lower(): name for name in shape.members}
        given = set()
        for key, item in value.items():
            dynamic = key.endswith(".$")
            name = key[:-2] if dynamic else key
            assert name.lower() in members, f"{where}.{key}: not a member of {shape.name}"
            assert name[0].isupper(), f"{where}.{key}: Step Functions names parameters in PascalCase"
            given.add(members[name.lower()])
            if dynamic:
                assert isinstance(item, str) and item.startswith(("$", "States.")), (
                    f"{where}.{key}: not a path"
                )
            else:
                _check_shape(item, shape.members[members[name.lower()]], f"{where}.{key}")
        missing = set(shape.required_members) - given
        assert not missing, f"{where}: required {sorted(missing)} missing"
    elif shape.type_name == "list":
        assert isinstance(value, list), f"{where}: expected a list"
        for index, item in enumerate(value):
            _check_shape(item, shape.member, f"{where}[{index}]")


def _check_states(states: dict[str, Any], found: Counter[str], where: str) -> None:
    for name, state in states.items():
        for target in [state.get("Next"), state.get("Default"), *[c["Next"] for c in state.get("Catch", [])]]:
            assert target is None or target in states, f"{where}{name}: Next {target} is not a state"
        assert state.get("End") is True or "Next" in state or state["Type"] in {"Choice", "Succeed", "Fail"}
        if state["Type"] == "Map":
            assert state["ItemsPath"].startswith("$"), f"{name}: ItemsPath"
            for key in state.get("ItemSelector", {}):
                assert key.endswith(".$"), f"{name}: ItemSelector.{key} is not a path"
            processor = state["ItemProcessor"]
            assert processor["ProcessorConfig"]["Mode"] in {"INLINE", "DISTRIBUTED"}
            assert processor["StartAt"] in processor["States"]
            _check_states(processor["States"], found, f"{where}{name}/")
        if state["Type"] == "Task":
            match = RESOURCE.match(state["Resource"])
            assert match, f"{name}: {state['Resource']} is not a service integration"
            service, action, pattern = match["service"], match["action"], match["pattern"] or ""
            assert pattern in PATTERNS[(service, action)], (
                f"{name}: {pattern} not supported for {service}:{action}"
            )
            model = _SESSION.get_service_model(service)
            operation = model.operation_model(action[0].upper() + action[1:])
            _check_shape(state["Parameters"], operation.input_shape, f"{where}{name}.Parameters")
            found[state["Resource"]] += 1


def validate_definition(definition: dict[str, Any]) -> dict[str, int]:
    """Raise AssertionError naming the first problem; return the integrations used and how often."""
    assert definition["StartAt"] in definition["States"]
    found: Counter[str] = Counter()
    _check_states(definition["States"], found, "")
    return dict(found)
