"""Every type the demo phases plan and a rule reads is either produced by a collector or listed as not
collectable with a reason; and the collectors use the planner's type tokens."""

from __future__ import annotations

import pytest
from live_helpers import rule_read_types

from supportops.inventory.live import registry
from supportops.inventory.live.collect import SYNTHETIC_TYPES
from supportops.inventory.live.not_collectable import NOT_COLLECTABLE
from supportops.inventory.model import Inventory


@pytest.fixture(scope="module")
def planned_types(
    foundation_plan: Inventory, automation_plan: Inventory, analytics_plan: Inventory
) -> set[str]:
    return {r.type for plan in (foundation_plan, automation_plan, analytics_plan) for r in plan}


def test_every_planned_rule_read_type_is_collected_or_explained(planned_types: set[str]) -> None:
    collected = set(registry.collected_types()) | set(SYNTHETIC_TYPES)
    missing = sorted((planned_types & rule_read_types()) - collected - set(NOT_COLLECTABLE))
    assert missing == [], "planned, rule-read types with neither a collector nor a reason"


def test_not_collectable_entries_are_real_gaps(planned_types: set[str]) -> None:
    assert not set(NOT_COLLECTABLE) & set(registry.collected_types()), "collected and 'not collectable'"
    assert all(len(why) > 20 for why in NOT_COLLECTABLE.values())
    stale = sorted(set(NOT_COLLECTABLE) - planned_types)
    assert stale == [], "entries for types no phase plans"


def test_collectors_emit_planner_type_tokens(planned_types: set[str]) -> None:
    # Every collected type is a token some phase plans or a rule reads: no invented spellings.
    unknown = sorted(set(registry.collected_types()) - planned_types - rule_read_types())
    assert unknown == []
