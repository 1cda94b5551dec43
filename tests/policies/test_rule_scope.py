"""A rule's declared scope matches what its verdicts depend on.

CrossGuard runs a rule with ``needs_stack=False`` as a resource policy, which sees one resource and
nothing else: such a rule must give every resource, evaluated alone, the verdict (and message) it
gives it inside its stack. Checked over the three demo phases and the non-compliant fixture, which
together hold every rule's passing and failing cases.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from supportops.inventory.model import Inventory
from supportops.policies.catalog import all_rules
from supportops.policies.engine import evaluate
from supportops.policies.rule import RuleModule
from supportops.policies.stack_config import choose_config
from supportops.stacks.stack_plan import plan_stack

RESOURCE_SCOPED = [rule for rule in all_rules() if not rule.META.needs_stack]


@pytest.fixture(scope="module")
def inventories(
    foundation_plan: Inventory, automation_plan: Inventory, analytics_plan: Inventory, repo_root: Path
) -> list[Inventory]:
    noncompliant = plan_stack(repo_root / "tests" / "fixtures" / "noncompliant", "bad")
    return [foundation_plan, automation_plan, analytics_plan, noncompliant]


def test_both_scopes_are_used() -> None:
    assert 0 < len(RESOURCE_SCOPED) < len(all_rules())


@pytest.mark.parametrize("rule", RESOURCE_SCOPED, ids=[rule.META.id for rule in RESOURCE_SCOPED])
def test_a_resource_scoped_rule_decides_from_the_resource_alone(
    rule: RuleModule, inventories: list[Inventory]
) -> None:
    compared = 0
    for inventory in inventories:
        config = choose_config(inventory).config
        in_stack = {f.subject: (f.status, f.message) for f in evaluate(inventory, config, [rule]).findings}
        for resource in inventory.of_type(*rule.META.resource_types):
            alone = dataclasses.replace(inventory, resources=[resource])
            verdict = {f.subject: (f.status, f.message) for f in evaluate(alone, config, [rule]).findings}
            assert verdict.get(resource.urn) == in_stack.get(resource.urn), resource.urn
            compared += 1
    if compared == 0:
        pytest.skip(f"no resource of {rule.META.id}'s types in the demo or the fixture")
