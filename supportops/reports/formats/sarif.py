"""SARIF 2.1.0 (OASIS), shaped for GitHub code scanning.

GitHub turns every result into an alert, whatever its ``kind``, and rejects a whole upload when one
result has no physical location. So a result is a finding that needs attention: a FAIL (``kind:
fail``, level from its severity; a waived one carries an accepted external suppression with the
waiver's owner and expiry) or an ERROR (``kind: review``: it could not be evaluated, a person must
look). Passes and not-applicable findings are counted in the run's properties (the JSON report lists
them one by one).

Every result points at a file and a line: the program statement that declared the resource (offline
plans record it) with the component line as a related location, or, for state/preview/live inputs
that have no source, the input file itself (the line naming the resource's URN when there is one);
the message and ``properties.locationKind`` say which. The resource itself (URN, type, name) is the
logical location. Every rule has help text and Markdown and a ``helpUri``
(:mod:`supportops.reports.rule_help`). The run's problems are tool execution notifications, and
``executionSuccessful`` is false when there are any.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Final

from supportops.atomic import write_text_atomic
from supportops.findings import Finding, Report, Severity, Status
from supportops.locations import INPUT, SourceLocation
from supportops.reports.formats.common import iso_utc
from supportops.reports.rule_help import rule_help

SARIF_VERSION: Final = "2.1.0"
SARIF_SCHEMA: Final = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT: Final = "supportopsFinding/v1"
SRCROOT: Final = "%SRCROOT%"
# What a finding without any location points at (a report whose inputs are not files).
NO_FILE: Final = "Pulumi.yaml"

_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
# GitHub code scanning reads this property (0.0-10.0) to rank results.
_SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}


def attention(finding: Finding) -> bool:
    """A finding SARIF carries: a FAIL (waived or not) or an ERROR."""
    return finding.status in (Status.FAIL, Status.ERROR)


def to_sarif(report: Report) -> dict[str, Any]:
    rules: dict[str, dict[str, Any]] = {}
    indexes: dict[str, int] = {}
    results = []
    fallback = _fallback_location(report)
    for finding in report.findings:
        if finding.check_id not in rules:
            indexes[finding.check_id] = len(rules)
            rules[finding.check_id] = _rule(finding)
        if attention(finding):
            results.append(_result(finding, indexes[finding.check_id], fallback))
    invocation: dict[str, Any] = {
        "executionSuccessful": not report.problems,
        "toolExecutionNotifications": [
            {"level": "error", "message": {"text": problem}, "descriptor": {"id": "supportops-problem"}}
            for problem in report.problems
        ],
        "properties": {"kind": report.kind, "subject": report.subject},
    }
    end = iso_utc(report.generated_at)
    if end:
        invocation["endTimeUtc"] = end
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {
                "name": "supportops",
                "version": report.tool_version,
                "semanticVersion": report.tool_version,
                "rules": list(rules.values()),
            }},
            "automationDetails": {"id": f"{report.kind}/{report.subject}/"},
            "invocations": [invocation],
            "results": results,
            "properties": {
                "title": report.title,
                "summary": report.counts(),
                "failed": report.failed,
                "resultsHold": "FAIL and ERROR findings (passes and not-applicable ones: see summary)",
            },
        }],
    }


def _rule(finding: Finding) -> dict[str, Any]:
    help_ = rule_help(finding)
    return {
        "id": finding.check_id,
        "name": _pascal(finding.check_id),
        "shortDescription": {"text": help_.short},
        "fullDescription": {"text": help_.full},
        "help": {"text": help_.text, "markdown": help_.markdown},
        "helpUri": help_.uri,
        "defaultConfiguration": {"level": _LEVEL[finding.severity]},
        "properties": {
            "tags": list(dict.fromkeys(t for t in ("security", finding.category, finding.source) if t)),
            "severity": finding.severity.value,
            "security-severity": _SECURITY_SEVERITY[finding.severity],
            "precision": "high",
            "source": finding.source,
        },
    }


def _result(finding: Finding, rule_index: int, fallback: SourceLocation) -> dict[str, Any]:
    location = finding.location or fallback
    text = finding.message or finding.title or finding.check_id
    if location.kind == INPUT:
        text += f" (no source line for this resource: located at the input file {location.file})"
    result: dict[str, Any] = {
        "ruleId": finding.check_id,
        "ruleIndex": rule_index,
        "message": {"text": text},
        "locations": [{
            "physicalLocation": _physical(location),
            "logicalLocations": [_logical(finding)],
        }],
        "partialFingerprints": {FINGERPRINT: _fingerprint(finding)},
        "properties": {
            "status": finding.status.value,
            "severity": finding.severity.value,
            "source": finding.source,
            "subject": finding.subject,
            "subjectType": finding.subject_type,
            "requirements": finding.requirements,
            "evidence": [e.to_json() for e in finding.evidence],
            "locationKind": location.kind,
        },
    }
    if finding.status is Status.FAIL:
        result["kind"] = "fail"
        result["level"] = _LEVEL[finding.severity]
    else:  # ERROR: could not be evaluated; SARIF gives such a result no level of its own
        result["kind"] = "review"
    if location.component_file and location.component_line:
        result["relatedLocations"] = [{
            "id": 1,
            "physicalLocation": _physical(SourceLocation(location.component_file, location.component_line)),
            "message": {"text": "the component line that created the resource"},
        }]
    if finding.waiver is not None:
        waiver = finding.waiver
        result["suppressions"] = [{
            "kind": "external",
            "status": "accepted",
            "justification": waiver.justification,
            "properties": {"waiverId": waiver.waiver_id, "owner": waiver.owner, "expires": waiver.expires},
        }]
    return result


def _physical(location: SourceLocation) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": location.line}
    if location.column is not None:
        region["startColumn"] = location.column
    if location.end_line is not None and location.end_line >= location.line:
        region["endLine"] = location.end_line
        ends_later = location.end_line > location.line
        if location.end_column is not None and (
            ends_later or location.column is None or location.end_column > location.column
        ):
            region["endColumn"] = location.end_column
    return {"artifactLocation": {"uri": _uri(location.file), "uriBaseId": SRCROOT}, "region": region}


def _uri(path: str) -> str:
    """A relative URI reference for a repository path (percent-encoding what a URI cannot hold)."""
    from urllib.parse import quote

    return quote(path.lstrip("/"), safe="/-._~")


def _logical(finding: Finding) -> dict[str, Any]:
    logical: dict[str, Any] = {"fullyQualifiedName": finding.subject, "kind": "resource"}
    parts = finding.subject.split("::")
    if finding.subject.startswith("urn:pulumi:") and len(parts) >= 4:
        logical["name"] = parts[-1]
    if finding.subject_type:
        logical["decoratedName"] = finding.subject_type
    return logical


def _fingerprint(finding: Finding) -> str:
    """Stable across runs and machines: the check and the subject, never a path or a line."""
    key = f"{finding.check_id}|{finding.subject}".encode("utf-8", "backslashreplace")  # state data
    return hashlib.sha256(key).hexdigest()[:32]


def _fallback_location(report: Report) -> SourceLocation:
    """What a finding with no location points at: the run's own input file that exists (a state
    file, the stack config, a runbook ...), else the project file. The result says it is an input."""
    for record in report.inputs:
        path = Path(record.path)
        if record.path and not record.path.startswith(("http://", "https://")) and path.is_file():
            return SourceLocation(file=_repository_path(record.path), line=1, kind=INPUT)
    return SourceLocation(file=NO_FILE, line=1, kind=INPUT)


def _repository_path(path: str) -> str:
    """``path`` (as the run recorded it, relative to where it ran or absolute) from the repository root."""
    from supportops.locations import relative_path, repository_root

    resolved = Path(path).resolve()
    relative = relative_path(resolved, repository_root(resolved.parent))
    return relative if not relative.startswith("/") else resolved.name


def _pascal(check_id: str) -> str:
    words = check_id.replace("-", "_").replace(":", "_").split("_")
    return "".join(part.capitalize() for part in words if part)


def write(report: Report, path: Path) -> None:
    write_text_atomic(path, json.dumps(to_sarif(report), indent=1, default=str) + "\n")
