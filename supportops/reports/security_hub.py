"""Import a report's findings into AWS Security Hub with ``BatchImportFindings`` (batches of at most
100, the API's limit), as ASFF (:mod:`supportops.reports.formats.asff`).

Ids are stable, so a re-run updates the same findings. Security Hub answers per finding: the ones it
rejects (``FailedFindings``) are reported by id with its error, and the command exits 3. A call that
fails outright stops the import (:class:`EnvironmentFailure`, also exit 3) and says how many batches
went in before it. Security Hub ignores ``Workflow`` and ``Note`` of a finding that already exists
(they belong to its users after the first import): a waiver added later is shown in Security Hub
only after ``BatchUpdateFindings`` or on a new finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from supportops.errors import EnvironmentFailure
from supportops.findings import Report
from supportops.reports.formats.asff import AsffTarget, asff_findings, importable
from supportops.reports.redaction import redact_report

BATCH_SIZE = 100
PERMISSIONS = ("securityhub:BatchImportFindings", "sts:GetCallerIdentity")


@dataclass(frozen=True)
class Rejected:
    finding_id: str
    code: str
    message: str


@dataclass
class ImportResult:
    product_arn: str
    sent: int = 0
    imported: int = 0
    suppressed: int = 0  # waived findings sent with Workflow.Status=SUPPRESSED
    skipped: int = 0  # ERROR and NOT_APPLICABLE findings: no compliance verdict to import
    batches: int = 0
    rejected: list[Rejected] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected

    def to_json(self) -> dict[str, Any]:
        return {
            "productArn": self.product_arn, "sent": self.sent, "imported": self.imported,
            "suppressed": self.suppressed, "skipped": self.skipped, "batches": self.batches,
            "failedCount": len(self.rejected),
            "failed": [{"id": r.finding_id, "code": r.code, "message": r.message} for r in self.rejected],
        }


def security_hub_client(region: str, endpoint_url: str | None = None) -> Any:
    import boto3
    from botocore.config import Config

    config = Config(connect_timeout=5, read_timeout=60, retries={"max_attempts": 8, "mode": "standard"})
    return boto3.session.Session().client("securityhub", region_name=region, endpoint_url=endpoint_url,
                                          config=config)


def import_report(report: Report, target: AsffTarget, client: Any) -> ImportResult:
    """Send every PASS and FAIL finding of ``report`` (redacted here) in batches of ``BATCH_SIZE``."""
    from botocore.exceptions import BotoCoreError, ClientError

    redacted = redact_report(report)
    findings = asff_findings(redacted, target)
    result = ImportResult(product_arn=target.product_arn, sent=len(findings),
                          skipped=sum(1 for f in redacted.findings if not importable(f)),
                          suppressed=sum(1 for f in findings if f["Workflow"]["Status"] == "SUPPRESSED"))
    for start in range(0, len(findings), BATCH_SIZE):
        batch = findings[start:start + BATCH_SIZE]
        try:
            response = client.batch_import_findings(Findings=batch)
        except (ClientError, BotoCoreError) as exc:
            done = f"{result.imported} of {len(findings)} findings imported in {result.batches} batch(es)"
            raise EnvironmentFailure(f"Security Hub BatchImportFindings failed ({done} before): "
                                     f"{_error_text(exc)}") from None
        result.batches += 1
        failed = response.get("FailedFindings") or []
        result.rejected += [Rejected(str(f.get("Id", "")), str(f.get("ErrorCode", "")),
                                     str(f.get("ErrorMessage", ""))) for f in failed]
        result.imported += len(batch) - int(response.get("FailedCount", len(failed)))
    return result


def _error_text(exc: BaseException) -> str:
    from botocore.exceptions import ClientError

    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"{error.get('Code', 'Error')}: {error.get('Message', '')}"[:300]
    return f"{type(exc).__name__}: {exc}"[:300]
