"""Build the monthly executive summary from the KPI catalog and query results."""

from __future__ import annotations

from collections.abc import Sequence

from supportops.errors import BadInput
from supportops.kpi_summary.model import (
    TOP_ISSUES_KEY,
    ExecutiveSummary,
    IssueRow,
    KpiResult,
    KpiSpec,
    Status,
    TrendRow,
    valid_month,
)
from supportops.kpi_summary.sources import ResultSource, validate_rows

TREND_MONTHS = 12
TOP_ISSUES = 10


def parse_month(text: str) -> str:
    if not valid_month(text):
        raise BadInput.at("--month", "", f"expected a month as YYYY-MM, e.g. 2026-11 (got {text[:20]!r})")
    return text


def previous_months(month: str, count: int) -> list[str]:
    """``count`` months ending with ``month``, oldest first."""
    year, number = (int(part) for part in month.split("-"))
    index = year * 12 + number - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def _status(spec: KpiSpec, value: float | None) -> Status:
    if value is None:
        return Status.NO_DATA
    if not spec.has_target:
        return Status.TRACKED
    return Status.MET if spec.meets(value) else Status.MISSED


def kpi_result(spec: KpiSpec, month: str, rows: Sequence[TrendRow], source: str) -> KpiResult:
    by_month: dict[str, float | None] = {}
    for index, row in enumerate(rows, start=2):
        if row.period in by_month:
            raise BadInput.at(source, f"row {index}, column period", f"month {row.period} appears twice")
        by_month[row.period] = row.value
    months = previous_months(month, TREND_MONTHS)
    trend = tuple((m, by_month.get(m)) for m in months)
    value, previous = by_month.get(month), by_month.get(months[-2])
    return KpiResult(spec, value, previous, trend, _status(spec, value))


def top_issues(month: str, rows: Sequence[IssueRow]) -> tuple[IssueRow, ...]:
    """The month's rows, largest first and ties by name (as the query orders them), at most 10."""
    chosen = [row for row in rows if row.period == month]
    return tuple(sorted(chosen, key=lambda r: (-r.row_count, r.group_value))[:TOP_ISSUES])


def build_summary(catalog: Sequence[KpiSpec], source: ResultSource, month: str) -> ExecutiveSummary:
    results = []
    for spec in catalog:
        where, rows = source.rows(spec.monthly_key)
        results.append(kpi_result(spec, month, validate_rows(where, rows, TrendRow), where))
    where, rows = source.rows(TOP_ISSUES_KEY)
    issues = top_issues(month, validate_rows(where, rows, IssueRow))
    return ExecutiveSummary(month=month, source=source.describe(), kpis=tuple(results), top_issues=issues)
