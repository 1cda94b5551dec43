"""A compliance run announces each step (the CLI shows them as a progress bar on a terminal)."""

from __future__ import annotations

from pathlib import Path

from supportops.inventory.model import Inventory, Source, SourceKind
from supportops.policies.checkov import CheckovOutcome
from supportops.policies.compliance import ComplianceRequest, run_compliance


def test_stages_are_announced_in_order_and_checkov_ones_only_when_on(tmp_path: Path) -> None:
    inventory = Inventory("p", "s", Source(SourceKind.STACK_EXPORT, "state.json"), [])
    seen: list[str] = []
    run_compliance(
        ComplianceRequest(
            inventory=inventory,
            scanner=lambda _inventory: CheckovOutcome(),
            secrets_root=tmp_path,
            secrets_scanner=lambda _root: CheckovOutcome(),
            on_stage=seen.append,
        )
    )
    assert [s.split(" ")[0] for s in seen] == ["evaluating", "checkov", "checkov", "mapping"]
    assert seen[1:3] == ["checkov scan", "checkov secrets scan"]

    seen.clear()
    run_compliance(ComplianceRequest(inventory=inventory, checkov=False, on_stage=seen.append))
    assert [s.split(" ")[0] for s in seen] == ["evaluating", "mapping"]
