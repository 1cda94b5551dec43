"""The audit record of an Art. 15 export: what was exported from which store, when, by whom, under
which key, and the archive's SHA-256 (so the copy handed over can be matched later). Like every
privacy output it holds no personal data: the subject appears as keyed hashes only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from supportops.findings import Evidence, Finding, InputRecord, Report, Severity, Status
from supportops.policies.frameworks.coverage import control_matrix
from supportops.reports.evidence import BundleRequest, sha256_file, write_bundle
from supportops.runbooks.privacy.checks import EXPORT_CHECK
from supportops.runbooks.privacy.journal import Journal
from supportops.runbooks.privacy.request import RequestResult, State, StoreOutcome
from supportops.version import __version__

_EXPORTED = (State.FOUND, State.HELD, State.NOTHING_HELD)


def export_report(
    result: RequestResult, envelope: dict[str, Any], archive: Path, inputs: Sequence[InputRecord]
) -> Report:
    archive_sha256 = sha256_file(archive)
    findings = [_store_finding(o) for o in result.stores if o.state != State.EXPIRES]
    return Report(
        kind="privacy-export",
        title="GDPR access request (Art. 15): export",
        subject=f"request {result.request_id}",
        generated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        tool_version=__version__,
        findings=findings,
        # The framework files map the check (GDPR Art. 15): the same matrix as every other report.
        frameworks=control_matrix(findings, evidenced_only=True),
        inputs=list(inputs),
        details={
            "requestId": result.request_id,
            "subjectHashes": result.subject_hashes,
            "hashing": "HMAC-SHA256 under the key in the requests directory (.hash-key)",
            "archive": {
                "fileName": archive.name,
                "sha256": archive_sha256,
                "algorithm": envelope["algorithm"],
                "kmsKeyId": envelope["kmsKeyId"],
            },
            "stores": [
                {"store": o.name, "state": o.state, "records": o.found, "awsCalls": o.calls}
                for o in result.stores
            ],
        },
    )


def _store_finding(outcome: StoreOutcome) -> Finding:
    exported = outcome.state in _EXPORTED
    status = Status.PASS if exported else Status.NOT_APPLICABLE
    if outcome.state == State.ERROR:
        status = Status.ERROR
    return Finding(
        check_id=EXPORT_CHECK,
        title="Data subject's personal data exported from the store",
        status=status,
        severity=Severity.MEDIUM,
        subject=f"store:{outcome.name}",
        subject_type="privacy:store",
        message=f"{outcome.found} records exported" if exported else (outcome.message or outcome.state),
        source="privacy",
        category="privacy",
        evidence=[Evidence("records", outcome.found)],
        remediation="Re-run the export once the store's error is resolved.",
    )


def record_export(report: Report, request_dir: Path) -> Path:
    """A line in the request's journal, and an evidence bundle of its own per export (never mixed
    with an earlier one): ``request_dir/exports/<UTC time>/``."""
    details = report.details
    Journal.open(request_dir / "journal.jsonl").write(
        "exported",
        requestId=details["requestId"],
        archiveSha256=details["archive"]["sha256"],
        kmsKeyId=details["archive"]["kmsKeyId"],
        stores={row["store"]: row["records"] for row in details["stores"]},
    )
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return write_bundle(
        BundleRequest(out_dir=request_dir / "exports" / stamp, report=report, formats=("json",))
    )
