"""The drill's report through the shared layer: kind "dr-drill", one Finding per step and measured
target, the timeline and measurements in ``details``, the runbook and stack file as inputs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from supportops.findings import Finding, InputRecord, Report, Status
from supportops.policies.frameworks.coverage import control_matrix
from supportops.reports.evidence import sha256_file
from supportops.runbooks.dr.clock import Timeline, clock_info, iso
from supportops.runbooks.dr.schema import Runbook
from supportops.runbooks.dr.steps.base import StepResult
from supportops.runbooks.dr.targets import DrillTargets
from supportops.version import __version__

KIND = "dr-drill"


def build_report(
    *,
    runbook: Runbook,
    runbook_path: Path,
    runbook_source: str,
    stack_path: Path | None,
    targets: DrillTargets,
    drill_id: str,
    results: list[StepResult],
    timeline: Timeline,
    cleanup: list[dict[str, Any]],
    problems: list[str],
    endpoint_url: str | None,
    allow_failover: bool,
) -> Report:
    findings: list[Finding] = [f for r in results for f in r.findings]
    inputs = [InputRecord(runbook_source, sha256_file(runbook_path), "runbook")]
    if stack_path is not None and stack_path.is_file():
        inputs.append(InputRecord(stack_path.name, sha256_file(stack_path), "config"))
    details = {
        "drillId": drill_id,
        "runbook": {"name": runbook.name, "path": runbook_source, "status": runbook.status},
        "targets": targets.to_json(),
        "endpointUrl": endpoint_url,
        "allowFailover": allow_failover,
        "startedAt": iso(timeline.start.wall),
        "steps": [
            {
                "name": r.name,
                "type": r.type,
                "status": step_status(r).value,
                "measurements": r.measurements,
                "drillResources": r.resources,
            }
            for r in results
        ],
        "timeline": timeline.events,
        "cleanup": cleanup,
        "clocks": clock_info(),
    }
    return Report(
        kind=KIND,
        title=f"DR drill: {runbook.name}",
        subject=runbook.name,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        tool_version=__version__,
        findings=findings,
        # what the drill evidences (PCI 12.10.1, GDPR Art. 32(1)(c)), mapped by the framework files
        frameworks=control_matrix(findings, evidenced_only=True),
        inputs=inputs,
        problems=problems,
        details=details,
    )


def step_status(result: StepResult) -> Status:
    statuses = {f.status for f in result.findings}
    for status in (Status.ERROR, Status.FAIL, Status.PASS):
        if status in statuses:
            return status
    return Status.NOT_APPLICABLE


def drill_failed(report: Report) -> bool:
    """A missed target, an unmeasured one (ERROR) or a cleanup failure: exit 1."""
    return report.failed or any(f.status is Status.ERROR for f in report.findings) or bool(report.problems)
