"""``supportops kpi``: the monthly executive summary of the platform's KPIs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from supportops.cli.options import (
    EndpointUrlOption,
    OutOption,
    ProjectOption,
    StackOption,
    formats_from,
    formats_option,
)
from supportops.cli.output import FormatWriter, write_json, write_outputs, write_text
from supportops.errors import EXIT_FINDINGS, EXIT_OK, BadInput

if TYPE_CHECKING:
    from supportops.kpi_summary.sources import ResultSource
    from supportops.stacks.config import StackConfig

app = typer.Typer(help="KPI reports from the analytics phase's Athena queries.", no_args_is_help=True)

REPORT_FORMATS = ("table", "json", "html")

MonthOption = Annotated[str, typer.Option("--month", "-m", help="The month to summarize, YYYY-MM.")]
ExportsOption = Annotated[
    Path | None,
    typer.Option(
        "--exports",
        help="Directory of CSV results exported from Athena (<query key>.csv, e.g. csat_monthly.csv).",
        file_okay=False,
    ),
]
OutputsOption = Annotated[
    Path | None,
    typer.Option(
        "--outputs",
        help="The analytics stack's outputs (`pulumi stack output --json`): run its named queries in Athena.",
        dir_okay=False,
    ),
]


@app.command("report")
def report(
    month: MonthOption,
    stack: StackOption,
    project: ProjectOption,
    exports: ExportsOption = None,
    outputs: OutputsOption = None,
    endpoint_url: EndpointUrlOption = None,
    out: OutOption = None,
    fmt: Annotated[list[str] | None, formats_option(REPORT_FORMATS, "table")] = None,
) -> None:
    """Summarize a month: each KPI against its target with its 12-month trend, SLA compliance per
    tier, deflection, the bot pilot's arms and the top 10 issue types.

    Reads the analytics stack's query results from CSV exports (--exports, offline) or from Athena
    (--outputs). With --out DIR, writes executive-summary-<month>.html (self-contained) and .json there
    (and any other format asked for); stdout shows the table (or -f json).
    Exit 0 when every KPI with a target met it, 1 when one missed it, 2 on bad input.
    """
    from supportops.kpi_summary.summary import build_summary, parse_month
    from supportops.stacks.components.analytics.kpi_catalog import report_catalog

    formats = formats_from(fmt, REPORT_FORMATS, "table")
    chosen = parse_month(month)
    config, source = _source(project, stack, exports, outputs, endpoint_url)
    summary = build_summary(report_catalog(config.sla_tiers), source, chosen)

    from supportops.kpi_summary.render import render_html, to_json

    document = to_json(summary)
    writers: dict[str, FormatWriter] = {
        "html": lambda path: write_text(render_html(summary), path),
        "json": lambda path: write_json(document, path),
        "table": lambda path: write_text(describe(document, out), path),
    }
    if out is None:
        write_outputs(formats, None, writers)
    else:  # the summary's folder: html and json always, and any other format asked for (docs/cli.md)
        files = list(dict.fromkeys(["html", "json", *formats]))
        write_outputs(files, out, writers, name=f"executive-summary-{chosen}")  # shows the table
        if "table" not in formats and "json" in formats:
            writers["json"](None)
    raise typer.Exit(EXIT_FINDINGS if document["verdict"]["missed"] else EXIT_OK)


@app.command("publish")
def publish(
    stack: StackOption,
    project: ProjectOption,
    exports: ExportsOption = None,
    outputs: OutputsOption = None,
    endpoint_url: EndpointUrlOption = None,
    days: Annotated[
        int, typer.Option("--days", min=1, max=14, help="Publish the completed days of this many last days.")
    ] = 1,
) -> None:
    """Publish each KPI's daily values (the <kpi>_daily queries) as CloudWatch metrics for the
    operations dashboard's trend lines (namespace Supportops/KPI). Run it daily for yesterday.
    """
    import datetime as dt

    import boto3

    from supportops.kpi_summary.publish import daily_datapoints
    from supportops.kpi_summary.publish import publish as put_metrics
    from supportops.stacks.components.analytics.kpi_catalog import report_catalog

    config, source = _source(project, stack, exports, outputs, endpoint_url)
    today = dt.datetime.now(dt.UTC).date()
    points = daily_datapoints(report_catalog(config.sla_tiers), source, today, days)
    client = boto3.client("cloudwatch", region_name=config.region, endpoint_url=endpoint_url)
    sent = put_metrics(client, points)
    write_text(
        f"published {sent} datapoints to CloudWatch ({points.empty} days without data, "
        f"{points.outside} outside the last {days} completed days)\n",
        None,
    )


def _source(
    project: Path, stack: str, exports: Path | None, outputs: Path | None, endpoint_url: str | None
) -> tuple[StackConfig, ResultSource]:
    """The stack's config and where its query results come from: CSV exports or Athena."""
    from supportops.kpi_summary.sources import AthenaResults, CsvExports, load_stack_outputs
    from supportops.stacks.config import load_stack_config

    if (exports is None) == (outputs is None):
        raise BadInput.at("--exports/--outputs", "", "give exactly one: CSV exports or the stack outputs")
    config = load_stack_config(project, stack)
    if exports is not None:
        if not exports.is_dir():
            raise BadInput.at(str(exports), "", "no such directory")
        return config, CsvExports(exports)
    import boto3

    assert outputs is not None
    client = boto3.client("athena", region_name=config.region, endpoint_url=endpoint_url)
    return config, AthenaResults(client, load_stack_outputs(outputs))


def describe(document: dict[str, object], out: Path | None) -> str:
    """One line per KPI for a person, then where the files went."""
    from supportops.kpi_summary.render import format_value

    verdict = document["verdict"]
    assert isinstance(verdict, dict)
    lines = [
        f"KPI summary {document['month']} ({document['source']}): {verdict['met']} met, "
        f"{verdict['missed']} missed, {verdict['no data']} without data, {verdict['tracked']} tracked"
    ]
    kpis = document["kpis"]
    assert isinstance(kpis, list)
    for kpi in kpis:
        target = kpi["target"]["text"] if kpi["target"] else "no target"
        value = format_value(kpi["value"], kpi["unit"])
        lines.append(f"  {kpi['status']:<8} {kpi['title']:<40} {value:>12}  target {target}")
    if out is not None:
        lines.append(f"written: {out}/executive-summary-{document['month']}.html and .json")
    return "\n".join(lines) + "\n"
