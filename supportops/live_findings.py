"""What a live run adds to its report: faults as ERROR findings, the types it could not collect, and
the exit code of a run that read AWS.

A fault (AccessDenied, throttling after retries, a disabled region, an API the endpoint does not
implement) is never a verdict. It becomes an ERROR finding naming the API call, the region and the
principal; a rule verdict on a resource whose settings a fault left unread is turned into ERROR too
(a missing encryption setting that could not be read is not a missing encryption setting). A type
that cannot be collected is listed in the report's problems (every format shows them), never skipped
in silence.

Exit code of a live run: 1 when an unwaived FAIL exists, else 3 (EXIT_ENVIRONMENT) when any ERROR
finding exists, else 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Final

from supportops.errors import EXIT_ENVIRONMENT, EXIT_FINDINGS, EXIT_OK
from supportops.findings import Evidence, Finding, Report, Severity, Status
from supportops.inventory.live.model import CollectionFault
from supportops.inventory.model import STACK_TYPE

FAULT_CHECK: Final = "live:fault"
PROVIDERS: Final = "pulumi:providers:"
FAULT_TITLE: Final = "AWS could be read"
UNKNOWN_PRINCIPAL: Final = "an unknown principal"


MAX_FAULT_MESSAGE: Final = 240
_HTML: Final = re.compile(r"<[^>]+>")


def one_line(message: str) -> str:
    """An AWS error message on one bounded line (an endpoint's 500 may answer with an HTML page)."""
    text = " ".join(_HTML.sub(" ", message).split())
    return text if len(text) <= MAX_FAULT_MESSAGE else f"{text[: MAX_FAULT_MESSAGE - 1]}…"


def describe_fault(fault: CollectionFault) -> str:
    """``s3:GetBucketEncryption in us-east-1 as arn:aws:iam::1:user/x failed with AccessDenied: ...``"""
    message = one_line(fault.message)
    detail = f": {message}" if message else ""
    return (
        f"{fault.service}:{fault.api_call} in {fault.region} as {fault.principal or UNKNOWN_PRINCIPAL} "
        f"failed with {fault.error_code}{detail}"
    )


def fault_finding(fault: CollectionFault) -> Finding:
    subject = fault.subject or f"aws:{fault.service}:{fault.api_call}@{fault.region}"
    return Finding(
        check_id=FAULT_CHECK,
        title=FAULT_TITLE,
        status=Status.ERROR,
        severity=Severity.HIGH,
        subject=subject,
        subject_type="live:api-call",
        message=describe_fault(fault),
        evidence=[
            Evidence("apiCall", f"{fault.service}:{fault.api_call}"),
            Evidence("region", fault.region),
            Evidence("principal", fault.principal),
            Evidence("errorCode", fault.error_code),
        ],
        source="live",
        category="collection",
        remediation="Grant the read-only policy of `supportops comply --live permissions` to the "
        "principal, enable the region, or retry after throttling; then run again.",
    )


NOT_COLLECTED_CHECK: Final = "live:not-collected"


def not_collected_findings(uncollected: Mapping[str, str]) -> list[Finding]:
    """One NOT_APPLICABLE finding per type not collected, so that formats without a problems section
    (CSV) list them too; never a PASS, never counted as a failure."""
    return [
        Finding(
            check_id=NOT_COLLECTED_CHECK,
            title="Type collected from the live account",
            status=Status.NOT_APPLICABLE,
            severity=Severity.INFO,
            subject=type_token,
            subject_type="live:type",
            message=f"not collected: {why}",
            source="live",
            category="collection",
        )
        for type_token, why in sorted(uncollected.items())
        if not type_token.startswith(PROVIDERS)
    ]


def not_collected_problems(uncollected: Mapping[str, str], present: Iterable[str] | None = None) -> list[str]:
    """One line per type the live run could not collect (only ``present`` types, when given)."""
    wanted = None if present is None else set(present)
    return [
        f"not collected: {type_token}: {why}"
        for type_token, why in sorted(uncollected.items())
        # Pulumi's providers are deployment-tool configuration, never in an account.
        if (wanted is None or type_token in wanted) and not type_token.startswith(PROVIDERS)
    ]


def mark_faulted(findings: list[Finding], faults: Iterable[CollectionFault]) -> int:
    """Turn every verdict on a resource whose settings a fault left unread into ERROR (returns how
    many): the rule saw a hole where a setting may well be."""
    by_subject = {f.subject: f for f in faults if f.subject}
    changed = 0
    for finding in findings:
        fault = by_subject.get(finding.subject)
        if fault is None or finding.status is Status.ERROR:
            continue
        why = describe_fault(fault)
        finding.message = f"not evaluated ({finding.status.value} on incomplete data): {why}"
        finding.status = Status.ERROR
        changed += 1
    return changed


def mark_uncollected(
    findings: list[Finding], uncollected: Mapping[str, str], rule_types: Mapping[str, Iterable[str]]
) -> int:
    """Turn every account-wide verdict (on the stack resource: "GuardDuty is on in every region") whose
    rule reads a type the run could not collect into ERROR (returns how many): absence in an inventory
    that never read the type proves nothing."""
    changed = 0
    for finding in findings:
        if finding.subject_type != STACK_TYPE or finding.status not in (Status.PASS, Status.FAIL):
            continue
        missing = sorted(t for t in rule_types.get(finding.check_id, ()) if t in uncollected)
        if not missing:
            continue
        why = "; ".join(f"{t}: {uncollected[t]}" for t in missing)
        finding.message = f"not evaluated ({finding.status.value} without the types it reads): {why}"
        finding.status = Status.ERROR
        changed += 1
    return changed


def live_exit_code(report: Report) -> int:
    """1 on an unwaived FAIL, else 3 when anything is ERROR, else 0."""
    if report.failed:
        return EXIT_FINDINGS
    if any(f.status is Status.ERROR and not f.waived for f in report.findings):
        return EXIT_ENVIRONMENT
    return EXIT_OK
