"""What every step type shares: its context (clients, timeline, cleanup, targets), its result, and
the findings it reports (one per measured target: PASS when achieved <= target, FAIL when missed,
ERROR when it could not be measured)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from supportops.findings import Evidence, Finding, Severity, Status
from supportops.runbooks.dr.aws import ClientFactory
from supportops.runbooks.dr.cleanup import CleanupAction, CleanupStack
from supportops.runbooks.dr.clock import Instant, Timeline
from supportops.runbooks.dr.polling import Deadline
from supportops.runbooks.dr.targets import DrillTargets

CHECK_TITLES = {
    "rto": "Recovery time within the RTO target",
    "rpo": "Data loss window within the RPO target",
    "verify": "Restored data verified against the source",
    "readiness": "Failover capacity ready",
    "failover": "Failover performed and reverted",
}


class StepFailed(Exception):
    """A step cannot go on; ``status`` says whether that misses the targets (FAIL) or leaves them
    unmeasured (ERROR). Unreported checks of the step get this status and message."""

    def __init__(self, message: str, status: Status = Status.ERROR) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class StepContext:
    drill_id: str
    step_name: str
    step_type: str
    targets: DrillTargets
    clients: ClientFactory
    timeline: Timeline
    cleanup: CleanupStack
    deadline: Deadline
    allow_failover: bool = False

    def client(self, service: str, region: str | None = None) -> Any:
        return self.clients(service, region or self.targets.region)

    def event(self, event: str, **data: Any) -> Instant:
        return self.timeline.record(self.step_name, event, **data)

    def on_cleanup(self, resource: str, action: str, run: CleanupAction) -> None:
        """Register the undo of a side effect; call it before the side effect."""
        self.cleanup.register(self.step_name, resource, action, run)


@dataclass
class StepResult:
    name: str
    type: str
    expected_checks: tuple[str, ...]
    findings: list[Finding] = field(default_factory=list)
    measurements: dict[str, Any] = field(default_factory=dict)
    resources: list[str] = field(default_factory=list)

    @property
    def reported(self) -> set[str]:
        return {f.check_id.removeprefix("dr.") for f in self.findings}

    def add(
        self,
        check: str,
        status: Status,
        message: str,
        evidence: list[Evidence] | None = None,
    ) -> Finding:
        finding = Finding(
            check_id=f"dr.{check}",
            title=CHECK_TITLES[check],
            status=status,
            severity=Severity.HIGH if check in ("rto", "rpo") else Severity.MEDIUM,
            subject=self.name,
            subject_type=f"dr:step:{self.type}",
            message=message,
            evidence=evidence or [],
            source="dr-drill",
            category="resilience",
        )
        self.findings.append(finding)
        return finding

    def measured(
        self,
        check: str,
        achieved_seconds: float,
        target_seconds: float,
        basis: str,
        evidence: list[Evidence] | None = None,
        note: str = "",
    ) -> Finding:
        """A measured target: PASS when achieved <= target, FAIL otherwise."""
        status = Status.PASS if achieved_seconds <= target_seconds else Status.FAIL
        verb = "within" if status is Status.PASS else "misses"
        message = (
            f"{check.upper()} {fmt_seconds(achieved_seconds)} {verb} target {fmt_seconds(target_seconds)} "
            f"({basis})"
        )
        if note:
            message += f"; {note}"
        self.measurements[f"{check}Seconds"] = round(achieved_seconds, 6)
        self.measurements[f"{check}TargetSeconds"] = target_seconds
        self.measurements[f"{check}Basis"] = basis
        items = [
            Evidence(f"{check}.achievedSeconds", round(achieved_seconds, 6), f"<= {target_seconds:g}"),
            Evidence(f"{check}.basis", basis),
        ]
        return self.add(check, status, message, items + (evidence or []))

    def timed_out(self, check: str, waited_seconds: float, target_seconds: float, what: str) -> Finding:
        """A wait ended at its bound: a missed target when the bound was not below the target,
        otherwise the target is unproven (ERROR)."""
        evidence = [Evidence(f"{check}.waitedSeconds", round(waited_seconds, 3), f"<= {target_seconds:g}")]
        if waited_seconds >= target_seconds:
            self.measurements[f"{check}Seconds"] = None
            return self.add(
                check,
                Status.FAIL,
                f"{what} not done after {fmt_seconds(waited_seconds)}: target {fmt_seconds(target_seconds)} "
                "missed",
                evidence,
            )
        return self.add(
            check,
            Status.ERROR,
            f"{what} not done when the step timeout ended the wait ({fmt_seconds(waited_seconds)}, below "
            f"the target {fmt_seconds(target_seconds)}): not measured; raise timeoutSeconds",
            evidence,
        )

    def fill_unreported(self, status: Status, message: str) -> None:
        for check in self.expected_checks:
            if check not in self.reported:
                self.add(check, status, message)


def fmt_seconds(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    if seconds < 120:
        return f"{seconds:.1f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.2f} h"
