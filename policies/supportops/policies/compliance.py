"""One compliance run: config choice, rule evaluation, checkov, framework mapping, waivers and the
severity threshold, assembled into a :class:`~supportops.findings.Report`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from supportops.findings import InputRecord, Report, Severity, WaiverRecord
from supportops.inventory.model import Inventory, SourceKind
from supportops.policies.catalog import all_rules
from supportops.policies.checkov import scan as plan_scan
from supportops.policies.checkov import secrets as secrets_scan
from supportops.policies.checkov.metadata import SEVERITIES_PATH
from supportops.policies.checkov.scan import PLATFORM_WAIVERS_PATH, CheckovOutcome
from supportops.policies.engine import evaluate, finding_order
from supportops.policies.frameworks.coverage import automation_summary, coverage, tag_requirements
from supportops.policies.frameworks.model import builtin_framework_paths, builtin_frameworks, select
from supportops.policies.profiles import active_profiles, premise_of
from supportops.policies.stack_config import ConfigOrigin, choose_config
from supportops.policies.waivers import apply_waivers, load_waivers
from supportops.reports.evidence import sha256_file
from supportops.stacks.config import stack_file
from supportops.version import __version__

Scanner = Callable[[Inventory], CheckovOutcome]
SecretsScanner = Callable[[Path], CheckovOutcome]


@dataclass
class ComplianceRequest:
    inventory: Inventory
    config_file: Path | None = None
    framework_id: str | None = None
    # Several frameworks (`--framework a,b`); framework_id is the one-framework spelling of it.
    framework_ids: tuple[str, ...] = ()
    # `--check/--skip-check`: the check ids this run keeps (None: every check).
    selects: Callable[[str], bool] | None = None
    min_severity: Severity = Severity.INFO
    waivers_file: Path | None = None
    checkov: bool = True
    scanner: Scanner | None = None  # default: supportops.policies.checkov.scan.scan, looked up per run
    # A project directory whose config files and code get checkov's secrets scan (with --checkov).
    secrets_root: Path | None = None
    secrets_scanner: SecretsScanner | None = None  # default: supportops.policies.checkov.secrets.scan_secrets
    # The outcomes of a checkov scan already under way (one process for every stack of a comply run,
    # see supportops.policies.stack_runs); when given, used instead of the two scanners above.
    checkov_results: Callable[[], list[CheckovOutcome]] | None = None
    today: dt.date | None = None
    # Told the name of each step as it starts (a progress bar on a terminal).
    on_stage: Callable[[str], None] = lambda _stage: None
    extra_inputs: list[InputRecord] = field(default_factory=list)


def run_compliance(request: ComplianceRequest) -> Report:
    inventory = request.inventory
    choice = choose_config(inventory, request.config_file)
    chosen_ids = request.framework_ids or ((request.framework_id,) if request.framework_id else ())
    frameworks = [f for fid in chosen_ids for f in select(builtin_frameworks(), fid)] or select(
        builtin_frameworks(), None
    )
    waivers = (
        load_waivers(request.waivers_file, known_rules=[r.META.id for r in all_rules()])
        if request.waivers_file is not None else []
    )
    request.on_stage(f"evaluating {len(all_rules())} rules over {len(inventory)} resources")
    premise = premise_of(choice)
    evaluation = evaluate(inventory, choice.config, premise=premise)
    findings = list(evaluation.findings)
    problems = list(evaluation.problems)
    platform_waivers: list[WaiverRecord] = []
    checkov_versions: set[str] = set()
    if request.checkov:
        scanner = request.scanner or plan_scan.scan
        request.on_stage("checkov scan")
        joint = request.checkov_results
        if joint is not None:
            outcomes = _checkov_outcomes(joint)
        else:
            outcomes = [_checkov_outcome(lambda: scanner(inventory))]
        if joint is None and request.secrets_root is not None:
            root = request.secrets_root
            secrets_scanner = request.secrets_scanner or secrets_scan.scan_secrets
            request.on_stage("checkov secrets scan")
            outcomes.append(_checkov_outcome(lambda: secrets_scanner(root)))
        for outcome in outcomes:
            findings.extend(outcome.findings)
            problems.extend(outcome.problems)
            platform_waivers.extend(outcome.waivers)
            if outcome.checkov_version:
                checkov_versions.add(outcome.checkov_version)
        findings.sort(key=finding_order)
    request.on_stage("mapping frameworks and waivers")
    if request.selects is not None:  # a check left out is neither reported nor counted
        findings = [f for f in findings if request.selects(f.check_id)]
    tag_requirements(findings, frameworks)
    outside = 0
    if chosen_ids:
        # Keep what maps to these frameworks (checkov findings carry requirements of every framework).
        prefix = tuple(f"{framework_id}:" for framework_id in chosen_ids)
        kept = []
        for finding in findings:
            finding.requirements = [r for r in finding.requirements if r.startswith(prefix)]
            if finding.requirements:
                kept.append(finding)
        outside = len(findings) - len(kept)
        findings = kept
    waived = apply_waivers(findings, waivers, inventory, request.today)
    problems.extend(waived.problems)
    results = [coverage(framework, findings) for framework in frameworks]
    shown = [f for f in findings if f.severity.at_least(request.min_severity)]
    details: dict[str, Any] = {
        "project": inventory.project,
        "stack": inventory.stack,
        "source": inventory.source.to_json(),
        "config": {**choice.to_json(), "description": choice.describe()},
        "profiles": {"active": active_profiles(premise), "premise": premise.reason},
        "resources": len(inventory),
        "rules": evaluation.rules,
        "evaluationSeconds": round(evaluation.seconds, 4),
        "checkov": "on" if request.checkov else "off",
        "checkovVersion": ", ".join(sorted(checkov_versions)) or None,
        "framework": ",".join(chosen_ids) or None,
        "minSeverity": request.min_severity.value,
        "belowMinSeverity": len(findings) - len(shown),
        "outsideFramework": outside,
        "automation": {f.id: automation_summary(f) for f in frameworks},
    }
    return Report(
        kind="compliance",
        title=f"Compliance of {inventory.project}/{inventory.stack}",
        subject=inventory.stack,
        generated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        tool_version=__version__,
        findings=shown,
        frameworks=results,
        waivers=[*waived.records, *platform_waivers],
        inputs=_inputs(request, choice.origin, [p for p in builtin_framework_paths()
                                                 if any(p.stem == f.id for f in frameworks)])
        + _checkov_inputs(request.checkov),
        problems=problems,
        details=details,
    )


def _checkov_outcome(run: Callable[[], CheckovOutcome]) -> CheckovOutcome:
    try:
        return run()
    except Exception as exc:  # the bridge failing is a partial failure, never a silent pass
        return CheckovOutcome(
            problems=[f"checkov: the scan failed ({type(exc).__name__}: {exc})"]
        )


def _checkov_outcomes(
    run: Callable[[], list[CheckovOutcome]],
) -> list[CheckovOutcome]:
    try:
        return run()
    except Exception as exc:  # as _checkov_outcome: a partial failure, never a silent pass
        problem = f"checkov: the scan failed ({type(exc).__name__}: {exc})"
        return [CheckovOutcome(problems=[problem])]


def _checkov_inputs(enabled: bool) -> list[InputRecord]:
    """The checkov data files that shaped the result: its platform waivers and severities."""
    if not enabled:
        return []
    return [
        InputRecord(f"checkov/{PLATFORM_WAIVERS_PATH.name}", sha256_file(PLATFORM_WAIVERS_PATH), "waivers"),
        InputRecord(f"checkov/{SEVERITIES_PATH.name}", sha256_file(SEVERITIES_PATH), "checkov-severities"),
    ]


def _inputs(
    request: ComplianceRequest, origin: ConfigOrigin, framework_files: list[Path]
) -> list[InputRecord]:
    inventory = request.inventory
    records: list[InputRecord] = []
    source = inventory.source
    if source.sha256:
        records.append(InputRecord(source.location, source.sha256, source.kind.value))
    config_path: Path | None = request.config_file
    if config_path is None and origin is ConfigOrigin.INVENTORY and source.kind is SourceKind.OFFLINE_PLAN:
        config_path = stack_file(Path(source.location), inventory.stack)
    if config_path is not None and config_path.is_file():
        records.append(InputRecord(str(config_path), sha256_file(config_path), "config"))
    if request.waivers_file is not None:
        records.append(InputRecord(str(request.waivers_file), sha256_file(request.waivers_file), "waivers"))
    for path in framework_files:
        records.append(InputRecord(path.name, sha256_file(path), "framework"))
    records.extend(request.extra_inputs)
    return records
