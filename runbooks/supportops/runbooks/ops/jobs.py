"""The three jobs, run in-process through the same library functions the CLI commands call, for one
account, each writing its evidence bundle(s) under the run's folder.

A job returns what the runner publishes: the reports (one per bundle), the drills' achieved RTO/RPO
against their targets, and the principals the access review flagged."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from supportops.findings import Report, Status
from supportops.reports.evidence import BundleRequest, write_bundle
from supportops.runbooks.ops.sessions import SessionClients
from supportops.stacks.config import StackConfig, stack_file
from supportops.stacks.config.operations import OpsJob


@dataclass(frozen=True)
class JobContext:
    job: OpsJob
    account: str
    account_name: str
    project: Path
    config: StackConfig  # the operations stack's config (jobs, accounts, platform targets)
    session: boto3.Session  # already the account's credentials
    endpoint_url: str | None
    run_dir: Path
    runbooks: tuple[str, ...] = ()  # dr-drill: the runbooks to drill (default: all configured)
    # The local demo shortens a drill's waits; None in production.
    dr_profile: Callable[[Any], Any] | None = None
    on_stage: Callable[[str], None] = lambda _stage: None


@dataclass(frozen=True)
class DrillMeasure:
    runbook: str
    step: str
    rto_seconds: float | None
    rto_target_seconds: float | None
    rpo_seconds: float | None
    rpo_target_seconds: float | None
    rto_status: str
    rpo_status: str

    @property
    def missed(self) -> bool:
        return "FAIL" in (self.rto_status, self.rpo_status)

    def to_json(self) -> dict[str, Any]:
        return {
            "runbook": self.runbook,
            "step": self.step,
            "rtoSeconds": self.rto_seconds,
            "rtoTargetSeconds": self.rto_target_seconds,
            "rpoSeconds": self.rpo_seconds,
            "rpoTargetSeconds": self.rpo_target_seconds,
            "rtoStatus": self.rto_status,
            "rpoStatus": self.rpo_status,
        }


@dataclass
class JobResult:
    bundles: list[tuple[Path, Report]] = field(default_factory=list)
    drills: list[DrillMeasure] = field(default_factory=list)
    principals_flagged: int | None = None
    principals: int | None = None
    # Problems that are not findings (a cleanup left something behind): the run failed.
    problems: list[str] = field(default_factory=list)


def run_job(context: JobContext) -> JobResult:
    runners: dict[OpsJob, Callable[[JobContext], JobResult]] = {
        OpsJob.ACCESS_REVIEW: access_review,
        OpsJob.DR_DRILL: dr_drill,
        OpsJob.COMPLIANCE: compliance,
    }
    return runners[context.job](context)


def access_review(context: JobContext) -> JobResult:
    from supportops.runbooks.access_review.clients import ClientFactory, RoleChoice
    from supportops.runbooks.access_review.review import run_review
    from supportops.runbooks.access_review.schema import Account, load_runbook, resolve_runbook

    path = resolve_runbook(Path(context.config.operations.jobs.access_review.runbook))
    book = load_runbook(path)
    # The runbook's checks and thresholds, for this account only (the state machine fans out).
    scope = book.scope.model_copy(
        update={
            "accounts": (Account(id=context.account, name=context.account_name),),
            "connect_instances": tuple(
                i for i in book.scope.connect_instances if i.account == context.account
            ),
        }
    )
    book = book.model_copy(update={"scope": scope})
    factory = ClientFactory(
        base=context.session, endpoint_url=context.endpoint_url, region=scope.region, roles=RoleChoice()
    )
    result = run_review(book, path, factory, context.run_dir / "access-review")
    # Account-level findings (root usage, a collection error) name the account root, not a principal.
    flagged = {f.subject for f in result.report.findings if f.failing and not f.subject.endswith(":root")}
    return JobResult(
        bundles=[(result.out_dir, result.report)],
        principals_flagged=len(flagged),
        principals=sum(result.principals.values()),
    )


def dr_drill(context: JobContext) -> JobResult:
    from supportops.runbooks.dr.executor import DrillOptions, load, run_drill
    from supportops.runbooks.dr.loader import resolve_runbook_path

    names = context.runbooks or tuple(context.config.operations.jobs.dr_drill.runbooks)
    result = JobResult()
    for name in names:
        loaded = load(resolve_runbook_path(name), context.project)
        if context.dr_profile is not None:
            loaded = context.dr_profile(loaded)
        outcome = run_drill(
            loaded,
            DrillOptions(
                endpoint_url=context.endpoint_url,
                out_dir=context.run_dir / "dr-drill" / name,
                clients=SessionClients(context.session, context.endpoint_url),
                on_step=_step_reporter(context, name),
            ),
        )
        assert outcome.manifest is not None  # out_dir was given
        result.bundles.append((outcome.manifest.parent, outcome.report))
        result.problems += outcome.report.problems
        result.drills += drill_measures(name, outcome.report)
    return result


def _step_reporter(context: JobContext, runbook: str) -> Callable[[str, int, int], None]:
    def report(step: str, index: int, total: int) -> None:
        context.on_stage(f"drill {runbook}: step {index + 1}/{total} {step}")

    return report


def drill_measures(runbook: str, report: Report) -> list[DrillMeasure]:
    # The check's last part: "dr-drill:rto" (runbook check ids) or "dr.rto" (older reports).
    statuses = {
        (f.subject, f.check_id.replace(":", ".").rsplit(".", 1)[-1]): f.status.value for f in report.findings
    }
    measures = []
    for step in report.details.get("steps", []):
        values = step.get("measurements", {})
        if "rtoTargetSeconds" not in values and "rpoTargetSeconds" not in values:
            continue  # a step that measures neither (a readiness check)
        measures.append(
            DrillMeasure(
                runbook=runbook,
                step=step["name"],
                rto_seconds=_number(values.get("rtoSeconds")),
                rto_target_seconds=_number(values.get("rtoTargetSeconds")),
                rpo_seconds=_number(values.get("rpoSeconds")),
                rpo_target_seconds=_number(values.get("rpoTargetSeconds")),
                rto_status=statuses.get((step["name"], "rto"), Status.NOT_APPLICABLE.value),
                rpo_status=statuses.get((step["name"], "rpo"), Status.NOT_APPLICABLE.value),
            )
        )
    return measures


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def compliance(context: JobContext) -> JobResult:
    """Live compliance of the account: the live collectors' inventory through the same rules as
    `supportops comply` (checkov is a pre-deployment scan and does not run here)."""
    from supportops.inventory.live import LiveTarget, collect_live
    from supportops.live_findings import fault_finding, mark_faulted, not_collected_problems
    from supportops.policies.compliance import ComplianceRequest, run_compliance

    config = context.config
    regions = tuple(r for r in (config.region, config.resilience.replica_region) if r is not None)
    collection = collect_live([LiveTarget(context.session, context.account, regions, context.endpoint_url)])
    platform_stack = config.operations.jobs.compliance.stacks[0]
    report = run_compliance(
        ComplianceRequest(
            inventory=collection.inventory,
            config_file=stack_file(context.project, platform_stack),
            checkov=False,
        )
    )
    mark_faulted(report.findings, collection.faults)
    report.findings.extend(fault_finding(fault) for fault in collection.faults)
    report.problems.extend(not_collected_problems(collection.uncollected_types))
    out = context.run_dir / "compliance"
    manifest = write_bundle(BundleRequest(out_dir=out, report=report))
    return JobResult(bundles=[(manifest.parent, report)])


def failing_by_severity(reports: list[Report]) -> dict[str, int]:
    from supportops.findings import Severity

    counts = {severity.value: 0 for severity in Severity}
    for report in reports:
        for finding in report.findings:
            if finding.failing:
                counts[finding.severity.value] += 1
    return counts


def errors(reports: list[Report]) -> int:
    return sum(1 for r in reports for f in r.findings if f.status is Status.ERROR and not f.waived)
