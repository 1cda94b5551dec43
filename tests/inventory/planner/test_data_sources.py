"""Data sources answer with values of the shape the SDK declares, deterministic, placed in the
stack's region and the plan's account; values a resource takes from them are marked invented."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from supportops.inventory.model import Inventory
from supportops.inventory.offline_plan import PlanRequest, plan_program, shapes

PROGRAM = Path(__file__).resolve().parents[2] / "fixtures" / "programs" / "plan-data-sources"
FUNCTIONS = (PROGRAM / "functions.txt").read_text(encoding="utf-8").split()


@pytest.fixture(scope="module")
def plan() -> Inventory:
    return plan_program(PlanRequest(PROGRAM, "dev", watchdog_seconds=20))


def result_class(line: str) -> type:
    *modules, function = line.split(".")
    module = importlib.import_module(".".join(["pulumi_aws", *modules]))
    cls = getattr(module, "".join(part.title() for part in function.split("_")) + "Result")
    assert isinstance(cls, type)
    return cls


def missing(value: Any, hint: Any, path: str) -> list[str]:
    """Required fields that are absent, and lists that are empty, under ``path``."""
    if value is None:
        return [path]
    item = shapes.sequence_item(hint)
    if item is not None:
        if not value:
            return [path]
        return [p for i, v in enumerate(value) for p in missing(v, item, f"{path}.{i}")]
    if shapes.is_output_type(hint):
        return [
            p
            for f in shapes.fields(hint)
            if not f.optional
            for p in missing(value.get(f.name), f.hint, f"{path}.{f.name}")
        ]
    return []


@pytest.mark.parametrize("line", FUNCTIONS)
def test_every_required_field_is_answered_and_lists_are_not_empty(plan: Inventory, line: str) -> None:
    cls = result_class(line)
    answer = plan.outputs[line]
    assert missing(answer, cls, line) == []


def test_answers_are_placed_in_the_stack_region_and_the_plan_account(plan: Inventory) -> None:
    assert plan.outputs["get_availability_zones"]["names"] == [
        "eu-central-1a",
        "eu-central-1b",
        "eu-central-1c",
    ]
    assert plan.outputs["get_availability_zones"]["zoneIds"][0] == "euc1-az1"
    assert plan.outputs["get_caller_identity"]["accountId"] == "111122223333"
    assert plan.outputs["kms.get_key"]["arn"].startswith("arn:aws:kms:eu-central-1:111122223333:")
    assert plan.outputs["ec2.get_vpc"]["id"].startswith("vpc-")
    assert plan.outputs["lb.get_load_balancer"]["dnsName"].endswith(".eu-central-1.amazonaws.com")


def test_answers_are_deterministic(plan: Inventory) -> None:
    again = plan_program(PlanRequest(PROGRAM, "dev", watchdog_seconds=20))
    assert again.outputs == plan.outputs
