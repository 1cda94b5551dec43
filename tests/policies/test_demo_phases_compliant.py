"""The bar of issue 4: every demo phase, planned with its default config, has no FAIL at high or
critical severity across the whole rule catalog (and no rule errors on it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from supportops.findings import Severity, Status
from supportops.inventory.model import Inventory
from supportops.policies.catalog import all_rules
from supportops.policies.rule import EvaluationContext
from supportops.stacks.config import config_from_mapping
from supportops.stacks.stack_plan import plan_stack

PHASES = ["foundation_plan", "automation_plan", "analytics_plan"]


def _context(inventory: Inventory) -> EvaluationContext:
    config = config_from_mapping(inventory.config, source=f"stack {inventory.stack}", stack=inventory.stack)
    return EvaluationContext(inventory, config)


def _named(inventory: Inventory, urn: str) -> str:
    resource = inventory.by_urn(urn)
    return resource.name if resource is not None else urn


@pytest.mark.slow
@pytest.mark.parametrize("plan", PHASES)
def test_no_high_or_critical_fail(plan: str, request: pytest.FixtureRequest) -> None:
    inventory: Inventory = request.getfixturevalue(plan)
    context = _context(inventory)
    failing = sorted(
        (finding.check_id, _named(inventory, finding.subject), finding.message)
        for rule in all_rules()
        for finding in rule.evaluate(context)
        if finding.status is Status.FAIL and finding.severity.at_least(Severity.HIGH)
    )
    assert failing == []


@pytest.mark.slow
@pytest.mark.parametrize("plan", PHASES)
def test_no_rule_errors(plan: str, request: pytest.FixtureRequest) -> None:
    inventory: Inventory = request.getfixturevalue(plan)
    context = _context(inventory)
    errors = [
        (finding.check_id, _named(inventory, finding.subject), finding.message)
        for rule in all_rules()
        for finding in rule.evaluate(context)
        if finding.status is Status.ERROR
    ]
    assert errors == []


@pytest.mark.slow
@pytest.mark.parametrize("stack", ["demo-foundation", "demo-automation", "demo-analytics"])
def test_preview_values_unknown_until_apply_never_fail(stack: str, repo_root: Path) -> None:
    """In a preview every computed value (ARNs, names, ids) is unknown: rules answer NOT_APPLICABLE,
    never a FAIL or an ERROR, for the same stacks that pass once planned."""
    inventory = plan_stack(repo_root, stack, preview=True)
    context = _context(inventory)
    statuses = {finding.status for rule in all_rules() for finding in rule.evaluate(context)}
    assert Status.FAIL not in statuses and Status.ERROR not in statuses
    assert Status.NOT_APPLICABLE in statuses
