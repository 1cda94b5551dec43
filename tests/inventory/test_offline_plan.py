"""The offline plan records what the engine would be told, in the shape the real engine uses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from supportops.inventory.model import UNKNOWN, Inventory, is_secret
from supportops.inventory.offline_plan import PlanRequest, plan_program
from supportops.inventory.offline_plan.runner import ProgramFailed
from supportops.stacks.stack_plan import plan_stack, upstream_stacks

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture(scope="module")
def other_plan() -> Inventory:
    return plan_program(PlanRequest(FIXTURES / "other_project", "dev"))


def by_name(inventory: Inventory, name: str) -> dict[str, Any]:
    (resource,) = [r for r in inventory if r.name == name]
    return resource.to_json()


def test_urns_parents_dependencies_and_providers_match_the_engine(other_plan: Inventory) -> None:
    stack_urn = "urn:pulumi:dev::other::pulumi:pulumi:Stack::other-dev"
    pair = by_name(other_plan, "team-pair")
    queue = by_name(other_plan, "team-pair-queue")
    topic = by_name(other_plan, "team-pair-topic")
    assert pair["urn"] == "urn:pulumi:dev::other::other:index:Pair::team-pair"
    assert pair["parent"] == stack_urn and pair["custom"] is False
    assert queue["urn"] == "urn:pulumi:dev::other::other:index:Pair$aws:sqs/queue:Queue::team-pair-queue"
    assert queue["parent"] == pair["urn"]
    assert queue["urn"] in topic["dependencies"]
    assert queue["provider"] == "urn:pulumi:dev::other::pulumi:providers:aws::default"
    assert all("pulumi:pulumi:Stack$" not in r.urn for r in other_plan)


def test_regions_config_and_outputs(other_plan: Inventory) -> None:
    assert by_name(other_plan, "logs")["region"] == "eu-central-1"  # per-resource region wins
    assert by_name(other_plan, "nordic")["region"] == "eu-north-1"  # else its explicit provider's
    assert by_name(other_plan, "team-pair-queue")["region"] == "eu-west-1"  # else the stack's
    assert other_plan.config == {"other:prefix": "team", "aws:region": "eu-west-1"}
    assert other_plan.outputs["queueUrl"] == by_name(other_plan, "team-pair-queue")["outputs"]["url"]


def test_secrets_are_marked_and_never_written_in_plain_text(other_plan: Inventory) -> None:
    token = by_name(other_plan, "token")
    assert is_secret(token["inputs"]["value"])
    text = json.dumps(other_plan.to_json())
    assert "cmVkYWN0ZWQ" not in text and "other:token" not in text


def test_plans_are_reproducible(other_plan: Inventory) -> None:
    again = plan_program(PlanRequest(FIXTURES / "other_project", "dev"))
    assert json.dumps(again.to_json()) == json.dumps(other_plan.to_json())


def test_preview_marks_computed_values_unknown() -> None:
    preview = plan_program(PlanRequest(FIXTURES / "phased_project", "t-foundation", preview=True))
    assert preview.outputs["keyArn"] == UNKNOWN
    planned = plan_program(PlanRequest(FIXTURES / "phased_project", "t-foundation"))
    assert planned.outputs["keyArn"].startswith("arn:aws:kms:")


def test_a_later_phase_reads_the_planned_outputs_of_the_earlier_one() -> None:
    assert upstream_stacks("t-analytics") == ["t-foundation", "t-automation"]
    foundation = plan_program(PlanRequest(FIXTURES / "phased_project", "t-foundation"))
    automation = plan_stack(FIXTURES / "phased_project", "t-automation")
    (queue,) = automation.of_type("aws:sqs/queue:Queue")
    assert queue.get("kmsMasterKeyId") == foundation.outputs["keyArn"]


def test_a_failing_program_is_reported_at_its_own_frame() -> None:
    with pytest.raises(ProgramFailed) as caught:
        plan_program(PlanRequest(FIXTURES / "broken_program", "dev"))
    message = str(caught.value)
    assert "KeyError: 'bucket'" in message
    assert "(at program/helpers.py:3 in bucket_name" in message
