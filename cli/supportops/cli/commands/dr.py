"""``supportops dr``: DR drills against RTO/RPO targets.

Exit codes: 0 every target met and cleanup complete; 1 a target missed, not measured (ERROR) or a
leftover not removed; 2 bad input.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Group
from rich.table import Table
from rich.text import Text

from supportops.cli.errors import stderr_console
from supportops.cli.evidence_options import SignKeyOption, evidence_signing
from supportops.cli.options import (
    EndpointUrlOption,
    EvidenceOption,
    FormatOption,
    OldOutDirOption,
    OutputFormat,
    ProjectOption,
    SoftFailOption,
    evidence_dir,
    formats_from,
    formats_option,
)
from supportops.cli.output import (
    FormatWriter,
    announce,
    render,
    report_writer,
    write_json,
    write_policies,
    write_run_outputs,
)
from supportops.cli.stages import stage_progress
from supportops.errors import EXIT_FINDINGS, BadInput
from supportops.findings import Report
from supportops.reports.formats.json_report import to_json
from supportops.runbooks.dr.executor import DrillOptions, DrillOutcome, LoadedRunbook, load, plan, run_drill
from supportops.runbooks.dr.loader import bundled_runbooks, resolve_runbook_path

app = typer.Typer(help="DR drills against RTO/RPO targets.", no_args_is_help=True)

# table: the step results; json: the report (supportops.report/v1); the others: report writers.
RUN_FORMATS = ("table", "json", "compact", "sarif", "html", "csv", "junit")

DEFAULT_OUT = Path("out/dr-drills")
_STATUS_STYLE = {"PASS": "green", "FAIL": "red", "ERROR": "yellow", "NOT_APPLICABLE": "dim"}

RunbookArgument = Annotated[
    str, typer.Argument(help="Runbook file, or the name of a bundled runbook (see `supportops dr list`).")
]


@app.command("drill")
def drill(
    runbook: RunbookArgument,
    project: ProjectOption,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and show the plan; no AWS call.")
    ] = False,
    endpoint_url: EndpointUrlOption = None,
    evidence: EvidenceOption = None,
    out: OldOutDirOption = None,
    allow_failover: Annotated[
        bool,
        typer.Option("--allow-failover", help="Let connect-readiness steps with failover: true fail over."),
    ] = False,
    fmt: Annotated[list[str] | None, formats_option(RUN_FORMATS, "table")] = None,
    soft_fail: SoftFailOption = False,
    sign_key: SignKeyOption = None,
) -> None:
    """Run a drill: restore into drill resources, measure RTO/RPO against the targets, clean up."""
    chosen = formats_from(fmt, RUN_FORMATS, "table")
    loaded = load(resolve_runbook_path(runbook), project)
    if dry_run:
        shown = OutputFormat.JSON if chosen == ["json"] else OutputFormat.TABLE
        _show_plan(plan(loaded, allow_failover), shown)
        return
    with evidence_signing(sign_key, endpoint_url=endpoint_url):  # each drill: its own bundle directory
        outcome = _run(loaded, endpoint_url, evidence_dir(evidence, out) or DEFAULT_OUT, allow_failover)
    _show_outcome(outcome, chosen)
    if outcome.failed and not soft_fail:
        raise typer.Exit(EXIT_FINDINGS)


@app.command("list")
def list_runbooks(project: ProjectOption, fmt: FormatOption = OutputFormat.TABLE) -> None:
    """The bundled runbooks: one per protected data store."""
    rows: list[dict[str, Any]] = []
    for path in bundled_runbooks():
        loaded = load(path, project)
        rows.append(
            {
                "name": loaded.runbook.name,
                "status": loaded.runbook.status,
                "path": loaded.source,
                "steps": [f"{s.name} ({s.type})" for s in loaded.runbook.steps],
                "rtoMinutes": loaded.targets.rto_seconds / 60,
                "rpoMinutes": loaded.targets.rpo_seconds / 60,
                "targetsFrom": loaded.targets.source,
                "description": loaded.runbook.description,
            }
        )
    if fmt is OutputFormat.JSON:
        write_json(rows, None)
        return
    table = Table(title="DR runbooks")
    table.add_column("runbook", no_wrap=True)
    for column in ("status", "steps", "RTO", "RPO"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row["name"],
            row["status"],
            "\n".join(row["steps"]),
            f"{row['rtoMinutes']:g} min",
            f"{row['rpoMinutes']:g} min",
        )
    render(table)


@app.command("cleanup")
def cleanup(
    project: ProjectOption,
    endpoint_url: EndpointUrlOption = None,
    older_than: Annotated[
        str | None,
        typer.Option("--older-than", help="Only drills started longer ago than this (30m, 2h, 7d)."),
    ] = None,
    runbooks: Annotated[
        list[Path] | None,
        typer.Option(
            "--runbook", help="Also clear canaries of this runbook's sources (default: bundled ones)."
        ),
    ] = None,
    regions: Annotated[list[str] | None, typer.Option("--region", help="Also sweep this region.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be removed.")] = False,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Remove what crashed or killed drills left: drill resources (by tag and name), canaries."""
    from supportops.runbooks.dr.aws import BotoClients
    from supportops.runbooks.dr.naming import parse_duration
    from supportops.runbooks.dr.sweep import SweepTarget, sweep, targets_from_steps

    try:
        age = parse_duration(older_than) if older_than else None
    except ValueError as exc:
        raise BadInput.at("--older-than", "", str(exc)) from None
    targets: list[SweepTarget] = []
    for path in [*bundled_runbooks(), *(runbooks or [])]:
        loaded = load(path, project)
        targets += targets_from_steps(
            loaded.targets.region, loaded.runbook.steps, loaded.targets.replica_region, loaded.registry
        )
    targets += [SweepTarget(region) for region in regions or []]
    result = sweep(BotoClients(endpoint_url), targets, older_than=age, dry_run=dry_run)
    summary = dataclasses.asdict(result)
    if fmt is OutputFormat.JSON:
        write_json(summary, None)
    else:
        for label, entries in (
            ("would remove" if dry_run else "removed", result.found if dry_run else result.removed),
            ("skipped (younger than --older-than)", result.skipped),
            ("FAILED", result.failed),
        ):
            for entry in entries:
                typer.echo(f"{label}: {entry}")
        if not (result.removed or result.found or result.failed or result.skipped):
            typer.echo("no drill leftovers found")
    if result.failed:
        raise typer.Exit(EXIT_FINDINGS)


