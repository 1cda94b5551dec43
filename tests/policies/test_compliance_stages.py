"""A compliance run announces each step (the CLI shows them as a progress bar on a terminal)."""

from __future__ import annotations

from pathlib import Path

from supportops.inventory.model import Inventory, Source, SourceKind
from supportops.policies.checkov.scan import CheckovOutcome
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


def test_framework_filter_keeps_checkov_findings_of_that_framework_only(tmp_path: Path) -> None:
    from supportops.findings import Finding, Severity, Status

    inventory = Inventory("p", "s", Source(SourceKind.STACK_EXPORT, "state.json"), [])

    def checkov(_inventory: Inventory) -> CheckovOutcome:
        return CheckovOutcome(
            findings=[
                Finding(
                    "CKV_AWS_18",
                    "t",
                    Status.FAIL,
                    Severity.HIGH,
                    "urn:a",
                    source="checkov",
                    requirements=["pci-dss-4.0:10.2.1", "gdpr:art30"],
                ),
                Finding(
                    "CKV_AWS_999",
                    "t",
                    Status.FAIL,
                    Severity.HIGH,
                    "urn:b",
                    source="checkov",
                    requirements=["gdpr:art30"],
                ),
            ]
        )

    report = run_compliance(
        ComplianceRequest(inventory=inventory, framework_id="pci-dss-4.0", scanner=checkov)
    )
    kept = [f for f in report.findings if f.source == "checkov"]
    assert [(f.check_id, f.requirements) for f in kept] == [("CKV_AWS_18", ["pci-dss-4.0:10.2.1"])]
    (requirement,) = [r for r in report.frameworks[0].requirements if r.requirement_id == "10.2.1"]
    assert requirement.counts.get("FAIL") == 1 and "CKV_AWS_18" in requirement.check_ids
