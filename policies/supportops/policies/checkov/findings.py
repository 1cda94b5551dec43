"""checkov's results -> our findings: source ``checkov``, the check id, the resource mapped back to
its Pulumi URN, severity from our data file and framework requirements from the framework files."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from supportops.findings import Evidence, Finding, Severity, Status
from supportops.inventory.model import REDACTED, Inventory, Resource, is_secret
from supportops.policies.checkov.metadata import SeverityTable
from supportops.policies.checkov.report import CheckResult, CheckResultValue
from supportops.policies.frameworks.model import RequirementIndex

SOURCE: Final = "checkov"
RUN_CHECK_ID: Final = "checkov"  # the run itself, when it could not produce results
_STATUS: Final = {
    CheckResultValue.PASSED: Status.PASS,
    CheckResultValue.FAILED: Status.FAIL,
    CheckResultValue.SKIPPED: Status.NOT_APPLICABLE,
}


def camel_case(name: str) -> str:
    """A Terraform attribute path (``rule/apply_server_side_encryption_by_default``) in Pulumi's
    naming (``rule.applyServerSideEncryptionByDefault``)."""
    parts = []
    for part in name.replace("/", ".").split("."):
        head, *rest = part.split("_")
        parts.append(head + "".join(word[:1].upper() + word[1:] for word in rest))
    return ".".join(parts)


def observed(resource: Resource | None, path: str) -> Any:
    """The value checkov looked at, from the Pulumi resource; a secret stays redacted."""
    if resource is None:
        return None
    top = path.split(".", 1)[0]
    if is_secret(resource.inputs.get(top)) or is_secret(resource.outputs.get(top)):
        return REDACTED
    return resource.prop(path, None)


def resource_findings(
    checks: Iterable[CheckResult],
    *,
    addresses: Mapping[str, str],
    inventory: Inventory,
    severities: SeverityTable,
    requirements: RequirementIndex,
) -> tuple[list[Finding], list[str]]:
    """Findings for terraform_plan results, and the problems met (a result naming no resource
    of the plan is a problem, never dropped)."""
    findings: list[Finding] = []
    problems: list[str] = []
    for check in checks:
        address = check.resource_address or check.resource
        urn = addresses.get(address)
        if urn is None:
            problems.append(f"checkov: {check.check_id} reported {address!r}, which is not in the plan")
            continue
        resource = inventory.by_urn(urn)
        subject_type = resource.type if resource else ""
        keys = [camel_case(key) for key in check.check_result.evaluated_keys if key != "resource_type"]
        evidence = [Evidence(key, observed(resource, key)) for key in keys]
        status = _STATUS[check.check_result.result]
        findings.append(
            Finding(
                check_id=check.check_id,
                title=check.check_name or check.check_id,
                status=status,
                severity=severities.severity(check.check_id),
                subject=urn,
                subject_type=subject_type,
                message=f"checkov {check.check_id} {check.check_result.result.value.lower()} on {address}",
                evidence=evidence,
                source=SOURCE,
                category="checkov",
                remediation=check.guideline or "",
                requirements=requirements.requirements(check.check_id),
            )
        )
    return findings, problems


def secret_findings(
    checks: Iterable[CheckResult], *, severities: SeverityTable, requirements: RequirementIndex
) -> list[Finding]:
    """A plaintext secret: the file and lines, never the value."""
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for check in checks:
        if check.check_result.result is not CheckResultValue.FAILED:
            continue
        lines = check.file_line_range
        where = check.file_path.lstrip("/")
        subject = f"{where}:{lines[0]}" if lines else where
        if (check.check_id, subject) in seen:
            continue  # two detectors, one secret
        seen.add((check.check_id, subject))
        findings.append(
            Finding(
                check_id=check.check_id,
                title=f"Plaintext secret: {check.check_name}" if check.check_name else "Plaintext secret",
                status=Status.FAIL,
                severity=severities.severity(check.check_id),
                subject=subject,
                subject_type="file",
                message=f"checkov found a plaintext {check.check_name or 'secret'} in {subject}",
                evidence=[Evidence(path=where, observed=f"lines {lines[0]}-{lines[-1]}" if lines else None)],
                source=SOURCE,
                category="secrets",
                remediation="Move the value to a Pulumi secret (`pulumi config set --secret`) or a secret "
                "store, rotate it, and remove it from the repository history.",
                requirements=requirements.requirements(check.check_id),
            )
        )
    return findings


def run_error(subject: str, reason: str, *, title: str = "checkov scan could not run") -> Finding:
    """The ERROR that stands for checkov's results when it could not produce them."""
    return Finding(
        check_id=RUN_CHECK_ID,
        title=title,
        status=Status.ERROR,
        severity=Severity.HIGH,
        subject=subject,
        subject_type="checkov:run",
        message=reason,
        source=SOURCE,
        category="checkov",
    )
