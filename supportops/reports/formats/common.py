"""Helpers several report formats share: the status a reader sees, ordering, value rendering."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from supportops.findings import Finding, Status

WAIVED = "WAIVED"

# The order a reader wants: what needs action first.
DISPLAY_ORDER = (
    Status.FAIL.value, Status.ERROR.value, WAIVED, Status.NOT_APPLICABLE.value, Status.PASS.value,
)


def display_status(finding: Finding) -> str:
    """FAIL, ERROR, PASS, NOT_APPLICABLE, or WAIVED for a finding a waiver covers."""
    return WAIVED if finding.waived else finding.status.value


def reading_order(finding: Finding) -> tuple[int, int, str, str]:
    """Sort key: failing first, then by severity (highest first), check id and subject."""
    return (DISPLAY_ORDER.index(display_status(finding)), -finding.severity.rank, finding.check_id,
            finding.subject)


def render_value(value: Any, limit: int | None = None) -> str:
    """An observed value as a person reads it: strings as they are, anything else as JSON."""
    text = value if isinstance(value, str) else json.dumps(value, default=str, sort_keys=True)
    if limit is not None and len(text) > limit:
        return text[:limit] + f"… ({len(text) - limit} more characters in the JSON report)"
    return text


def iso_utc(value: str) -> str | None:
    """An ISO 8601 timestamp as an aware UTC one (naive means UTC); None when it is not one."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
