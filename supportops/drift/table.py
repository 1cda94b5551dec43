"""The drift report as a table for people: what drifted, where, and from which value to which."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from supportops.findings import Finding, Report, Status
from supportops.reports.formats.table import STATUS_STYLES
from supportops.reports.redaction import redact_report
from supportops.reports.terminal import terminal_report

MAX_VALUE_CHARS = 160


def _short(urn: str) -> str:
    """``urn:pulumi:stack::project::type::name`` -> ``name (type)``; a live URN ends with the id."""
    parts = urn.split("::")
    return f"{parts[-1]} ({parts[-2].rsplit('$', 1)[-1]})" if len(parts) >= 4 else urn


def _value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= MAX_VALUE_CHARS else f"{text[: MAX_VALUE_CHARS - 1]}…"


def _detail(finding: Finding) -> Text:
    if finding.check_id == "drift:changed" and finding.status is Status.FAIL:
        lines = [
            f"{e.path}: {_value(json.loads(e.expected) if e.expected else None)} -> {_value(e.observed)}"
            for e in finding.evidence
        ]
        return Text("\n".join(lines))
    return Text(finding.message)


def drift_view(report: Report) -> RenderableType:
    report = terminal_report(redact_report(report))
    counts = report.details.get("drift", {})
    summary = Text(f"{report.title}  ")
    for kind, style in (
        ("changed", "bold red"),
        ("deleted", "bold red"),
        ("unmanaged", "bold red"),
        ("unverified", "magenta"),
        ("in-sync", "green"),
    ):
        summary.append(f"{kind} {counts.get(kind, 0)}  ", style=style)
    regions = ", ".join(report.details.get("regions", []))
    where = Text(
        f"live: {report.details.get('source', {}).get('location', '')}  regions: {regions}  "
        f"managed resources: {report.details.get('resources')}"
    )
    table = Table(title="Drift", title_justify="left")
    table.add_column("Status", no_wrap=True)
    table.add_column("Check", no_wrap=True)
    table.add_column("Resource")
    table.add_column("Detail (state -> live)")
    for finding in report.findings:
        if finding.status is Status.PASS:
            continue
        table.add_row(
            Text(finding.status.value, style=STATUS_STYLES.get(finding.status.value, "")),
            finding.check_id,
            _short(finding.subject),
            _detail(finding),
        )
    parts: list[RenderableType] = [summary, where]
    parts.append(table if table.row_count else Text("No drift: every compared resource matches its state."))
    return Group(*parts)
