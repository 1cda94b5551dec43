"""The request as a :class:`Report`: one erasure finding per store, one retention finding per copy
that cannot be edited (log groups, point-in-time recovery, backups) with the date it will be gone.
Nothing personal goes in: identifiers and item references appear only as keyed hashes."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from supportops.findings import Evidence, Finding, InputRecord, Report, Severity, Status
from supportops.policies.frameworks.coverage import control_matrix
from supportops.reports.evidence import BundleRequest, write_bundle
from supportops.runbooks.privacy.checks import ERASURE_CHECK, RETENTION_CHECK
from supportops.runbooks.privacy.request import RequestResult, State, StoreOutcome
from supportops.version import __version__

_STATUS = {
    State.ERASED: Status.PASS,
    State.NOTHING_HELD: Status.PASS,
    State.FOUND: Status.PASS,
    State.LEFT: Status.FAIL,
    State.ERROR: Status.ERROR,
    State.HELD: Status.NOT_APPLICABLE,
    State.KEPT: Status.NOT_APPLICABLE,
    State.NOT_DEPLOYED: Status.NOT_APPLICABLE,
}


def retention_rows(result: RequestResult) -> list[dict[str, Any]]:
    """Copies that age out instead of being edited: what, how long, and the date they are gone."""
    rows = []
    for outcome in result.stores:
        store, target = outcome.target.store, outcome.target
        if outcome.state == State.EXPIRES:
            rows.append(_row(outcome, "store", target.retention_days, result.erased_on))
        elif outcome.state == State.ERASED:
            if store.point_in_time_recovery_days:
                rows.append(
                    _row(
                        outcome, "point-in-time recovery", store.point_in_time_recovery_days, result.erased_on
                    )
                )
            if store.backups:
                rows.append(_row(outcome, "backups", target.backup_retention_days, result.erased_on))
    return rows


def _row(outcome: StoreOutcome, copy: str, days: int, start: dt.date) -> dict[str, Any]:
    return {
        "store": outcome.name,
        "copy": copy,
        "retentionDays": days,
        "maxDays": outcome.target.max_days,
        "goneBy": (start + dt.timedelta(days=days)).isoformat(),
    }


def build_report(result: RequestResult, inputs: Sequence[InputRecord], problems: Sequence[str]) -> Report:
    findings = [_erasure_finding(o, result.executed) for o in result.stores if o.state != State.EXPIRES]
    retention = retention_rows(result)
    findings += [_retention_finding(row) for row in retention]
    # The framework files map the checks (GDPR Art. 17, Art. 5(1)(e)): an executed, verified erasure is
    # evidence; a dry run's findings are NOT_APPLICABLE and leave Art. 17 needing evidence.
    frameworks = control_matrix(findings, evidenced_only=True)
    return Report(
        kind="privacy-erasure" if result.executed else "privacy-erasure-plan",
        title="GDPR erasure request" + ("" if result.executed else " (dry run)"),
        subject=f"request {result.request_id}",
        generated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        tool_version=__version__,
        findings=findings,
        frameworks=frameworks,
        inputs=list(inputs),
        problems=list(problems),
        details={
            "requestId": result.request_id,
            "subjectHashes": result.subject_hashes,
            "hashing": "HMAC-SHA256 under the key in the requests directory (.hash-key)",
            "executed": result.executed,
            "resumedAfterRuns": result.resumed_runs,
            "nothingHeld": result.nothing_held,
            "subjectHold": _hold(result),
            "stores": [
                {
                    "store": o.name,
                    "service": o.target.store.service.value,
                    "erase": o.target.store.erase.value,
                    "state": o.state,
                    "found": o.found,
                    "erased": o.erased,
                    "left": o.left,
                    "awsCalls": o.calls,
                    "message": o.message,
                }
                for o in result.stores
            ],
            "retention": retention,
        },
    )


def _hold(result: RequestResult) -> dict[str, Any] | None:
    hold = result.held_subject
    if hold is None:
        return None
    return {
        "reason": hold.reason,
        "owner": hold.owner,
        "until": hold.until.isoformat() if hold.until else None,
    }


def _erasure_finding(outcome: StoreOutcome, executed: bool) -> Finding:
    status = _STATUS.get(outcome.state, Status.ERROR)
    if not executed and status is Status.PASS:
        status = Status.NOT_APPLICABLE  # a dry run proves nothing about erasure
    message = outcome.message or outcome.state
    if not executed and outcome.state == State.FOUND:
        message = f"would {outcome.target.store.erase.value} {outcome.found} items"
    return Finding(
        check_id=ERASURE_CHECK,
        title="Data subject's personal data erased and verified absent",
        status=status,
        severity=Severity.HIGH,
        subject=f"store:{outcome.name}",
        subject_type="privacy:store",
        message=message,
        source="privacy",
        evidence=[
            Evidence("found", outcome.found),
            Evidence("erased", outcome.erased),
            Evidence("leftAfterVerification", outcome.left, "0"),
        ],
        category="privacy",
        remediation="Re-run the request; investigate the store's error or the writer re-creating the data.",
    )


def _retention_finding(row: dict[str, Any]) -> Finding:
    bounded = row["retentionDays"] <= row["maxDays"]
    return Finding(
        check_id=RETENTION_CHECK,
        title="Copies that cannot be edited age out within the class's maximum",
        status=Status.PASS if bounded else Status.FAIL,
        severity=Severity.MEDIUM,
        subject=f"store:{row['store']}/{row['copy']}",
        subject_type="privacy:copy",
        message=f"gone by {row['goneBy']} ({row['retentionDays']} days; class maximum {row['maxDays']})",
        source="privacy",
        category="privacy",
        evidence=[
            Evidence("retentionDays", row["retentionDays"], f"<= {row['maxDays']}"),
            Evidence("goneBy", row["goneBy"]),
        ],
        remediation="Lower the data class's retention (or the backup plan's) to its maximum.",
    )


def write_evidence(report: Report, request_dir: Path, journal: Path | None) -> Path:
    """The bundle under ``request_dir/evidence``: the report and a copy of the journal (hashes only)."""
    out = request_dir / "evidence"
    extras: list[Path] = []
    if journal is not None and journal.exists():
        out.mkdir(parents=True, exist_ok=True)
        copy = out / "journal.jsonl"
        shutil.copyfile(journal, copy)
        extras.append(copy)
    return write_bundle(
        BundleRequest(out_dir=out, report=report, formats=("json",), extra_files=tuple(extras))
    )
