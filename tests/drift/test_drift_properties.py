"""The drift property table is what the rules read: every property a rule reads on a resource of the
demo phases is compared by drift, or listed as not compared with its reason; and drift compares
nothing on those types that no rule reads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest

from supportops.drift.properties import NOT_COMPARED, SECURITY_PROPERTIES
from supportops.inventory import model
from supportops.inventory.model import Inventory
from supportops.policies.engine import evaluate
from supportops.policies.profiles import premise_of
from supportops.policies.stack_config import choose_config

Reads = dict[str, set[str]]


@pytest.fixture(scope="module")
def rule_reads(
    foundation_plan: Inventory, automation_plan: Inventory, analytics_plan: Inventory
) -> Iterator[Reads]:
    """Top-level property names each rule reads, per type, over the three demo phases."""
    reads: Reads = defaultdict(set)
    prop, get = model.Resource.prop, model.Resource.get

    def recording(original: Any) -> Any:
        def read(self: model.Resource, path: str, default: Any = model.MISSING) -> Any:
            reads[self.type].add(path.split(".", 1)[0])
            return original(self, path, default)

        return read

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(model.Resource, "prop", recording(prop))
        patch.setattr(model.Resource, "get", recording(get))
        for plan in (foundation_plan, automation_plan, analytics_plan):
            choice = choose_config(plan, None)
            evaluate(plan, choice.config, premise=premise_of(choice))
    yield reads


def test_every_property_a_rule_reads_is_compared_or_excused(rule_reads: Reads) -> None:
    missing = {
        (type_, name)
        for type_, names in rule_reads.items()
        if type_.startswith(("aws:", "aws-native:"))
        for name in names
        if name not in SECURITY_PROPERTIES.get(type_, ())
        and name not in NOT_COMPARED
        and f"{type_}.{name}" not in NOT_COMPARED
    }
    assert sorted(missing) == []


def test_drift_compares_only_what_a_rule_reads(rule_reads: Reads) -> None:
    unread = {
        (type_, name)
        for type_, names in SECURITY_PROPERTIES.items()
        if type_ in rule_reads
        for name in names
        if name not in rule_reads[type_]
    }
    assert unread == set()


def test_excused_properties_are_never_compared() -> None:
    assert {name for names in SECURITY_PROPERTIES.values() for name in names} & set(NOT_COMPARED) == set()
