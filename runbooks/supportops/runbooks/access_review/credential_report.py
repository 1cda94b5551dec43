"""The IAM credential report: generated and fetched with a bounded report-in-progress retry, then parsed
from its CSV bytes (the parsing boundary tests inject rows at)."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from supportops.runbooks.access_review.inventory import AccessKey, CredentialRow

PERMISSIONS = ("iam:GenerateCredentialReport", "iam:GetCredentialReport")

REQUIRED_COLUMNS = (
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
)
_NOT_A_DATE = {"", "N/A", "no_information", "not_supported"}
_RETRY_CODES = {"ReportInProgress", "ReportNotPresent", "ReportExpired", "ReportNotReady"}


class CredentialReportError(Exception):
    """The report could not be fetched within the retry budget or could not be parsed."""


def fetch_credential_report(
    iam: Any, max_attempts: int = 10, delay_seconds: float = 2.0, sleep: Callable[[float], None] = time.sleep
) -> bytes:
    """Generate the report and fetch it, waiting while AWS builds it; at most ``max_attempts`` fetches."""
    last = ""
    for attempt in range(1, max_attempts + 1):
        iam.generate_credential_report()  # starts (or keeps) a report; cheap when one is fresh
        try:
            content: bytes = iam.get_credential_report()["Content"]
            return content
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code not in _RETRY_CODES:
                raise
            last = code
        if attempt < max_attempts:
            sleep(delay_seconds)
    raise CredentialReportError(f"credential report not ready after {max_attempts} attempts ({last})")


def parse_date(value: str) -> datetime | None:
    value = value.strip()
    if value in _NOT_A_DATE:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _flag(value: str) -> bool:
    return value.strip().lower() == "true"


def parse_credential_report(data: bytes) -> Iterator[CredentialRow]:
    """Rows of the report's CSV, one at a time; :class:`CredentialReportError` on a malformed report."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise CredentialReportError(f"credential report lacks columns: {', '.join(missing)}")
    for line, row in enumerate(reader, start=2):
        try:
            keys = tuple(
                AccessKey(
                    slot=slot,
                    active=_flag(row[f"access_key_{slot}_active"]),
                    last_rotated=parse_date(row[f"access_key_{slot}_last_rotated"]),
                    last_used=parse_date(row[f"access_key_{slot}_last_used_date"]),
                )
                for slot in (1, 2)
            )
            yield CredentialRow(
                user=row["user"],
                arn=row["arn"],
                created=parse_date(row["user_creation_time"]),
                password_enabled=_flag(row["password_enabled"]),
                password_last_used=parse_date(row["password_last_used"]),
                mfa_active=_flag(row["mfa_active"]),
                keys=keys,
            )
        except (ValueError, TypeError, AttributeError) as exc:
            raise CredentialReportError(f"credential report line {line}: {exc}") from None
