"""Shared checkov runs: checkov costs ~3 s a run, so each scenario runs once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from checkov_inventories import noncompliant_inventory

from supportops.inventory.model import Inventory, Source, SourceKind
from supportops.policies.checkov.runner import CheckovUnavailable, find_checkov
from supportops.policies.checkov.scan import CheckovOutcome, scan
from supportops.stacks.stack_plan import plan_stack


@pytest.fixture(scope="session")
def checkov_installed() -> None:
    """checkov is part of the set-up (scripts/_checkov_venv.sh): its absence fails, never skips."""
    try:
        find_checkov()
    except CheckovUnavailable as error:
        pytest.fail(f"{error}")


@pytest.fixture(scope="session")
def noncompliant() -> Inventory:
    return noncompliant_inventory()


@pytest.fixture(scope="session")
def noncompliant_scan(checkov_installed: None, noncompliant: Inventory) -> CheckovOutcome:
    return scan(noncompliant, waivers=[])


@pytest.fixture(scope="session")
def noncompliant_scan_without_references(checkov_installed: None, noncompliant: Inventory) -> CheckovOutcome:
    return scan(noncompliant, waivers=[], references=False)


@pytest.fixture(scope="session")
def demo_platform(
    foundation_plan: Inventory, automation_plan: Inventory, analytics_plan: Inventory
) -> Inventory:
    """All three demo phases as one inventory (URNs carry their stack): one checkov run for all."""
    resources = [*foundation_plan.resources, *automation_plan.resources, *analytics_plan.resources]
    return Inventory("supportops", "demo-all-phases", Source(SourceKind.OFFLINE_PLAN, "demo"), resources)


@pytest.fixture(scope="session")
def demo_scan(checkov_installed: None, demo_platform: Inventory) -> CheckovOutcome:
    return scan(demo_platform)


@pytest.fixture(scope="session")
def fixture_stack_scan(checkov_installed: None, repo_root: Path) -> CheckovOutcome:
    """The non-compliant fixture stack (tests/fixtures/noncompliant), planned offline."""
    return scan(plan_stack(repo_root / "tests" / "fixtures" / "noncompliant", "bad"), waivers=[])
