"""The compliance report as rich tables for people, grouped by framework requirement or by resource.

Machine formats live in :data:`supportops.reports.formats.WRITERS`; this view is for the terminal.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from enum import StrEnum

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from supportops.findings import Finding, FrameworkResult, Report, RequirementStatus, Status
from supportops.reports.redaction import redact_report
from supportops.reports.terminal import terminal_report

STATUS_STYLES = {
    "PASS": "green", "FAIL": "bold red", "ERROR": "magenta", "NOT_APPLICABLE": "dim",
    "MANUAL": "yellow", "WAIVED": "cyan", "expired": "bold red", "unmatched": "yellow", "active": "cyan",
}


# Width at which the free-text columns wrap (folding long words rather than cutting them).
WRAP_AT = 100


class GroupBy(StrEnum):
    REQUIREMENT = "requirement"
    RESOURCE = "resource"


def _styled(value: str) -> Text:
    return Text(value, style=STATUS_STYLES.get(value, ""))


def _status_of(finding: Finding) -> Text:
    return _styled("WAIVED") if finding.waived else _styled(finding.status.value)


def _short(urn: str) -> str:
    """``urn:pulumi:stack::project::type::name`` -> ``name (type)``."""
    parts = urn.split("::")
    if len(parts) >= 4:
        return f"{parts[-1]} ({parts[-2].rsplit('$', 1)[-1]})"
    return urn


SHORT = {"NOT_APPLICABLE": "n/a"}


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {SHORT.get(status, status)}" for status, n in sorted(counts.items()) if n) or "-"


def _summary(report: Report) -> RenderableType:
    counts = report.counts()
    line = Text(f"{report.title}  ")
    for status in ("FAIL", "ERROR", "WAIVED", "PASS", "NOT_APPLICABLE"):
        line.append(f"{status} {counts.get(status, 0)}  ", style=STATUS_STYLES[status])
    details = report.details
    lines: list[RenderableType] = [line]
    if "source" in details:
        source = details["source"]
        lines.append(Text(f"source: {source.get('kind')} {source.get('location', '')}"
                          f"  resources: {details.get('resources')}  rules: {details.get('rules')}"
                          f"  checkov: {details.get('checkov')}  min severity: {details.get('minSeverity')}"))
    if "config" in details:
        lines.append(Text(f"config: {details['config'].get('description', '')}"))
    return Group(*lines)


def _not_passing(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.waived or f.status in (Status.FAIL, Status.ERROR)]


def _findings_table(title: str, findings: list[Finding], with_subject: bool = True) -> Table:
    """One row per finding (never one per framework): its requirements of every framework together."""
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    table.add_column("Status", no_wrap=True)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Check", no_wrap=True)
    if with_subject:
        table.add_column("Resource")
        table.add_column("Where")
    table.add_column("Requirements")
    table.add_column("Message", max_width=WRAP_AT, overflow="fold")
    for finding in findings:
        message = finding.message
        waiver = finding.waiver
        if waiver is not None:
            message += f" [waived by {waiver.waiver_id}, {waiver.owner}, until {waiver.expires}]"
        row: list[RenderableType] = [_status_of(finding), finding.severity.value, finding.check_id]
        if with_subject:
            row.append(_short(finding.subject))
            row.append(finding.location.display() if finding.location else "-")
        row.append(Text("\n".join(finding.requirements) or "-"))
        row.append(Text(message))
        table.add_row(*row)
    return table


def _framework_table(framework: FrameworkResult, findings: list[Finding]) -> Table:
    by_requirement: dict[str, list[Finding]] = defaultdict(list)
    key_prefix = f"{framework.framework_id}:"
    for finding in findings:
        for key in finding.requirements:
            if key.startswith(key_prefix):
                by_requirement[key.removeprefix(key_prefix)].append(finding)
    table = Table(title=f"{framework.title} ({framework.framework_id} {framework.version})",
                  title_justify="left", show_lines=True)
    table.add_column("Requirement", no_wrap=True)
    table.add_column("Title")
    table.add_column("Automation", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Findings")
    # Wrapped (never cut: overflow fold) so a long list stays readable in a log.
    table.add_column("Checks not passing (resources)", max_width=WRAP_AT, overflow="fold")
    for requirement in framework.requirements:
        # Checks, not resources: each failing resource is listed once, in the findings table below.
        findings = by_requirement.get(requirement.requirement_id, [])
        failing = Counter(f.check_id for f in _not_passing(findings))
        notes = [", ".join(f"{check_id} ({count})" for check_id, count in sorted(failing.items()))]
        table.add_row(requirement.requirement_id, requirement.title, requirement.automation.value,
                      _styled(requirement.status.value), _counts(requirement.counts), "\n".join(notes))
    return table


def _manual_evidence(framework: FrameworkResult) -> RenderableType:
    lines = [Text(f"Manual evidence to collect for {framework.framework_id}:", style="bold")]
    for requirement in framework.requirements:
        if requirement.status is RequirementStatus.MANUAL and requirement.manual_evidence:
            lines.append(Text(f"  {requirement.requirement_id}: {requirement.manual_evidence}"))
    return Group(*lines)


def _by_requirement(report: Report) -> list[RenderableType]:
    parts: list[RenderableType] = []
    for framework in report.frameworks:
        parts.extend([_framework_table(framework, report.findings), _manual_evidence(framework)])
    unmapped = _not_passing(f for f in report.findings if not f.requirements)
    failing = _not_passing(f for f in report.findings if f.requirements)
    if failing:
        parts.append(_findings_table("Failing, erroring and waived findings", failing))
    if unmapped:
        parts.append(_findings_table("Findings not mapped to a framework requirement", unmapped))
    return parts


def _by_resource(report: Report) -> list[RenderableType]:
    by_subject: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_subject[finding.subject].append(finding)
    table = Table(title="Findings by resource", title_justify="left", show_lines=True)
    table.add_column("Resource")
    table.add_column("Passed", justify="right")
    table.add_column("Not passing")
    for subject in sorted(by_subject):
        findings = by_subject[subject]
        passed = sum(1 for f in findings if f.status is Status.PASS and not f.waived)
        lines = Text()
        for finding in _not_passing(findings):
            if lines:
                lines.append("\n")
            lines.append_text(_status_of(finding))
            lines.append(f" {finding.severity.value} {finding.check_id}: {finding.message}")
            if finding.waiver is not None:
                lines.append(f" [waived by {finding.waiver.waiver_id}, {finding.waiver.owner}]")
        table.add_row(_short(subject), str(passed), lines)
    return [table]


def _waivers(report: Report) -> Table:
    table = Table(title="Waivers", title_justify="left")
    for column in ("Id", "Check", "Selector", "Owner", "Expires", "State", "Matched"):
        table.add_column(column)
    for record in report.waivers:
        table.add_row(record.waiver_id, record.check_id, record.selector, record.owner, record.expires,
                      _styled(record.state), str(record.matched))
    return table


def compliance_view(report: Report, group_by: GroupBy = GroupBy.REQUIREMENT) -> RenderableType:
    """The report for a terminal: secrets removed, and control characters from the data escaped
    (before layout, so columns stay aligned)."""
    report = terminal_report(redact_report(report))
    parts: list[RenderableType] = [_summary(report)]
    parts.extend(_by_requirement(report) if group_by is GroupBy.REQUIREMENT else _by_resource(report))
    if report.waivers:
        parts.append(_waivers(report))
    for problem in report.problems:
        parts.append(Text(f"problem: {problem}", style="yellow"))
    return Group(*parts)
