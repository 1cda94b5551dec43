"""The HTML report: one self-contained file (inline CSS, JS and SVG; a Content-Security-Policy that
forbids any network fetch) for people and auditors."""

from __future__ import annotations

from pathlib import Path

import jinja2
import markupsafe

from supportops.atomic import write_text_atomic
from supportops.findings import Report
from supportops.reports.formats.html_view import build_view
from supportops.reports.templating import environment

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _environment() -> jinja2.Environment:
    return environment(TEMPLATES)


def render(report: Report) -> str:
    template = _environment().get_template("report.html.j2")
    return template.render(
        r=report,
        v=build_view(report),
        # Our own static files, inlined verbatim (escaping would break them).
        css=markupsafe.Markup((TEMPLATES / "report.css").read_text(encoding="utf-8")),
        js=markupsafe.Markup((TEMPLATES / "report.js").read_text(encoding="utf-8")),
    )


def write(report: Report, path: Path) -> None:
    write_text_atomic(path, render(report))
