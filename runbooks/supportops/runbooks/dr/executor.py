"""Run a drill: each step in order under its own timeout, cleanup always last (``finally``, also after
SIGTERM/SIGINT), then the report and evidence bundle.

A step's AWS error makes its unmeasured targets ERROR (never PASS or FAIL) and the drill goes on with
the next step: a partial failure is reported, not hidden.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from supportops.findings import Report, Status
from supportops.loading import display_path
from supportops.polling import Deadline, WaitTimedOut
from supportops.reports.evidence import BundleRequest, write_bundle
from supportops.runbooks.dr.aws import AWS_ERRORS, BotoClients, ClientFactory, describe_error
from supportops.runbooks.dr.cleanup import CleanupStack
from supportops.runbooks.dr.clock import Timeline
from supportops.runbooks.dr.loader import load_runbook
from supportops.runbooks.dr.naming import drill_tags, new_drill_id
from supportops.runbooks.dr.report import build_report, drill_failed
from supportops.runbooks.dr.schema import Runbook, StepSpec
from supportops.runbooks.dr.signals import DrillInterrupted, guarded
from supportops.runbooks.dr.steps.base import StepContext, StepFailed, StepResult
from supportops.runbooks.dr.steps.registry import REGISTRY, StepRegistry
from supportops.runbooks.dr.targets import DrillTargets, resolve_targets
from supportops.stacks.config import stack_file

CLEANUP_SECONDS = 1800.0  # the whole cleanup stack; every wait inside is bounded by it


@dataclass
class DrillOptions:
    endpoint_url: str | None = None
    out_dir: Path | None = None
    allow_failover: bool = False
    clients: ClientFactory | None = None  # tests inject stubbed clients
    cleanup_seconds: float = CLEANUP_SECONDS
    on_step: Callable[[str, int, int], None] | None = None  # progress: step name, index, total
    notes: list[str] = field(default_factory=list)  # e.g. "local profile: waits shortened"


@dataclass
class DrillOutcome:
    report: Report
    drill_id: str
    manifest: Path | None
    failed: bool
    interrupted: str | None = None
    results: list[StepResult] = field(default_factory=list)


@dataclass(frozen=True)
class LoadedRunbook:
    runbook: Runbook
    path: Path
    source: str
    targets: DrillTargets
    stack_path: Path | None
    registry: StepRegistry = REGISTRY

    def result_for(self, step: StepSpec, allow_failover: bool) -> StepResult:
        step_type = self.registry.of(step)
        return StepResult(
            step.name, step.type, step_type.checks, step_type.expected_checks(step, allow_failover)
        )


def load(path: Path, project_dir: Path, registry: StepRegistry = REGISTRY) -> LoadedRunbook:
    runbook = load_runbook(path, registry)
    source = display_path(path)
    targets = resolve_targets(runbook, source, project_dir)
    stack_path = stack_file(project_dir, runbook.stack) if runbook.stack else None
    return LoadedRunbook(runbook, path, source, targets, stack_path, registry)


def plan(loaded: LoadedRunbook, allow_failover: bool) -> dict[str, Any]:
    """What a drill would do, without calling AWS (``--dry-run``)."""
    drill_id = "dr-<yyyymmddHHMMSS>-<hex6>"
    steps = []
    for step in loaded.runbook.steps:
        step_type = loaded.registry.of(step)
        entry: dict[str, Any] = {
            "name": step.name,
            "type": step.type,
            "services": list(step_type.services),
            "checks": list(step_type.expected_checks(step, allow_failover)),
            "timeoutSeconds": step.timeout_seconds,
            "pollSeconds": step.poll_seconds,
            "drillResource": f"{drill_id}-{step.name}",
            "writesToSource": step_type.source_writes(step),
        }
        note = step_type.plan_note(step, allow_failover)
        if note is not None:
            entry["note"] = note
        steps.append(entry)
    return {
        "runbook": loaded.runbook.name,
        "path": loaded.source,
        "status": loaded.runbook.status,
        "targets": loaded.targets.to_json(),
        "tags": sorted(drill_tags(drill_id, "<step>", "<source>")),
        "steps": steps,
    }


def run_drill(loaded: LoadedRunbook, options: DrillOptions) -> DrillOutcome:
    runbook = loaded.runbook
    drill_id = new_drill_id()
    clients = options.clients or BotoClients(options.endpoint_url)
    timeline = Timeline()
    cleanup = CleanupStack()
    results: list[StepResult] = []
    problems: list[str] = []
    interrupted: str | None = None
    timeline.record("-", "drill started", drillId=drill_id, runbook=runbook.name)
    with guarded() as guard:
        try:
            for index, step in enumerate(runbook.steps):
                if options.on_step is not None:
                    options.on_step(step.name, index, len(runbook.steps))
                result = loaded.result_for(step, options.allow_failover)
                results.append(result)
                _run_step(loaded, step, result, drill_id, clients, timeline, cleanup, options)
        except DrillInterrupted as exc:
            guard.shield_for_good()
            interrupted = str(exc)
            problems.append(f"interrupted by {interrupted}: cleanup ran; steps not finished are ERROR")
            timeline.record("-", f"interrupted by {interrupted}")
        finally:
            # From here on signals are recorded, not raised: cleanup and the report must complete.
            guard.shield_for_good()
            timeline.record("-", "cleanup started", actions=len(cleanup.entries))
            cleanup.run_all(options.cleanup_seconds, lambda step, event, data: timeline.record(step, event))
            timeline.record("-", "cleanup finished", failed=len(cleanup.failures))
        if interrupted is None and guard.received:
            interrupted = guard.received[0]
            problems.append(f"{interrupted} received during cleanup: cleanup and the report were completed")
        for failure in cleanup.failures:
            problems.append(
                f"cleanup failed: {failure['action']} {failure['resource']}: {failure['error']} "
                "(run `supportops dr cleanup`)"
            )
        done = {r.name for r in results}
        for step in runbook.steps:
            if step.name not in done:
                results.append(loaded.result_for(step, options.allow_failover))
        for result in results:
            result.fill_unreported(
                Status.ERROR,
                f"not measured: drill interrupted by {interrupted}" if interrupted else "not measured",
            )
        timeline.record("-", "drill finished")
        report = build_report(
            runbook=runbook,
            runbook_path=loaded.path,
            runbook_source=loaded.source,
            stack_path=loaded.stack_path,
            targets=loaded.targets,
            drill_id=drill_id,
            results=results,
            timeline=timeline,
            cleanup=cleanup.results,
            problems=problems,
            endpoint_url=options.endpoint_url,
            allow_failover=options.allow_failover,
        )
        report.details["notes"] = list(options.notes)
        manifest = None
        if options.out_dir is not None:
            manifest = write_bundle(BundleRequest(out_dir=options.out_dir / drill_id, report=report))
    return DrillOutcome(report, drill_id, manifest, drill_failed(report), interrupted, results)


def _run_step(
    loaded: LoadedRunbook,
    step: StepSpec,
    result: StepResult,
    drill_id: str,
    clients: ClientFactory,
    timeline: Timeline,
    cleanup: CleanupStack,
    options: DrillOptions,
) -> None:
    ctx = StepContext(
        drill_id=drill_id,
        step_name=step.name,
        step_type=step.type,
        targets=loaded.targets,
        clients=clients,
        timeline=timeline,
        cleanup=cleanup,
        deadline=Deadline(step.timeout_seconds),
        allow_failover=options.allow_failover,
    )
    ctx.event("step started", type=step.type, timeoutSeconds=step.timeout_seconds)
    try:
        loaded.registry.of(step).run(step, ctx, result)
    except StepFailed as exc:
        ctx.event(f"step stopped: {exc}")
        result.fill_unreported(exc.status, str(exc))
    except WaitTimedOut as exc:
        ctx.event(f"step timed out: {exc}")
        result.fill_unreported(Status.ERROR, f"step timeout ({step.timeout_seconds:g} s): {exc}")
    except AWS_ERRORS as exc:
        message = f"AWS error: {describe_error(exc)}"
        ctx.event(f"step error: {message}")
        result.fill_unreported(Status.ERROR, message)
    except Exception as exc:  # a malformed response or a bug: still ERROR, still cleaned up and reported
        message = f"unexpected error: {type(exc).__name__}: {exc}"
        ctx.event(f"step error: {message}")
        result.fill_unreported(Status.ERROR, message)
    else:
        ctx.event("step finished")
