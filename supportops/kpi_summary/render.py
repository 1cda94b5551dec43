"""The summary as a JSON document and as one self-contained HTML page (inline CSS and SVG, a
Content-Security-Policy that forbids scripts and any network fetch)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from supportops.kpi_summary.charts import trend_svg
from supportops.kpi_summary.model import ExecutiveSummary, KpiResult, KpiSpec, Section, Status
from supportops.reports.templating import environment

TEMPLATES = Path(__file__).resolve().parent / "templates"
SCHEMA = "supportops/kpi-executive-summary/v1"


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "no data"
    if unit == "%":
        return f"{value:.1f} %"
    if unit == "min":
        return f"{value:.1f} min" if abs(value) < 100 else f"{value:.0f} min"
    return f"{value:+.0f}"


def format_change(value: float, unit: str) -> str:
    """Month over month: percentage points for rates, signed always."""
    if unit == "%":
        return f"{value:+.1f} pp"
    if unit == "min":
        return f"{value:+.1f} min" if abs(value) < 100 else f"{value:+.0f} min"
    return f"{value:+.0f}"


def _target(spec: KpiSpec) -> dict[str, Any] | None:
    if not spec.has_target:
        return None
    return {
        "minimum": spec.minimum,
        "maximum": spec.maximum,
        "better": spec.better,
        "text": spec.target_text(),
    }


def _kpi_json(result: KpiResult) -> dict[str, Any]:
    spec = result.spec
    return {
        "name": spec.name,
        "title": spec.title,
        "section": spec.section.value,
        "arm": spec.arm,
        "tier": spec.tier,
        "unit": spec.unit,
        "target": _target(spec),
        "value": result.value,
        "previousMonth": result.previous,
        "status": result.status.value,
        "trend": [{"month": month, "value": value} for month, value in result.trend],
    }


def to_json(summary: ExecutiveSummary) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "month": summary.month,
        "source": summary.source,
        "verdict": {status.value: summary.count(status) for status in Status},
        "kpis": [_kpi_json(result) for result in summary.kpis],
        "topIssueTypes": [
            {
                "issueType": row.group_value,
                "tickets": row.row_count,
                "sharePercent": row.share,
                "p50Minutes": row.p50,
                "p95Minutes": row.p95,
            }
            for row in summary.top_issues
        ],
    }


def _environment() -> jinja2.Environment:
    return environment(TEMPLATES)


def _row(result: KpiResult) -> dict[str, Any]:
    spec = result.spec
    formatted = [format_value(value, spec.unit) for _, value in result.trend]
    delta = None
    if result.value is not None and result.previous is not None:
        delta = format_change(result.value - result.previous, spec.unit)
    return {
        "result": result,
        "value": format_value(result.value, spec.unit),
        "previous": format_value(result.previous, spec.unit),
        "delta": delta,
        "chart": trend_svg(spec, result.trend, formatted),
    }


def render_html(summary: ExecutiveSummary) -> str:
    arms = []
    for arm in summary.arms:
        cells = {}
        for base in ("agent_contact_rate", "answer_precision", "answer_recall"):
            found = summary.arm_result(arm, base)
            cells[base] = format_value(found.value, found.spec.unit) if found else "—"
        arms.append({"arm": arm, **cells})
    return (
        _environment()
        .get_template("executive_summary.html.j2")
        .render(
            s=summary,
            service=[_row(r) for r in summary.section(Section.SERVICE)],
            sla=[_row(r) for r in summary.section(Section.SLA)],
            self_service=[_row(r) for r in summary.section(Section.SELF_SERVICE)],
            arms=arms,
            counts={status.value: summary.count(status) for status in Status},
            format_value=format_value,
        )
    )
