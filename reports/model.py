"""The findings model every evaluator produces and every report format consumes.

Rules, checkov, access reviews and DR drills all emit :class:`Finding` objects. Status is a closed
enum: an API or evaluation error is ERROR, never PASS or FAIL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


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
        }
