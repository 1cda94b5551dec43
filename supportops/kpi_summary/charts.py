"""An inline SVG trend line for one KPI: its monthly values, the target as a band or a line, gaps
where a month had no data. No scripts, no external assets."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from supportops.kpi_summary.model import KpiSpec

WIDTH, HEIGHT, PAD = 240, 64, 6


def _scale(values: Sequence[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    margin = (high - low) * 0.1
    return low - margin, high + margin


def trend_svg(spec: KpiSpec, trend: Sequence[tuple[str, float | None]], formatted: Sequence[str]) -> str:
    """``trend``: (month, value) oldest first; ``formatted``: each value as the page prints it."""
    known = [v for _, v in trend if v is not None]
    bounds = [b for b in (spec.minimum, spec.maximum) if b is not None]
    title = f"{spec.title}: monthly trend, {len(known)} of {len(trend)} months with data"
    parts = [
        f'<svg class="trend" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    if not known:
        parts.append(
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2 + 4}" text-anchor="middle" class="none">no data</text>'
        )
        parts.append("</svg>")
        return "".join(parts)
    low, high = _scale([*known, *bounds])
    step = (WIDTH - 2 * PAD) / max(len(trend) - 1, 1)

    def x(index: int) -> float:
        return PAD + index * step

    def y(value: float) -> float:
        return HEIGHT - PAD - (value - low) / (high - low) * (HEIGHT - 2 * PAD)

    if spec.minimum is not None and spec.maximum is not None:
        top, bottom = y(spec.maximum), y(spec.minimum)
        parts.append(
            f'<rect class="target" x="{PAD}" y="{top:.1f}" width="{WIDTH - 2 * PAD}" '
            f'height="{max(bottom - top, 1):.1f}"><title>target {escape(spec.target_text())}</title></rect>'
        )
    elif bounds:
        level = y(bounds[0])
        parts.append(
            f'<line class="target-line" x1="{PAD}" x2="{WIDTH - PAD}" y1="{level:.1f}" y2="{level:.1f}">'
            f"<title>target {escape(spec.target_text())}</title></line>"
        )
    segment: list[str] = []
    segments: list[list[str]] = []
    for index, (_, value) in enumerate(trend):
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{x(index):.1f},{y(value):.1f}")
    if segment:
        segments.append(segment)
    for points in segments:
        parts.append(f'<polyline class="line" points="{" ".join(points)}"/>')
    for index, ((month, value), text) in enumerate(zip(trend, formatted, strict=True)):
        if value is not None:
            last = index == len(trend) - 1
            parts.append(
                f'<circle class="{"dot last" if last else "dot"}" cx="{x(index):.1f}" cy="{y(value):.1f}" '
                f'r="{3 if last else 2}"><title>{escape(month)}: {escape(text)}</title></circle>'
            )
    parts.append("</svg>")
    return "".join(parts)
