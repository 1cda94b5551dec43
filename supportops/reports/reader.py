"""Read a report back: an evidence bundle's ``report.json`` (schema ``supportops.report/v1``) into the
:class:`~supportops.findings.Report` every format renders.

The bundle's manifest is verified first: a bundle whose files were edited, added or removed is
refused (:class:`BadInput`, exit 2: it is not an input anyone should render or count), so a
re-rendered HTML or a combined control matrix never shows something the manifest does not vouch for.
The JSON is read through the core loader (bounded, strict) and validated with pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field

from supportops.errors import BadInput
from supportops.findings import (
    RUNBOOK_KINDS,
    Automation,
    Evidence,
    Finding,
    FrameworkResult,
    InputRecord,
    Report,
    RequirementResult,
    RequirementStatus,
    Severity,
    Status,
    Waiver,
    WaiverRecord,
)
from supportops.loading import STATE_LIMITS, load_model
from supportops.locations import SourceLocation
from supportops.models import CamelInputModel

REPORT_NAME = "report.json"


class _Evidence(CamelInputModel):
    path: str
    observed: Any = None
    expected: str | None = None


class _Waiver(CamelInputModel):
    id: str = ""
    owner: str
    justification: str
    expires: str


class _Finding(CamelInputModel):
    check_id: Annotated[str, Field(min_length=1)]
    title: str
    status: Status
    severity: Severity
    subject: str
    subject_type: str = ""
    message: str = ""
    evidence: list[_Evidence] = []
    source: str = "supportops"
    category: str = ""
    remediation: str = ""
    requirements: list[str] = []
    waiver: _Waiver | None = None
    # Where the resource was declared (SourceLocation.to_json).
    location: dict[str, Any] | None = None


class _Requirement(CamelInputModel):
    id: str
    title: str
    automation: Automation
    status: RequirementStatus
    check_ids: list[str] = []
    counts: dict[str, Annotated[int, Field(ge=0)]] = {}
    manual_evidence: str = ""


class _Framework(CamelInputModel):
    id: str
    title: str
    version: str
    requirements: list[_Requirement] = []


class _WaiverRecord(CamelInputModel):
    id: str
    check_id: str
    selector: str
    owner: str
    justification: str
    expires: str
    state: str
    matched: Annotated[int, Field(ge=0)] = 0


class _Input(CamelInputModel):
    path: str
    sha256: str
    role: str = ""


class ReportDocument(CamelInputModel):
    """``report.json`` as written by :mod:`supportops.reports.formats.json_report`."""

    schema_: Literal["supportops.report/v1"] = Field(alias="schema")
    kind: Annotated[str, Field(min_length=1)]
    title: str
    subject: str
    generated_at: str
    tool_version: str
    failed: bool  # derived: recomputed from the findings
    summary: dict[str, int]  # derived: recomputed from the findings
    problems: list[str] = []
    inputs: list[_Input] = []
    frameworks: list[_Framework] = []
    waivers: list[_WaiverRecord] = []
    details: dict[str, Any] = {}
    findings: list[_Finding] = []

    def to_report(self) -> Report:
        return Report(
            kind=self.kind,
            title=self.title,
            subject=self.subject,
            generated_at=self.generated_at,
            tool_version=self.tool_version,
            findings=[_finding(f) for f in self.findings],
            frameworks=[
                FrameworkResult(
                    f.id, f.title, f.version,
                    [RequirementResult(r.id, r.title, r.automation, r.status, list(r.check_ids),
                                       dict(r.counts), r.manual_evidence) for r in f.requirements],
                )
                for f in self.frameworks
            ],
            waivers=[WaiverRecord(w.id, w.check_id, w.selector, w.owner, w.justification, w.expires, w.state,
                                  w.matched) for w in self.waivers],
            inputs=[InputRecord(i.path, i.sha256, i.role) for i in self.inputs],
            problems=list(self.problems),
            details=dict(self.details),
        )


def _finding(doc: _Finding) -> Finding:
    finding = Finding(
        check_id=current_check_id(doc.check_id, doc.source),
        title=doc.title,
        status=doc.status,
        severity=doc.severity,
        subject=doc.subject,
        subject_type=doc.subject_type,
        message=doc.message,
        evidence=[Evidence(e.path, e.observed, e.expected) for e in doc.evidence],
        source=doc.source,
        category=doc.category,
        remediation=doc.remediation,
        requirements=list(doc.requirements),
        waiver=Waiver(doc.waiver.owner, doc.waiver.justification, doc.waiver.expires, doc.waiver.id)
        if doc.waiver else None,
    )
    finding.location = SourceLocation.from_json(doc.location)
    return finding


# Runbook reports filed before findings carried ``<kind>:<check>`` ids (dr.rto, bare access-review
# ids, privacy_erasure_verified) still count in a matrix built today.
_LEGACY_PREFIX = {"dr-drill": "dr.", "privacy": "privacy_"}


def current_check_id(check_id: str, source: str) -> str:
    if source not in RUNBOOK_KINDS or ":" in check_id:
        return check_id
    return f"{source}:{check_id.removeprefix(_LEGACY_PREFIX.get(source, ''))}"


@dataclass(frozen=True)
class LoadedBundle:
    path: Path
    report: Report
    manifest_sha256: str


def load_report(path: Path) -> Report:
    """A ``report.json`` file (not verified: :func:`load_bundle` is what commands use)."""
    return load_model(path, ReportDocument, limits=STATE_LIMITS, fmt="json").to_report()


def load_bundle(path: Path) -> LoadedBundle:
    """The report of the evidence bundle at ``path`` (its directory, or its ``report.json``), after
    verifying the manifest; :class:`BadInput` naming the first edited, added or missing file."""
    from supportops.reports.evidence import verify_bundle

    bundle = path.parent if path.name == REPORT_NAME and path.is_file() else path
    result = verify_bundle(bundle)
    if not result.ok:
        what = ([f"{name} edited" for name in result.edited] + [f"{name} added" for name in result.added]
                + [f"{name} missing" for name in result.missing]) or ["its signature does not verify"]
        more = f" (and {len(what) - 1} more)" if len(what) > 1 else ""
        raise BadInput.at(bundle, "", f"the bundle does not match its manifest: {what[0]}{more}; refusing to "
                                      "render it (supportops evidence verify shows every difference)")
    report_path = bundle / REPORT_NAME
    if not report_path.is_file():
        raise BadInput.at(bundle, "", f"the bundle holds no {REPORT_NAME}")
    return LoadedBundle(bundle, load_report(report_path), result.manifest_sha256)