@app.command("permissions")
def permissions(
    project: ProjectOption,
    runbooks: Annotated[
        list[str] | None, typer.Argument(help="Runbook files or bundled names (default: every bundled one).")
    ] = None,
    fmt: FormatOption = OutputFormat.JSON,
) -> None:
    """Print the least-privilege IAM policies a drill of these runbooks and `dr cleanup` need."""
    from supportops.runbooks.dr.permissions import policies

    paths = [resolve_runbook_path(name) for name in runbooks] if runbooks else bundled_runbooks()
    loaded = [load(path, project) for path in paths]
    docs = policies([entry.runbook for entry in loaded])
    write_policies(docs, as_json=fmt is OutputFormat.JSON)


@app.command("demo")
def demo(
    project: ProjectOption,
    runbooks: Annotated[
        list[str] | None, typer.Argument(help="Bundled runbook names or files (default: the DynamoDB ones).")
    ] = None,
    evidence: EvidenceOption = None,
    out: OldOutDirOption = None,
    fmt: Annotated[list[str] | None, formats_option(RUN_FORMATS, "table")] = None,
    sign_key: SignKeyOption = None,
) -> None:
    """Start a local moto server, seed the runbooks' sources, run the drills against it, stop it."""
    from supportops.runbooks.dr.aws import BotoClients
    from supportops.runbooks.dr.demo import (
        DEMO_RUNBOOKS,
        LOCAL_PROFILE_NOTE,
        local_profile,
        not_served_locally,
        refusal,
        seed_for,
    )
    from supportops.runbooks.local_aws import local_aws_credentials, local_aws_endpoint

    chosen = formats_from(fmt, RUN_FORMATS, "table")
    bundles = evidence_dir(evidence, out) or DEFAULT_OUT
    loaded_all = [load(resolve_runbook_path(name), project) for name in runbooks or DEMO_RUNBOOKS]
    for loaded in loaded_all:
        if not_served_locally(loaded.runbook, loaded.registry):
            raise BadInput.at(loaded.source, "steps", refusal(loaded.registry))
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs every request otherwise
    failed = False
    # The key is opened before moto starts (a file key; a KMS key would be looked up in real AWS).
    with evidence_signing(sign_key), local_aws_credentials(), local_aws_endpoint() as endpoint:
        console = stderr_console()
        console.print(f"local AWS endpoint (moto) at {endpoint}", markup=False)
        for loaded in loaded_all:
            seeded = seed_for(loaded.runbook, BotoClients(endpoint), loaded.targets.region, loaded.registry)
            console.print(f"seeded: {', '.join(seeded)}", markup=False)
            local = dataclasses.replace(loaded, runbook=local_profile(loaded.runbook, loaded.registry))
            outcome = _run(local, endpoint, bundles, False, [LOCAL_PROFILE_NOTE])
            _show_outcome(outcome, chosen)
            failed = failed or outcome.failed
    if failed:
        raise typer.Exit(EXIT_FINDINGS)


