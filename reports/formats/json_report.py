"""The JSON report (schema ``supportops.report/v1``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from supportops.reports.model import Report

SCHEMA_ID = "supportops.report/v1"


def to_json(report: Report) -> dict[str, Any]:
    return {
        "schema": SCHEMA_ID,
        "kind": report.kind,
        "title": report.title,
        "subject": report.subject,
        "generatedAt": report.generated_at,
        "toolVersion": report.tool_version,
        "summary": report.counts(),
        "problems": report.problems,
        "inputs": [i.to_json() for i in report.inputs],
        "frameworks": [f.to_json() for f in report.frameworks],
        "waivers": [w.to_json() for w in report.waivers],
        "details": report.details,
        "findings": [f.to_json() for f in report.findings],
    }


def write(report: Report, path: Path) -> None:
    path.write_text(json.dumps(to_json(report), indent=2, default=str) + "\n", encoding="utf-8")
