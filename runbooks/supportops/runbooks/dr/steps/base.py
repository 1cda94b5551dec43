"""What every step type declares and shares.

A step type is one module with one :class:`StepType` subclass that declares, in one place: its YAML
schema (``type:`` literal), the AWS services and API calls it makes (the least-privilege policy), its
checks, what it writes to the source, what `dr cleanup` must look for, whether moto can serve it (the
local demo), and how it runs. ``registry.py`` lists the types; nothing else knows them by name.

Also here: the step's context (clients, timeline, cleanup, targets), its result, and the findings it
reports (one per measured target: PASS when achieved <= target, FAIL when missed, ERROR when it could
not be measured).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, get_args

from supportops.findings import Evidence, Finding, Severity, Status, runbook_check_id
from supportops.polling import Deadline
from supportops.runbooks.dr.aws import ClientFactory
from supportops.runbooks.dr.checks import KIND
from supportops.runbooks.dr.cleanup import CleanupAction, CleanupStack
from supportops.runbooks.dr.clock import Instant, Timeline
from supportops.runbooks.dr.leftovers import CanarySite, ResourceKind
from supportops.runbooks.dr.schema import StepSpec
from supportops.runbooks.dr.targets import DrillTargets

S = TypeVar("S", bound=StepSpec)


@dataclass(frozen=True)
class Check:
    """A check a step reports: finding id ``dr-drill:<id>`` (frameworks map it), its title and severity.
    Every id a registered type declares is listed in :mod:`supportops.runbooks.dr.checks`."""

    id: str
    title: str
    severity: Severity = Severity.MEDIUM


# The checks several step types share (a type may declare its own beside them).
RTO = Check("rto", "Recovery time within the RTO target", Severity.HIGH)
RPO = Check("rpo", "Data loss window within the RPO target", Severity.HIGH)
VERIFY = Check("verify", "Restored data verified against the source")


class StepType(ABC, Generic[S]):
    """One kind of DR step. Subclasses set the class attributes and implement :meth:`run`."""

    schema: type[S]
    #: boto3 service names the step's clients are made for (shown by the plan).
    services: tuple[str, ...]
    #: IAM actions of every call the step (and its cleanup) makes: the least-privilege policy.
    api_calls: tuple[str, ...]
    #: Every check the type can report, in report order.
    checks: tuple[Check, ...]
    #: Kinds of drill resources it creates: `dr cleanup` finds them by tag and by reserved name.
    creates: tuple[ResourceKind, ...] = ()
    #: moto's server serves every call it makes (``dr demo`` runs it locally).
    moto_serves: bool = False

    @property
    def name(self) -> str:
        """The YAML ``type:`` value, read from the schema's ``Literal`` (one source of truth)."""
        (literal,) = get_args(self.schema.model_fields["type"].annotation)
        return str(literal)

    def expected_checks(self, step: S, allow_failover: bool) -> tuple[str, ...]:
        """The checks this step will report (unreported ones end as ERROR)."""
        return tuple(check.id for check in self.checks)

    def source_writes(self, step: S) -> str:
        """What the step writes to the source it drills, for the plan."""
        return "none"

    def plan_note(self, step: S, allow_failover: bool) -> str | None:
        return None

    def canary_sites(self, step: S, region: str, replica_region: str | None) -> tuple[CanarySite, ...]:
        """Where its canaries sit, for `dr cleanup` after a crash."""
        return ()

    @abstractmethod
    def run(self, step: S, ctx: StepContext, result: StepResult) -> None:
        """Do the step; report through ``result``; register every undo with ``ctx.on_cleanup`` first."""

    def seed_local(self, step: S, clients: ClientFactory, region: str) -> list[str]:
        """Create the sources the step reads on a local moto server (``dr demo``); what was made."""
        return []

    def local_overrides(self, step: S) -> dict[str, Any]:
        """Field updates that shorten the step's waits on a local endpoint (targets never change)."""
        return {}


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
    # Resources named like ours that a retried create found but that are not ours: never removed.
    foreign: set[str] = field(default_factory=set)

    def client(self, service: str, region: str | None = None) -> Any:
        return self.clients(service, region or self.targets.region)

    def event(self, event: str, **data: Any) -> Instant:
        return self.timeline.record(self.step_name, event, **data)

    def on_cleanup(self, resource: str, action: str, run: CleanupAction) -> None:
        """Register the undo of a side effect; call it before the side effect."""

        def unless_foreign(deadline: Deadline) -> object:
            return None if resource in self.foreign else run(deadline)

        self.cleanup.register(self.step_name, resource, action, unless_foreign)


@dataclass
class StepResult:
    name: str
    type: str
    checks: tuple[Check, ...]  # every check the step type can report (titles, severities)
    expected_checks: tuple[str, ...]
    findings: list[Finding] = field(default_factory=list)
    measurements: dict[str, Any] = field(default_factory=dict)
    resources: list[str] = field(default_factory=list)

    @property
    def reported(self) -> set[str]:
        return {f.check_id.removeprefix(f"{KIND}:") for f in self.findings}

    def add(
        self,
        check: str,
        status: Status,
        message: str,
        evidence: list[Evidence] | None = None,
    ) -> Finding:
        declared = next(c for c in self.checks if c.id == check)
        finding = Finding(
            check_id=runbook_check_id(KIND, check),
            title=declared.title,
            status=status,
            severity=declared.severity,
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
