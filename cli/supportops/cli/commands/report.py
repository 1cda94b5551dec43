"""``supportops report``: render any evidence bundle again, in any format, and build one control matrix
over several bundles.

- ``report render BUNDLE -f html,sarif -o DIR``: a compliance, drift, access-review, DR drill or
  privacy bundle, re-rendered from its ``report.json``.
- ``report matrix BUNDLE [BUNDLE ...]``: a compliance bundle with the access-review, DR drill and
  privacy bundles that evidence the procedural requirements, as one control matrix.

Every bundle's manifest is verified first; a bundle that does not match it (a file edited, added or
missing, or a signature that does not verify) is refused with one line and exit 2, like any other
bad input: nothing is rendered from it. Exit codes: ``render`` 0 when written; ``matrix`` 1 when a
requirement of the merged matrix fails (an unwaived FAIL), unless ``--soft-fail``; 2 bad input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from supportops.cli.options import (
    FrameworkOption,
    OutOption,
    SoftFailOption,
    formats_from,
    formats_option,
    split_values,
)
from supportops.cli.output import announce, destinations, report_writers, write_outputs
from supportops.errors import EXIT_FINDINGS, EXIT_OK, BadInput
from supportops.findings import Report, RequirementStatus
from supportops.reports.terminal import safe_error_lines

app = typer.Typer(help="Render evidence bundles again and combine them into one control matrix.",
                  no_args_is_help=True)

TABLE = "table"
HTML = "html"
_FORMAT_HELP = (TABLE, "html", "json", "sarif", "csv", "junit", "oscal", "compact", "asff")

BundlesArgument = Annotated[
    list[Path],
    typer.Argument(help="Evidence bundle directories (each holds manifest.json and report.json).",
                   show_default=False),
]
BundleArgument = Annotated[
    Path, typer.Argument(help="An evidence bundle directory (holds manifest.json and report.json).",
                         show_default=False)
]


def _formats() -> list[str]:
    from supportops.reports.formats import WRITERS

    return [TABLE, *sorted(WRITERS)]


@app.command("render")
def render_bundle(
    bundle: BundleArgument,
    fmt: Annotated[list[str] | None, formats_option(_FORMAT_HELP, HTML)] = None,
    out: OutOption = None,
) -> None:
    """Render a bundle's report (any kind: compliance, drift, access review, DR drill, privacy) in
    other formats, after verifying the bundle against its manifest."""
    from supportops.reports.reader import load_bundle

    formats = _chosen(fmt, out)
    with safe_error_lines():
        report = load_bundle(bundle).report
        _write_all(report, formats, out, bundle.name or "report")
    raise typer.Exit(EXIT_OK)


@app.command("matrix")
def matrix(
    bundles: BundlesArgument,
    fmt: Annotated[list[str] | None, formats_option(_FORMAT_HELP, TABLE)] = None,
    out: OutOption = None,
    framework: FrameworkOption = None,
    soft_fail: SoftFailOption = False,
) -> None:
    """One control matrix over a compliance bundle and the access-review, DR drill and privacy
    bundles that evidence its procedural requirements (PCI DSS 7.2.4, 12.10.1, GDPR Art. 17 ...)."""
    from supportops.policies.frameworks.combined import combined_report
    from supportops.policies.frameworks.model import builtin_frameworks

    formats = _chosen(fmt, out, default=TABLE)
    frameworks = builtin_frameworks()
    wanted = split_values(framework)
    if wanted:
        known = {f.id for f in frameworks}
        unknown = [w for w in wanted if w not in known]
        if unknown:
            problem = f"unknown framework (known: {', '.join(sorted(known))})"
            raise BadInput.at("--framework", unknown[0], problem)
        frameworks = [f for f in frameworks if f.id in wanted]
    with safe_error_lines():
        report = combined_report(bundles, frameworks)
        _write_all(report, formats, out, "control-matrix")
    failed = any(r.status is RequirementStatus.FAIL for f in report.frameworks for r in f.requirements)
    raise typer.Exit(EXIT_FINDINGS if failed and not soft_fail else EXIT_OK)


def _chosen(fmt: list[str] | None, out: Path | None, default: str = HTML) -> list[str]:
    formats = formats_from(fmt, _formats(), default)
    destinations(formats, out)  # several formats without a directory: refused before any work
    return formats


def _write_all(report: Report, formats: list[str], out: Path | None, name: str) -> None:
    """The conventions of docs/cli.md (``cli/output.py``): one format to stdout or ``out``; several as
    ``out/<name>.<ext>``, the table also on stdout."""
    from supportops.reports.formats.table import compliance_view

    writers = report_writers(report, formats, table=lambda: compliance_view(report))
    announce(write_outputs(formats, out, writers, name=name))
