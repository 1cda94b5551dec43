"""Shared fixtures: planned inventories of the demo stacks (planned once per test session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from supportops.inventory.model import Inventory
from supportops.stacks.stack_plan import plan_stack

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def foundation_plan() -> Inventory:
    return plan_stack(REPO_ROOT, "demo-foundation")


@pytest.fixture(scope="session")
def automation_plan() -> Inventory:
    return plan_stack(REPO_ROOT, "demo-automation")


@pytest.fixture(scope="session")
def analytics_plan() -> Inventory:
    return plan_stack(REPO_ROOT, "demo-analytics")
