"""What the HTML report shows, computed from a :class:`Report` (the template only lays it out).

Honest by construction: the banner never says PASSED while requirements still need manual evidence
("No automated failure; N requirements need manual evidence"); a requirement whose only failures were
waived reads "Pass (waived)", not a plain pass; each requirement lists its checks with their titles,
the failing ones marked; resources show as type + name with the full URN on hover.

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
# A requirement that passes only because failures were waived: shown apart from a plain pass.
PASS_WAIVED = "PASS_WAIVED"
COLORS[PASS_WAIVED] = "#7e57c2"
STATUS_LABELS[PASS_WAIVED] = "Pass (waived)"
REQUIREMENT_ORDER = [s.value for s in (
    RequirementStatus.FAIL, RequirementStatus.ERROR, RequirementStatus.MANUAL,
    RequirementStatus.NOT_APPLICABLE,
)] + [PASS_WAIVED, RequirementStatus.PASS.value]
VERDICT_WORDS = {"failed": "FAILED", "errors": "INCOMPLETE", "manual": "NO AUTOMATED FAILURE",
                 "passed": "PASSED"}
CHECKS_SHOWN = 8  # checks listed per requirement before the rest fold away
TOP_FAILING = 10


@dataclass(frozen=True)
class CheckCell:
    """One check of a requirement: its id, title and what it found for that requirement."""

    check_id: str
    title: str
    status: str  # FAIL | ERROR | WAIVED | PASS | NOT_APPLICABLE | "" (no result in this run)
    counts: str  # "2 Fail · 5 Pass"

    @property
    def failing(self) -> bool:
        return self.status in (Status.FAIL.value, Status.ERROR.value)


@dataclass
class RequirementView:
    result: RequirementResult
    key: str  # the display status: a RequirementStatus value or PASS_WAIVED
    label: str
    checks: list[CheckCell]
    more_checks: list[CheckCell]

    @property
    def failing_checks(self) -> int:
        return sum(c.failing for c in self.checks + self.more_checks)


@dataclass
class FrameworkView:
    result: FrameworkResult
    counts: dict[str, int]
    automation: dict[str, int]
    bar_svg: str
    requirements: list[RequirementView]


@dataclass
class ReportView:
    report: Report
    counts: dict[str, int]
    verdict: str  # "failed" | "errors" | "manual" | "passed"
    verdict_text: str
    status_svg: str
    severity_svg: str
    requirements_svg: str  # requirements by status, every framework together ("" without a matrix)
    top_failing_svg: str  # the checks with the most unwaived failures ("" when nothing fails)
    tools: list[tuple[str, str]]  # tool -> version: what produced the result besides the input files
    source_counts: list[tuple[str, int]]
    frameworks: list[FrameworkView]
    details: list[tuple[str, str, bool]]  # key, rendered value, is-block
    findings_json: str
    sources: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=lambda: dict(STATUS_LABELS))
    status_order: tuple[str, ...] = DISPLAY_ORDER
    verdict_words: dict[str, str] = field(default_factory=lambda: dict(VERDICT_WORDS))


def build_view(report: Report) -> ReportView:
    counts = report.counts()
    titles = _titles(report)
    frameworks = [_framework_view(f, report, titles) for f in report.frameworks]
    requirement_counts: Counter[str] = Counter()
    for framework in frameworks:
        requirement_counts.update(framework.counts)
    verdict, text = _verdict(report, counts, requirement_counts[RequirementStatus.MANUAL.value])
    status_segments = [Segment(STATUS_LABELS[s], counts[s], COLORS[s]) for s in DISPLAY_ORDER]
    open_by_severity = Counter(f.severity.value for f in report.findings if f.failing)
    severity_segments = [Segment(s.value, open_by_severity[s.value], SEVERITY_COLORS[s.value])
                         for s in reversed(Severity)]
    sources = Counter(f.source for f in report.findings)
    requirement_segments = [Segment(STATUS_LABELS[s], requirement_counts[s], COLORS[s])
                            for s in REQUIREMENT_ORDER]
    return ReportView(
        report=report,
        counts=counts,
        verdict=verdict,
        verdict_text=text,
        status_svg=svg_charts.donut(status_segments, "Findings by status"),
        severity_svg=svg_charts.bars(severity_segments, "Failing findings by severity"),
        requirements_svg=svg_charts.bars(requirement_segments, "Requirements by status", width=340,
                                         label_width=110)
        if frameworks else "",
        top_failing_svg=_top_failing(report),
        tools=_tools(report),
        source_counts=sorted(sources.items()),
        frameworks=frameworks,
        details=[_detail(key, value) for key, value in report.details.items()],
        findings_json=findings_json(report),
        sources=sorted(sources),
    )


def _verdict(report: Report, counts: dict[str, int], manual: int) -> tuple[str, str]:
    """The banner: PASSED only when nothing failed, nothing was left unevaluated and no requirement
    still needs manual evidence."""
    failing = counts[Status.FAIL.value]
    if failing:
        return "failed", f"{failing} failing finding{'s' * (failing != 1)} not covered by a waiver"
    if counts[Status.ERROR.value] or report.problems:
        return "errors", "No failing finding, but some checks could not be evaluated"
    if manual:
        return "manual", (f"No automated failure; {manual} requirement{'s' * (manual != 1)} "
                          f"need{'s' * (manual == 1)} manual evidence")
    waived = counts[WAIVED]
    return "passed", "No failing finding" + (f" ({waived} waived)" if waived else "")


def _framework_view(framework: FrameworkResult, report: Report, titles: dict[str, str]) -> FrameworkView:
    results = _check_results(report, framework.framework_id)
    requirements = [_requirement_view(r, results.get(r.requirement_id, {}), titles)
                    for r in framework.requirements]
    counts = Counter(r.key for r in requirements)
    automation = Counter(r.automation.value for r in framework.requirements)
    segments = [Segment(STATUS_LABELS[s], counts[s], COLORS[s]) for s in REQUIREMENT_ORDER]
    return FrameworkView(
        result=framework,
        counts={s: counts[s] for s in REQUIREMENT_ORDER},
        automation={a.value: automation[a.value] for a in Automation},
        bar_svg=svg_charts.stacked_bar(segments, f"{framework.title}: requirements by status"),
        requirements=requirements,
    )


def _titles(report: Report) -> dict[str, str]:
    titles: dict[str, str] = {}
    for finding in report.findings:
        titles.setdefault(finding.check_id, finding.title)
    return titles


def _check_results(report: Report, framework_id: str) -> dict[str, dict[str, Counter[str]]]:
    """requirement id -> check id -> display status -> findings, for one framework."""
    prefix = f"{framework_id}:"
    results: dict[str, dict[str, Counter[str]]] = {}
    for finding in report.findings:
        for key in finding.requirements:
            if key.startswith(prefix):
                by_check = results.setdefault(key[len(prefix):], {})
                by_check.setdefault(finding.check_id, Counter())[display_status(finding)] += 1
    return results


_CELL_ORDER = [Status.FAIL.value, Status.ERROR.value, WAIVED, Status.PASS.value, Status.NOT_APPLICABLE.value,
               ""]


def _requirement_view(result: RequirementResult, by_check: dict[str, Counter[str]],
                      titles: dict[str, str]) -> RequirementView:
    cells = []
    for check_id in dict.fromkeys([*result.check_ids, *by_check]):
        counts = by_check.get(check_id, Counter())
        status = next((s for s in _CELL_ORDER[:-1] if counts[s]), "")
        text = " · ".join(f"{counts[s]} {STATUS_LABELS[s]}" for s in DISPLAY_ORDER if counts[s])
        cells.append(CheckCell(check_id, titles.get(check_id, ""), status, text or "no result in this run"))
    cells.sort(key=lambda c: _CELL_ORDER.index(c.status))
    key = result.status.value
    if result.status is RequirementStatus.PASS and result.counts.get(WAIVED):
        key = PASS_WAIVED
    label = STATUS_LABELS.get(key, key)
    return RequirementView(result, key, label, cells[:CHECKS_SHOWN], cells[CHECKS_SHOWN:])


def _top_failing(report: Report) -> str:
    failing = Counter(f.check_id for f in report.findings if f.failing)
    if not failing:
        return ""
    top = failing.most_common(TOP_FAILING)
    return svg_charts.bars([Segment(check, count, COLORS[Status.FAIL.value]) for check, count in top],
                           "Top failing checks", width=480, label_width=250)


def _tools(report: Report) -> list[tuple[str, str]]:
    tools = [("supportops", report.tool_version)]
    checkov = report.details.get("checkovVersion")
    if isinstance(checkov, str) and checkov:
        tools.append(("checkov", checkov))
    return tools


def short_subject(subject: str, subject_type: str = "") -> str:
    """A resource as a person names it: ``s3.Bucket recordings`` for a Pulumi URN (the type's
    module and class, then the resource name), ``user/bob`` for an ARN; anything else unchanged."""
    if subject.startswith("urn:pulumi:") and subject.count("::") >= 3:
        *_, types, name = subject.split("::")
        token = types.rsplit("$", 1)[-1]
        module, _, cls = token.partition(":")[2].rpartition(":")
        kind = f"{module.split('/', 1)[0]}.{cls}" if module and cls else token
        return f"{kind} {name}"
    if subject.startswith("arn:") and subject.count(":") >= 5:
        return subject.split(":", 5)[5] or subject
    return subject


def _detail(key: str, value: Any) -> tuple[str, str, bool]:
    if isinstance(value, (dict, list)):
        return key, json.dumps(value, indent=2, default=str), True
    return key, render_value(value), False


def findings_json(report: Report) -> str:
    """The findings as compact JSON, safe to embed in a <script> element.

    ``{"checks": [[checkId, title, severity, category, remediation, source]],
       "waivers": [[id, owner, justification, expires]],
       "findings": [[check, status, subject, subjectType, message, [[path, observed, expected]],
                     [requirement], waiver, shortSubject]]}`` where check and waiver index the tables
    (waiver -1: none) and shortSubject is the type + name shown (empty: show the subject itself).
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
        short = short_subject(finding.subject, finding.subject_type)
        rows.append([check, display_status(finding), finding.subject, finding.subject_type, finding.message,
                     evidence, finding.requirements, waiver, short if short != finding.subject else ""])
    document = {"checks": [list(k) for k in checks], "waivers": [list(k) for k in waivers], "findings": rows}
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False, default=str)
    # Nothing in the data can close the <script> element or open a comment.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
