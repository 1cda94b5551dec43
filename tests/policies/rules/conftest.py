"""The non-compliant fixture stack, planned once per session, and its evaluation context."""

from __future__ import annotations

from pathlib import Path

import pytest

from supportops.inventory.model import Inventory
from supportops.inventory.offline_plan import PlanRequest, plan_program
from supportops.policies.rule import EvaluationContext
from supportops.stacks.config import config_from_mapping

# the shared assertions of the rule tables keep pytest's detailed failure messages
pytest.register_assert_rewrite("rule_outcomes")

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "noncompliant"


@pytest.fixture(scope="session")
def noncompliant_plan() -> Inventory:
    return plan_program(PlanRequest(FIXTURE, "bad"))


@pytest.fixture(scope="session")
def noncompliant_preview() -> Inventory:
    return plan_program(PlanRequest(FIXTURE, "bad", preview=True))


@pytest.fixture(scope="session")
def bad(noncompliant_plan: Inventory) -> EvaluationContext:
    """The fixture's context, with the config its stack file declares."""
    return EvaluationContext(
        noncompliant_plan, config_from_mapping(noncompliant_plan.config, source="noncompliant fixture")
    )
