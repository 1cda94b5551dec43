"""The history page: one self-contained HTML file (no scripts, no external assets) with SVG charts.

Every plotted point carries its value in ``data-value`` (and its target in ``data-target``) so the
page can be checked in a browser for the numbers it shows, not just for the presence of a chart."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from supportops.findings import Severity
from supportops.reports.formats.svg_charts import Segment, bars
from supportops.runbooks.ops.history import DrillPoint, Trends

SEVERITY_COLORS = {
    Severity.CRITICAL.value: "#7a0916",
    Severity.HIGH.value: "#c4320a",
    Severity.MEDIUM.value: "#dc6803",
    Severity.LOW.value: "#1570ef",
    Severity.INFO.value: "#667085",
}
WIDTH, HEIGHT, PAD = 640, 200, 36


def _x(index: int, count: int) -> float:
    return PAD + (WIDTH - 2 * PAD) * (index / max(count - 1, 1))


def _y(value: float, top: float) -> float:
    return HEIGHT - PAD - (HEIGHT - 2 * PAD) * (value / top if top else 0)


def findings_chart(trends: Trends) -> str:
    """Failing findings per run, one column per run stacked by severity."""
    runs = trends.runs
    top = max((r.failing for r in runs), default=0) or 1
    column = (WIDTH - 2 * PAD) / max(len(runs), 1)
    parts = [
        f'<svg class="chart findings" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" xmlns="http://www.w3.org/2000/svg"><title>Failing findings per run</title>'
    ]
    for index, run in enumerate(runs):
        x = PAD + index * column
        base = float(HEIGHT - PAD)
        parts.append(
            f'<g class="run" data-run="{escape(run.run_id)}" data-job="{escape(run.job)}" '
            f'data-value="{run.failing}">'
        )
        for severity in reversed(list(Severity)):
            count = run.failing_by_severity.get(severity.value, 0)
            if not count:
                continue
            height = (HEIGHT - 2 * PAD) * count / top
            base -= height
            parts.append(
                f'<rect class="sev-{severity.value}" x="{x + 1:.1f}" y="{base:.1f}" '
                f'width="{max(column - 2, 1):.1f}" '
                f'height="{height:.1f}" fill="{SEVERITY_COLORS[severity.value]}" data-value="{count}">'
                f"<title>{escape(run.job)} {escape(run.run_id)}: {count} {severity.value}</title></rect>"
            )
        parts.append("</g>")
    parts.append(f'<text x="{PAD}" y="{PAD - 10}" font-size="11">max {top}</text></svg>')
    return "".join(parts)


def drill_chart(name: str, measure: str, points: Sequence[DrillPoint]) -> str:
    """Achieved seconds per drill (a line) against the target (a dashed line)."""
    values = [p.achieved for p in points if p.achieved is not None] + [p.target for p in points if p.target]
    top = max(values, default=1.0) * 1.1 or 1.0
    count = len(points)
    coords = [(_x(i, count), _y(p.achieved, top)) for i, p in enumerate(points) if p.achieved is not None]
    parts = [
        f'<svg class="chart drill" data-drill="{escape(name)}" data-measure="{measure}" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(name)}: achieved {measure} against target</title>",
        '<polyline fill="none" stroke="#1570ef" stroke-width="2" points="'
        + " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        + '"/>',
    ]
    targets = [(i, p.target) for i, p in enumerate(points) if p.target]
    if targets:
        parts.append(
            '<polyline class="target" fill="none" stroke="#c4320a" stroke-dasharray="6 4" points="'
            + " ".join(f"{_x(i, count):.1f},{_y(t, top):.1f}" for i, t in targets)
            + '"/>'
        )
    for i, point in enumerate(points):
        if point.achieved is None:
            continue
        missed = point.status == "FAIL"
        parts.append(
            f'<circle class="point{" missed" if missed else ""}" cx="{_x(i, count):.1f}" '
            f'cy="{_y(point.achieved, top):.1f}" r="4" fill="{"#c4320a" if missed else "#1570ef"}" '
            f'data-value="{point.achieved:g}" data-target="{point.target or 0:g}" '
            f'data-status="{point.status}">'
            f"<title>{point.at:%Y-%m-%d} {escape(point.account)}: {point.achieved:g} s "
            f"(target {point.target or 0:g} s)</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def flags_chart(trends: Trends) -> str:
    segments = [Segment(period, count, "#7f56d9") for period, count in trends.flags_per_quarter.items()]
    return bars(segments, "Principals flagged per quarter")


def render(trends: Trends, title: str = "supportops operations history") -> str:
    rows = "".join(
        f"<tr><td>{r.started_at:%Y-%m-%d %H:%M}</td><td>{escape(r.job)}</td><td>{escape(r.account)}</td>"
        f'<td class="status-{escape(r.status)}">{escape(r.status)}</td>'
        f"<td>{r.failing}</td><td>{r.errors}</td>"
        f"<td>{escape(r.location or '')}</td></tr>"
        for r in trends.runs
    )
    drills = "".join(
        f"<h3>{escape(name)} — {measure}</h3>{drill_chart(name, measure, points)}"
        for (name, measure), points in trends.drills.items()
    )
    quarters = "".join(
        f'<tr class="quarter" data-quarter="{escape(q)}" data-value="{n}">'
        f"<td>{escape(q)}</td><td>{n}</td></tr>"
        for q, n in trends.flags_per_quarter.items()
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #101828; }}
table {{ border-collapse: collapse; margin: 1rem 0; }}
td, th {{ border-bottom: 1px solid #e4e7ec; padding: .25rem .75rem; text-align: left; }}
.status-FAIL {{ color: #c4320a; font-weight: 600; }} .status-ERROR {{ color: #b54708; font-weight: 600; }}
</style></head><body>
<h1>{escape(title)}</h1>
<p>{len(trends.runs)} runs.</p>
<section id="findings"><h2>Failing findings per run</h2>{findings_chart(trends)}</section>
<section id="drills"><h2>Achieved RTO/RPO per drill against target</h2>
{drills or "<p>No drills.</p>"}</section>
<section id="access-review"><h2>Access review: principals flagged per quarter</h2>{flags_chart(trends)}
<table><thead><tr><th>quarter</th><th>flagged</th></tr></thead><tbody>{quarters}</tbody></table></section>
<section id="runs"><h2>Runs</h2><table><thead><tr><th>started</th><th>job</th><th>account</th><th>status</th>
<th>failing</th><th>errors</th><th>evidence</th></tr></thead><tbody>{rows}</tbody></table></section>
</body></html>
"""
