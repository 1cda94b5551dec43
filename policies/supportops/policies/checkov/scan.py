"""The checkov scan of an inventory: convert, run, fold the results into findings, apply the
platform waivers. Everything that keeps checkov from judging a resource is reported."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from supportops.findings import Finding, WaiverRecord
from supportops.inventory.model import Inventory
from supportops.policies.checkov.findings import resource_findings, run_error
from supportops.policies.checkov.metadata import default_severities
from supportops.policies.checkov.plan import PlanConversion, to_terraform_plan
from supportops.policies.checkov.report import parse_report
from supportops.policies.checkov.runner import DEFAULT_TIMEOUT_SECONDS, CheckovUnavailable, run_checkov
from supportops.policies.frameworks.model import builtin_index
from supportops.policies.waivers import WaiverSpec, apply_waivers, load_waivers

PLATFORM_WAIVERS_PATH: Final = Path(__file__).with_name("platform-waivers.yaml")
PLAN_FILE_NAME: Final = "checkov-plan.json"


@dataclass
class CheckovOutcome:
    findings: list[Finding] = field(default_factory=list)
    # Why checkov could not run (fully or partly); shown in every report, never a silent pass.
    problems: list[str] = field(default_factory=list)
    # The platform waivers that waived (or, expired, no longer waive) findings of this scan.
    waivers: list[WaiverRecord] = field(default_factory=list)
    checkov_version: str = ""


def platform_waivers(path: Path = PLATFORM_WAIVERS_PATH) -> list[WaiverSpec]:
    return load_waivers(path)


def apply_platform_waivers(
    outcome: CheckovOutcome, specs: list[WaiverSpec], inventory: Inventory | None
) -> None:
    """Waive the outcome's failing findings the platform waivers cover (in place)."""
    if not specs or not outcome.findings:
        return
    applied = apply_waivers(outcome.findings, specs, inventory)
    # The platform file covers every phase and the secrets scan: a waiver matching nothing in this
    # scan is not news here (tests check that each one matches somewhere); an expired one is.
    outcome.waivers = [record for record in applied.records if record.state != "unmatched"]
    outcome.problems.extend(
        f"checkov: platform waiver {r.waiver_id} ({r.check_id}, owner {r.owner}) expired on {r.expires}; "
        f"it no longer waives {r.matched} failing finding(s)"
        for r in outcome.waivers
        if r.state == "expired"
    )


def write_plan(conversion: PlanConversion, path: Path) -> Path:
    """Written atomically: a kept plan (evidence) is never half a file."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(conversion.plan, separators=(",", ":")), encoding="utf-8")
    partial.replace(path)
    return path


def scan_plan_file(
    plan_file: Path,
    conversion: PlanConversion,
    inventory: Inventory,
    *,
    executable: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> CheckovOutcome:
    """Run checkov over a plan file written from ``conversion`` and map its results back."""
    subject = f"stack:{inventory.stack}"
    outcome = CheckovOutcome(problems=conversion.problems())
    try:
        run = run_checkov(
            ["--framework", "terraform_plan", "-f", str(plan_file)], executable=executable, timeout=timeout
        )
        report = parse_report(run.stdout)
    except CheckovUnavailable as error:
        outcome.problems.append(f"checkov: {error}")
        outcome.findings.append(run_error(subject, str(error)))
        return outcome
    outcome.checkov_version = report.checkov_version
    findings, problems = resource_findings(
        report.checks(),
        addresses=conversion.addresses,
        inventory=inventory,
        severities=default_severities(),
        requirements=builtin_index(),
    )
    outcome.findings.extend(findings)
    outcome.problems.extend(problems)
    parsing_errors = report.parsing_errors()
    if parsing_errors:
        reason = f"checkov could not parse the plan ({len(parsing_errors)} parsing error(s))"
        outcome.problems.append(f"checkov: {reason}")
        outcome.findings.append(run_error(subject, reason))
    if conversion.resource_count and not findings and not parsing_errors:
        reason = f"checkov ran no check on the {conversion.resource_count} resources of the plan"
        outcome.problems.append(f"checkov: {reason}")
        outcome.findings.append(run_error(subject, reason))
    return outcome


def scan(
    inventory: Inventory,
    *,
    executable: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    references: bool = True,
    waivers: list[WaiverSpec] | None = None,
    plan_out: Path | None = None,
) -> CheckovOutcome:
    """Scan the inventory with checkov.

    ``waivers`` default to the platform waivers (``platform-waivers.yaml``); ``[]`` applies none.
    ``plan_out`` keeps the Terraform plan checkov read (evidence); otherwise it lives in a temporary
    directory. ``references=False`` writes no cross-resource references (for comparison only).
    """
    conversion = to_terraform_plan(inventory, references=references)
    if plan_out is not None:
        plan_out.parent.mkdir(parents=True, exist_ok=True)
        outcome = scan_plan_file(
            write_plan(conversion, plan_out), conversion, inventory, executable=executable, timeout=timeout
        )
    else:
        with tempfile.TemporaryDirectory(prefix="supportops-checkov-") as workdir:
            plan_file = write_plan(conversion, Path(workdir) / PLAN_FILE_NAME)
            outcome = scan_plan_file(plan_file, conversion, inventory, executable=executable, timeout=timeout)
    apply_platform_waivers(outcome, platform_waivers() if waivers is None else waivers, inventory)
    return outcome
