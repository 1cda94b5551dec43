"""The findings model every evaluator produces and every report format consumes.

Rules, checkov, access reviews and DR drills all emit :class:`Finding` objects. Status is a closed
enum: an API or evaluation error is ERROR, never PASS or FAIL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from supportops.locations import SourceLocation


class Status(StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    ERROR = "ERROR"  # could not be evaluated (API error, malformed value): never a pass or a fail
    NOT_APPLICABLE = "NOT_APPLICABLE"  # e.g. a value unknown at preview time


class Severity(StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_ORDER.index(self)

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


_SEVERITY_ORDER = list(Severity)


@dataclass(frozen=True, slots=True)
class Evidence:
    """What was looked at: the property path on the resource and the value observed there."""

    path: str
    observed: Any
    expected: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "observed": self.observed, "expected": self.expected}


@dataclass(frozen=True, slots=True)
class Waiver:
    """The waiver that covers a finding (owner and expiry are what auditors ask for)."""

    owner: str
    justification: str
    expires: str  # ISO date
    waiver_id: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"id": self.waiver_id, "owner": self.owner, "justification": self.justification,
                "expires": self.expires}


@dataclass(slots=True)
class Finding:
    """One check of one subject (a resource URN, a principal, a drill step)."""

    check_id: str
    title: str
    status: Status
    severity: Severity
    subject: str  # resource URN, principal ARN, drill step name
    subject_type: str = ""  # Pulumi type token, "iam:user", "dr:step" ...
    message: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    source: str = "supportops"  # supportops | checkov | access-review | dr-drill
    category: str = ""
    remediation: str = ""
    requirements: list[str] = field(default_factory=list)  # "pci-dss-4.0:3.5.1", "gdpr:art32"
    waiver: Waiver | None = None
    # Where the finding points in the repository (program line, or the input file): SARIF, compact.
    location: SourceLocation | None = None

    @property
    def waived(self) -> bool:
        return self.waiver is not None

    @property
    def failing(self) -> bool:
        """A FAIL that no waiver covers: what makes a run exit 1."""
        return self.status is Status.FAIL and self.waiver is None

    def to_json(self) -> dict[str, Any]:
        return {
            "checkId": self.check_id,
            "title": self.title,
            "status": self.status.value,
            "severity": self.severity.value,
            "subject": self.subject,
            "subjectType": self.subject_type,
            "message": self.message,
            "evidence": [e.to_json() for e in self.evidence],
            "source": self.source,
            "category": self.category,
            "remediation": self.remediation,
            "requirements": self.requirements,
            "waiver": self.waiver.to_json() if self.waiver else None,
            "location": self.location.to_json() if self.location else None,
        }


# The runbook kinds whose findings frameworks map (``runbookChecks``): their findings' ``check_id``
# is ``<kind>:<check>``, so one matrix builder maps rules, checkov and runbooks alike.
RUNBOOK_KINDS: tuple[str, ...] = ("access-review", "dr-drill", "privacy", "vulnerability-scan")


def runbook_check_id(kind: str, check: str) -> str:
    """``access-review:iam_role_unused``: the id a runbook's finding carries and frameworks list."""
    if kind not in RUNBOOK_KINDS:
        raise ValueError(f"unknown runbook kind {kind!r}")
    return f"{kind}:{check}"


class Automation(StrEnum):
    """How far a framework requirement is checked by tooling."""

    AUTOMATED = "automated"
    PARTIAL = "partial"  # some rules, plus manual evidence
    MANUAL = "manual"  # procedural: evidence is gathered by people


class RequirementStatus(StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    ERROR = "ERROR"
    NOT_APPLICABLE = "NOT_APPLICABLE"
    MANUAL = "MANUAL"  # needs manual evidence; never shown as passed


@dataclass(slots=True)
class RequirementResult:
    requirement_id: str  # "3.5.1"
    title: str
    automation: Automation
    status: RequirementStatus
    check_ids: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # Status value -> number of findings
    manual_evidence: str = ""  # what an auditor must collect for the manual part

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.requirement_id,
            "title": self.title,
            "automation": self.automation.value,
            "status": self.status.value,
            "checkIds": self.check_ids,
            "counts": self.counts,
            "manualEvidence": self.manual_evidence,
        }


@dataclass(slots=True)
class FrameworkResult:
    framework_id: str  # "pci-dss-4.0"
    title: str
    version: str
    requirements: list[RequirementResult] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.framework_id,
            "title": self.title,
            "version": self.version,
            "requirements": [r.to_json() for r in self.requirements],
        }


@dataclass(slots=True)
class WaiverRecord:
    """A waiver as the register shows it: matched, expired, or matching nothing."""

    waiver_id: str
    check_id: str
    selector: str
    owner: str
    justification: str
    expires: str
    state: str  # "active" | "expired" | "unmatched"
    matched: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.waiver_id, "checkId": self.check_id, "selector": self.selector, "owner": self.owner,
            "justification": self.justification, "expires": self.expires, "state": self.state,
            "matched": self.matched,
        }


@dataclass(slots=True)
class InputRecord:
    """An input the run read (state file, runbook, config), by content hash."""

    path: str
    sha256: str
    role: str = ""  # "stack-export", "runbook", "config" ...

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "sha256": self.sha256, "role": self.role}


@dataclass(slots=True)
class Report:
    """One run's result, whatever produced it; every report format renders this."""

    kind: str  # "compliance" | "access-review" | "dr-drill"
    title: str
    subject: str  # stack, account(s), runbook
    generated_at: str  # ISO 8601 UTC
    tool_version: str
    findings: list[Finding] = field(default_factory=list)
    frameworks: list[FrameworkResult] = field(default_factory=list)
    waivers: list[WaiverRecord] = field(default_factory=list)
    inputs: list[InputRecord] = field(default_factory=list)
    # Partial failures the reader must see (e.g. "checkov unavailable: ..."); never hidden.
    problems: list[str] = field(default_factory=list)
    # Kind-specific data: a drill's timeline and measurements, a campaign's id ...
    details: dict[str, Any] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        totals = {status.value: 0 for status in Status}
        totals["WAIVED"] = 0
        for finding in self.findings:
            if finding.waived:
                totals["WAIVED"] += 1
            else:
                totals[finding.status.value] += 1
        return totals

    @property
    def failed(self) -> bool:
        return any(f.failing for f in self.findings)
