"""SARIF 2.1.0 (OASIS), for code-scanning dashboards.

Every finding is a result: FAIL is ``kind: fail`` with a level from its severity, PASS ``pass``,
NOT_APPLICABLE ``notApplicable``, and ERROR ``review`` (it could not be evaluated: a person must look).
A waived finding carries an accepted external suppression with the waiver's owner and expiry.
Subjects are cloud resources, not files, so they are logical locations. The run's problems are
tool execution notifications, and ``executionSuccessful`` is false when there are any.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from supportops.atomic import write_text_atomic
from supportops.findings import Finding, Report, Severity, Status
from supportops.reports.formats.common import iso_utc

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

_KIND = {
    Status.FAIL: "fail",
    Status.PASS: "pass",
    Status.NOT_APPLICABLE: "notApplicable",
    Status.ERROR: "review",
}
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


def to_sarif(report: Report) -> dict[str, Any]:
    rules: dict[str, dict[str, Any]] = {}
    indexes: dict[str, int] = {}
    results = []
    for finding in report.findings:
        if finding.check_id not in rules:
            indexes[finding.check_id] = len(rules)
            rules[finding.check_id] = _rule(finding)
        results.append(_result(finding, indexes[finding.check_id]))
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
            "properties": {"title": report.title, "summary": report.counts(), "failed": report.failed},
        }],
    }


def _rule(finding: Finding) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": finding.check_id,
        "name": _pascal(finding.check_id),
        "shortDescription": {"text": finding.title or finding.check_id},
        "defaultConfiguration": {"level": _LEVEL[finding.severity]},
        "properties": {
            "tags": [t for t in ("security", finding.category, finding.source) if t],
            "severity": finding.severity.value,
            "security-severity": _SECURITY_SEVERITY[finding.severity],
            "source": finding.source,
        },
    }
    if finding.remediation:
        rule["help"] = {"text": finding.remediation}
    return rule


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    kind = _KIND[finding.status]
    text = finding.message or finding.title or finding.check_id
    result: dict[str, Any] = {
        "ruleId": finding.check_id,
        "ruleIndex": rule_index,
        "kind": kind,
        # SARIF: a result whose kind is not "fail" must have level "none".
        "level": _LEVEL[finding.severity] if kind == "fail" else "none",
        "message": {"text": text},
        "locations": [{"logicalLocations": [{
            "fullyQualifiedName": finding.subject,
            "kind": "resource",
            **({"decoratedName": finding.subject_type} if finding.subject_type else {}),
        }]}],
        "partialFingerprints": {"supportops/v1": f"{finding.check_id}|{finding.subject}"},
        "properties": {
            "status": finding.status.value,
            "severity": finding.severity.value,
            "source": finding.source,
            "subjectType": finding.subject_type,
            "requirements": finding.requirements,
            "evidence": [e.to_json() for e in finding.evidence],
        },
    }
    if finding.waiver is not None:
        waiver = finding.waiver
        result["suppressions"] = [{
            "kind": "external",
            "status": "accepted",
            "justification": waiver.justification,
            "properties": {"waiverId": waiver.waiver_id, "owner": waiver.owner, "expires": waiver.expires},
        }]
    return result


def _pascal(check_id: str) -> str:
    return "".join(part.capitalize() for part in check_id.replace("-", "_").split("_") if part)


def write(report: Report, path: Path) -> None:
    write_text_atomic(path, json.dumps(to_sarif(report), indent=1, default=str) + "\n")
