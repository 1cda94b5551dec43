"""A drift result as a :class:`~supportops.findings.Report`, so every report writer (table, json, html,
sarif, csv) and the evidence bundle work unchanged.

Checks (one finding per managed resource and check, plus one per unmanaged resource):

- ``drift:changed``: FAIL with one evidence item per changed property (observed = live value,
  expected = state value), PASS when every compared property matches, ERROR when a fault left the
  live resource's settings unread;
- ``drift:deleted``: FAIL for a managed resource not found live, ERROR when a failed list call may be
  why it was not found;
- ``drift:unmanaged``: FAIL for a live resource carrying the stack's tags that the state does not hold;
- ``live:fault``: ERROR for every call that could not read (see :mod:`supportops.live_findings`);
- ``live:not-collected``: NOT_APPLICABLE for each type of the state no collector read (also a problem).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any, Final

from supportops.drift.compare import DriftKind, DriftResult, ResourceDrift
from supportops.findings import Evidence, Finding, InputRecord, Report, Severity, Status
from supportops.inventory.live.model import LiveCollection
from supportops.inventory.model import Inventory
from supportops.live_findings import fault_finding, not_collected_findings
from supportops.version import __version__

CHANGED: Final = "drift:changed"
DELETED: Final = "drift:deleted"
UNMANAGED: Final = "drift:unmanaged"

_TITLES: Final = {
    CHANGED: "Security settings match the stack's state",
    DELETED: "Managed resources exist",
    UNMANAGED: "Every resource carrying the stack's tags is managed by the stack",
}
_REMEDIATION: Final = {
    CHANGED: "Find who changed it (CloudTrail), then either run `pulumi up` to restore the stack's "
    "setting or change the program and deploy it; never leave the two apart.",
    DELETED: "Restore it with `pulumi up`, or remove it from the program (and `pulumi refresh`) if the "
    "deletion was intended.",
    UNMANAGED: "Import it into the stack (`pulumi import`) or delete it; an untracked resource escapes "
    "every rule the stack is checked against.",
}
_SEVERITY: Final = {CHANGED: Severity.HIGH, DELETED: Severity.HIGH, UNMANAGED: Severity.MEDIUM}


def _finding(
    check: str, drift: ResourceDrift, status: Status, message: str, evidence: Sequence[Evidence] = ()
) -> Finding:
    return Finding(
        check_id=check,
        title=_TITLES[check],
        status=status,
        severity=_SEVERITY[check],
        subject=drift.urn,
        subject_type=drift.type,
        message=message,
        evidence=list(evidence),
        source="drift",
        category="drift",
        remediation=_REMEDIATION[check],
    )


def _text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def drift_findings(result: DriftResult) -> list[Finding]:
    findings: list[Finding] = []
    for drift in result.drifts:
        where = f"{drift.physical_id} in {drift.region or 'global'}"
        if drift.kind is DriftKind.IN_SYNC:
            findings.append(_finding(CHANGED, drift, Status.PASS, f"{where}: every compared setting matches"))
        elif drift.kind is DriftKind.CHANGED:
            names = ", ".join(c.name for c in drift.changes)
            evidence = [Evidence(c.name, c.live, _text(c.state)) for c in drift.changes]
            message = f"{where}: changed outside the stack: {names}"
            findings.append(_finding(CHANGED, drift, Status.FAIL, message, evidence))
        elif drift.kind is DriftKind.DELETED:
            findings.append(_finding(DELETED, drift, Status.FAIL, f"{where}: not found live"))
        elif drift.kind is DriftKind.UNMANAGED:
            findings.append(
                _finding(
                    UNMANAGED,
                    drift,
                    Status.FAIL,
                    f"{where}: carries the stack's tags but is not in the state",
                    [Evidence("tags", result.stack_tags)],
                )
            )
        else:  # UNVERIFIED: the check it could not decide
            check = CHANGED if drift.live_urn else DELETED
            findings.append(_finding(check, drift, Status.ERROR, f"{where}: not verified: {drift.reason}"))
    return findings


def drift_problems(result: DriftResult) -> list[str]:
    problems = [
        f"not collected: {type_token} ({count} managed): {why}"
        for type_token, (count, why) in result.not_collected.items()
    ]
    problems.extend(
        f"not compared: {count} managed resources in {region}, a region this run did not read (add --region)"
        for region, count in result.outside_regions.items()
    )
    if not result.stack_tags:
        problems.append(
            "unmanaged resources not searched: the state names no stack tags (no AWS provider defaultTags)"
        )
    return problems


def drift_report(
    state: Inventory,
    collection: LiveCollection,
    result: DriftResult,
    regions: Sequence[str],
    inputs: Sequence[InputRecord] = (),
) -> Report:
    findings = drift_findings(result) + [fault_finding(f) for f in collection.faults]
    findings += not_collected_findings(
        {t: f"{why} ({n} managed)" for t, (n, why) in result.not_collected.items()}
    )
    counts = {kind.value: len(result.of(kind)) for kind in DriftKind}
    accounts = collection.inventory.source.location
    details: dict[str, Any] = {
        "project": state.project,
        "stack": state.stack,
        "source": {"kind": "live", "location": accounts},
        "state": state.source.to_json(),
        "regions": list(regions),
        "resources": result.managed,
        "liveResources": len(collection.inventory),
        "drift": counts,
        "stackTags": result.stack_tags,
        "notCollected": {t: {"managed": n, "why": why} for t, (n, why) in result.not_collected.items()},
        "outsideRegions": result.outside_regions,
        "faults": len(collection.faults),
    }
    return Report(
        kind="drift",
        title=f"Drift of {state.project}/{state.stack}",
        subject=state.stack,
        generated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        tool_version=__version__,
        findings=findings,
        inputs=list(inputs),
        problems=drift_problems(result),
        details=details,
    )
