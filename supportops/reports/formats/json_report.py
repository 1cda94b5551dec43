"""The JSON report (schema ``supportops.report/v1``, documented in ``docs/reports.md`` and
``reports/schemas/report-v1.schema.json``).

The file is written as a stream: the header (everything but the findings) first, then one finding
per line, so memory stays flat however many findings a run has.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from supportops.atomic import atomic_text
from supportops.findings import Report

SCHEMA_ID = "supportops.report/v1"
# What json.dumps(value, default=str) builds for every call, built once (a report has thousands of
# findings); stateless, so shared.
_FINDING_ENCODER = json.JSONEncoder(default=str)


def header(report: Report) -> dict[str, Any]:
    """Every top-level member except ``findings`` (which always comes last)."""
    return {
        "schema": SCHEMA_ID,
        "kind": report.kind,
        "title": report.title,
        "subject": report.subject,
        "generatedAt": report.generated_at,
        "toolVersion": report.tool_version,
        "failed": report.failed,
        "summary": report.counts(),
        "problems": report.problems,
        "inputs": [i.to_json() for i in report.inputs],
        "frameworks": [f.to_json() for f in report.frameworks],
        "waivers": [w.to_json() for w in report.waivers],
        "details": report.details,
    }


def to_json(report: Report) -> dict[str, Any]:
    """The whole document as one dict (small reports, tests); :func:`write` streams instead."""
    return {**header(report), "findings": [f.to_json() for f in report.findings]}


def iter_chunks(report: Report) -> Iterator[str]:
    """The document as text chunks: the header, then one finding per chunk."""
    head = json.dumps(header(report), indent=2, default=str)
    # ``head`` ends with "\n}": reopen it to append the findings array.
    yield head[:-2] + ',\n  "findings": ['
    encode = _FINDING_ENCODER.encode
    for index, finding in enumerate(report.findings):
        yield ("," if index else "") + "\n    " + encode(finding.to_json())
    yield "\n  ]\n}\n" if report.findings else "]\n}\n"


def write(report: Report, path: Path) -> None:
    with atomic_text(path) as handle:
        for chunk in iter_chunks(report):
            handle.write(chunk)
