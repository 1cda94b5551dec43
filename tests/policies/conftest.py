"""Fixtures of the policy tests (helpers live in policy_fakes.py)."""

from __future__ import annotations

import pytest
from policy_fakes import shop_inventory

from supportops.inventory.model import Inventory


@pytest.fixture
def shop() -> Inventory:
    return shop_inventory()
