"""``supportops history``: trends over the kept runs of the operations jobs.

Formats (``-f``, repeatable or comma-separated): ``table`` (default), ``json``, ``html`` (a
self-contained page with SVG charts); ``-o`` is a file for one format, a directory for several."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Group
from rich.table import Table

from supportops.cli.options import EndpointUrlOption, OutOption, formats_from, formats_option
from supportops.cli.output import FormatWriter, announce, render, write_json, write_outputs, write_text

if TYPE_CHECKING:  # the runbook (and boto3) load when the command runs, not with `supportops --help`
    from supportops.runbooks.ops.history import Trends

FORMATS = ("table", "json", "html")


def history(
    bucket: Annotated[
        str | None, typer.Option("--bucket", metavar="NAME", help="The evidence bucket.")
    ] = None,
    folder: Annotated[
        Path | None, typer.Option("--from", metavar="DIR", help="A local folder of runs (`ops run --out`).")
    ] = None,
    endpoint_url: EndpointUrlOption = None,
    fmt: Annotated[list[str] | None, formats_option(FORMATS, "table")] = None,
    out: OutOption = None,
) -> None:
    """Findings over time, achieved RTO/RPO per drill against target, access-review flags per quarter."""
    import boto3

    from supportops.runbooks.ops.history import bad_folder_or_bucket, read_bucket, read_local, trends
    from supportops.runbooks.ops.history_html import render as render_html

    formats = formats_from(fmt, FORMATS, "table")
    bad_folder_or_bucket(folder, bucket)
    if bucket is not None:
        runs = read_bucket(boto3.Session().client("s3", endpoint_url=endpoint_url), bucket)
    else:
        assert folder is not None
        runs = read_local(folder)
    found = trends(runs)
    writers: dict[str, FormatWriter] = {
        "table": lambda path: render(_tables(found), path),
        "json": lambda path: write_json(found.to_json(), path),
        "html": lambda path: write_text(render_html(found), path),
    }
    announce(write_outputs(formats, out, writers, name="history"))


def _tables(found: Trends) -> Group:
    runs = Table(title=f"Runs ({len(found.runs)})")
    for column in ("started", "job", "account", "status", "failing", "errors"):
        runs.add_column(column)
    for r in found.runs:
        runs.add_row(
            f"{r.started_at:%Y-%m-%d %H:%M}", r.job, r.account, r.status, str(r.failing), str(r.errors)
        )
    drills = Table(title="Drills: achieved against target (seconds)")
    for column in ("drill", "measure", "runs", "last", "target", "missed"):
        drills.add_column(column)
    for (name, measure), points in found.drills.items():
        last = points[-1]
        drills.add_row(
            name,
            measure,
            str(len(points)),
            f"{last.achieved:g}" if last.achieved is not None else "-",
            f"{last.target:g}" if last.target else "-",
            str(sum(p.status == "FAIL" for p in points)),
        )
    flags = Table(title="Access review: principals flagged per quarter")
    flags.add_column("quarter")
    flags.add_column("flagged")
    for quarter, count in found.flags_per_quarter.items():
        flags.add_row(quarter, str(count))
    return Group(runs, drills, flags)
