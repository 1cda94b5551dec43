"""What the HTML report shows, computed from a :class:`Report` (the template only lays it out).

Findings are embedded once as compact JSON (check metadata and waivers de-duplicated into tables)
and rendered page by page by a small inline script, so 10,000 findings stay a few MB.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from supportops.findings import (
    Automation,
    FrameworkResult,
    Report,
    RequirementResult,
    RequirementStatus,
    Severity,
    Status,
)
from supportops.reports.formats import svg_charts
from supportops.reports.formats.common import (
    DISPLAY_ORDER,
    WAIVED,
    display_status,
    reading_order,
    render_value,
)
from supportops.reports.formats.svg_charts import Segment

OBSERVED_LIMIT = 2000  # characters of one observed value in the HTML (the JSON report has all of it)

COLORS = {
    Status.PASS.value: "#2e7d32",
    Status.FAIL.value: "#c62828",
    Status.ERROR.value: "#e65100",
    WAIVED: "#5e35b1",
    Status.NOT_APPLICABLE.value: "#78909c",
    RequirementStatus.MANUAL.value: "#8d6e63",
}
SEVERITY_COLORS = {
    Severity.CRITICAL.value: "#7f0000",
    Severity.HIGH.value: "#c62828",
    Severity.MEDIUM.value: "#ef6c00",
    Severity.LOW.value: "#f9a825",
    Severity.INFO.value: "#78909c",
}
STATUS_LABELS = {
    Status.PASS.value: "Pass",
    Status.FAIL.value: "Fail",
    Status.ERROR.value: "Error",
    WAIVED: "Waived",
    Status.NOT_APPLICABLE.value: "N/A",
    RequirementStatus.MANUAL.value: "Manual",
}
REQUIREMENT_ORDER = [s.value for s in (
    RequirementStatus.FAIL, RequirementStatus.ERROR, RequirementStatus.MANUAL,
    RequirementStatus.NOT_APPLICABLE, RequirementStatus.PASS,
)]


@dataclass
class FrameworkView:
    result: FrameworkResult
    counts: dict[str, int]
    automation: dict[str, int]
    bar_svg: str
    requirements: list[RequirementResult]


@dataclass
class ReportView:
    report: Report
    counts: dict[str, int]
    verdict: str  # "failed" | "errors" | "passed"
    verdict_text: str
    status_svg: str
    severity_svg: str
    source_counts: list[tuple[str, int]]
    frameworks: list[FrameworkView]
    details: list[tuple[str, str, bool]]  # key, rendered value, is-block
    findings_json: str
    sources: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=lambda: dict(STATUS_LABELS))
    status_order: tuple[str, ...] = DISPLAY_ORDER


def build_view(report: Report) -> ReportView:
    counts = report.counts()
    failing = counts[Status.FAIL.value]
    errors = counts[Status.ERROR.value]
    if failing:
        verdict, text = "failed", f"{failing} failing finding{'s' * (failing != 1)} not covered by a waiver"
    elif errors or report.problems:
        verdict, text = "errors", "No failing finding, but some checks could not be evaluated"
    else:
        verdict, text = "passed", "No failing finding"
    status_segments = [Segment(STATUS_LABELS[s], counts[s], COLORS[s]) for s in DISPLAY_ORDER]
    open_by_severity = Counter(f.severity.value for f in report.findings if f.failing)
    severity_segments = [Segment(s.value, open_by_severity[s.value], SEVERITY_COLORS[s.value])
                         for s in reversed(Severity)]
    sources = Counter(f.source for f in report.findings)
    return ReportView(
        report=report,
        counts=counts,
        verdict=verdict,
        verdict_text=text,
        status_svg=svg_charts.donut(status_segments, "Findings by status"),
        severity_svg=svg_charts.bars(severity_segments, "Failing findings by severity"),
        source_counts=sorted(sources.items()),
        frameworks=[_framework_view(f) for f in report.frameworks],
        details=[_detail(key, value) for key, value in report.details.items()],
        findings_json=findings_json(report),
        sources=sorted(sources),
    )


def _framework_view(framework: FrameworkResult) -> FrameworkView:
    counts = Counter(r.status.value for r in framework.requirements)
    automation = Counter(r.automation.value for r in framework.requirements)
    segments = [Segment(STATUS_LABELS[s], counts[s], COLORS[s]) for s in REQUIREMENT_ORDER]
    return FrameworkView(
        result=framework,
        counts={s: counts[s] for s in REQUIREMENT_ORDER},
        automation={a.value: automation[a.value] for a in Automation},
        bar_svg=svg_charts.stacked_bar(segments, f"{framework.title}: requirements by status"),
        requirements=framework.requirements,
    )


def _detail(key: str, value: Any) -> tuple[str, str, bool]:
    if isinstance(value, (dict, list)):
        return key, json.dumps(value, indent=2, default=str), True
    return key, render_value(value), False


def findings_json(report: Report) -> str:
    """The findings as compact JSON, safe to embed in a <script> element.

    ``{"checks": [[checkId, title, severity, category, remediation, source]],
       "waivers": [[id, owner, justification, expires]],
       "findings": [[check, status, subject, subjectType, message, [[path, observed, expected]],
                     [requirement], waiver]]}`` where check and waiver index the tables (waiver -1: none).
    """
    checks: dict[tuple[str, ...], int] = {}
    waivers: dict[tuple[str, ...], int] = {}
    rows: list[list[Any]] = []
    for finding in sorted(report.findings, key=reading_order):
        check_key = (finding.check_id, finding.title, finding.severity.value, finding.category,
                     finding.remediation, finding.source)
        check = checks.setdefault(check_key, len(checks))
        waiver = -1
        if finding.waiver is not None:
            w = finding.waiver
            waiver = waivers.setdefault((w.waiver_id, w.owner, w.justification, w.expires), len(waivers))
        evidence = [[e.path, render_value(e.observed, OBSERVED_LIMIT), e.expected or ""]
                    for e in finding.evidence]
        rows.append([check, display_status(finding), finding.subject, finding.subject_type, finding.message,
                     evidence, finding.requirements, waiver])
    document = {"checks": [list(k) for k in checks], "waivers": [list(k) for k in waivers], "findings": rows}
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False, default=str)
    # Nothing in the data can close the <script> element or open a comment.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