def _run(
    loaded: LoadedRunbook,
    endpoint_url: str | None,
    out: Path,
    allow_failover: bool,
    notes: list[str] | None = None,
) -> DrillOutcome:
    options = DrillOptions(
        endpoint_url=endpoint_url, out_dir=out, allow_failover=allow_failover, notes=notes or []
    )
    with stage_progress(f"drill {loaded.runbook.name}", len(loaded.runbook.steps)) as stage:
        options.on_step = lambda name, _index, _total: stage(name)
        outcome = run_drill(loaded, options)
    return outcome


def _show_plan(document: dict[str, Any], fmt: OutputFormat) -> None:
    if fmt is OutputFormat.JSON:
        write_json(document, None)
        return
    targets = document["targets"]
    typer.echo(f"runbook {document['runbook']} ({document['path']}), dry run: no AWS call made")
    typer.echo(
        f"targets: RTO {targets['rtoMinutes']:g} min, RPO {targets['rpoMinutes']:g} min "
        f"from {targets['source']}; region {targets['region']}"
    )
    table = Table(title="plan")
    for column in ("step", "type", "checks", "drill resource", "writes to the source", "timeout"):
        table.add_column(column)
    for step in document["steps"]:
        table.add_row(
            step["name"],
            step["type"],
            ", ".join(step["checks"]),
            step["drillResource"],
            step["writesToSource"] + (f"\n{step['note']}" if "note" in step else ""),
            f"{step['timeoutSeconds']:g} s",
        )
    render(table)


def _show_outcome(outcome: DrillOutcome, formats: list[str]) -> None:
    """The drill's report in each format (docs/cli.md); several go beside its evidence bundle."""
    report = outcome.report
    writers: dict[str, FormatWriter] = {
        "table": lambda path: render(_outcome_view(report), path),
        "json": lambda path: write_json(to_json(report), path),
    }
    writers.update({fmt: report_writer(report, fmt) for fmt in formats if fmt not in writers})
    bundle = outcome.manifest.parent if outcome.manifest is not None else None
    written = write_run_outputs(formats, bundle, writers)
    if len(formats) > 1:
        announce(written)
    if outcome.manifest is not None:
        stderr_console().print(f"evidence: {outcome.manifest}", markup=False)


def _outcome_view(report: Report) -> Group:
    lines = [Text(f"problem: {problem}") for problem in report.problems]
    return Group(_findings_table(report), *lines, Text(json.dumps(report.counts())))


def _findings_table(report: Report) -> Table:
    table = Table(title=f"{report.title} ({report.details['drillId']})")
    for column in ("step", "check", "status", "result"):
        table.add_column(column)
    for finding in report.findings:
        style = _STATUS_STYLE.get(finding.status.value, "")
        table.add_row(
            Text(finding.subject),
            finding.check_id,
            Text(finding.status.value, style=style),
            Text(finding.message),
        )
    return table
