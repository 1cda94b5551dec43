"""Small inline SVG charts for the HTML report (no scripts, no external assets)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Segment:
    label: str
    value: int
    color: str


def donut(segments: Sequence[Segment], title: str, size: int = 160) -> str:
    """A donut chart with the total in the middle; a grey ring when everything is zero."""
    total = sum(s.value for s in segments)
    radius, stroke = size / 2 - 14, 22
    centre = size / 2
    circumference = 2 * math.pi * radius
    parts = [
        f'<svg class="chart donut" role="img" viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<circle cx="{centre}" cy="{centre}" r="{radius:.2f}" fill="none" stroke="#e4e7ec" '
        f'stroke-width="{stroke}"/>',
    ]
    offset = 0.0
    for segment in segments:
        if not total or not segment.value:
            continue
        length = circumference * segment.value / total
        parts.append(
            f'<circle cx="{centre}" cy="{centre}" r="{radius:.2f}" fill="none" stroke="{segment.color}" '
            f'stroke-width="{stroke}" stroke-dasharray="{length:.2f} {circumference - length:.2f}" '
            f'stroke-dashoffset="{-offset:.2f}" transform="rotate(-90 {centre} {centre})">'
            f"<title>{escape(segment.label)}: {segment.value}</title></circle>"
        )
        offset += length
    parts.append(
        f'<text x="{centre}" y="{centre - 2}" text-anchor="middle" class="donut-total">{total}</text>'
        f'<text x="{centre}" y="{centre + 16}" text-anchor="middle" class="donut-label">findings</text></svg>'
    )
    return "".join(parts)


def stacked_bar(segments: Sequence[Segment], title: str, width: int = 320, height: int = 14) -> str:
    """One horizontal bar split by value; each part has a tooltip."""
    total = sum(s.value for s in segments)
    parts = [
        f'<svg class="chart bar" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<rect x="0" y="0" width="{width}" height="{height}" rx="3" fill="#e4e7ec"/>',
    ]
    x = 0.0
    for segment in segments:
        if not total or not segment.value:
            continue
        w = width * segment.value / total
        parts.append(
            f'<rect x="{x:.2f}" y="0" width="{w:.2f}" height="{height}" fill="{segment.color}">'
            f"<title>{escape(segment.label)}: {segment.value}</title></rect>"
        )
        x += w
    parts.append("</svg>")
    return "".join(parts)


def _cut(label: str, fits: int) -> str:
    return label if len(label) <= fits else label[: fits - 1] + "…"


def bars(segments: Sequence[Segment], title: str, width: int = 300, row: int = 24,
         label_width: int = 80) -> str:
    """Labelled horizontal bars, one per segment, scaled to the largest value (a label too long for
    ``label_width`` is cut with an ellipsis; the bar's tooltip has it whole)."""
    largest = max((s.value for s in segments), default=0) or 1
    label_w, value_w = label_width, 48
    fits = max(4, label_w // 7)  # characters of a 12px label that fit
    bar_w = width - label_w - value_w
    height = row * len(segments) + 4
    parts = [
        f'<svg class="chart bars" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for index, segment in enumerate(segments):
        y = index * row + 2
        w = bar_w * segment.value / largest
        parts.append(
            f'<text x="0" y="{y + row / 2 + 4}" class="bar-label">{escape(_cut(segment.label, fits))}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{max(w, 1):.2f}" height="{row - 8}" rx="2" '
            f'fill="{segment.color}"><title>{escape(segment.label)}: {segment.value}</title></rect>'
            f'<text x="{label_w + w + 6:.2f}" y="{y + row / 2 + 4}" class="bar-value">{segment.value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
