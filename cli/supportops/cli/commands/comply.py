"""``supportops comply``: evaluate the policy rules over a stack and report by framework requirement.

Exit codes: 0 nothing fails, 1 an unwaived FAIL at or above --min-severity, 2 bad input.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from supportops.cli.errors import stderr_console, warn
from supportops.cli.options import OutFileOption, ProjectOption
from supportops.cli.output import render, write_text
from supportops.cli.stages import stage_progress
from supportops.errors import EXIT_FINDINGS, BadInput
from supportops.findings import Report, Severity
from supportops.inventory.model import Inventory, SourceKind
from supportops.inventory.secrets import config_secrets, inventory_secrets, remember, secrets_scope
from supportops.loading import load_document
from supportops.reports.evidence import BundleRequest, write_bundle
from supportops.reports.formats import WRITERS, write_report
from supportops.reports.formats.table import GroupBy, compliance_view
from supportops.reports.redaction import redact_text
from supportops.reports.terminal import escape_controls, safe_error_lines

TABLE = "table"


def formats() -> list[str]:
    """``table`` (this command's own view) plus every report writer."""
    return [TABLE, *sorted(WRITERS)]


def comply(
    project: ProjectOption,
    stack: Annotated[
        str | None, typer.Option("--stack", "-s", help="Plan this stack offline and check it.")
    ] = None,
    state: Annotated[
        Path | None, typer.Option("--state", help="A `pulumi stack export` file (deployment version 3).")
    ] = None,
    preview: Annotated[Path | None, typer.Option("--preview", help="A `pulumi preview --json` file.")] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="Pulumi.<stack>.yaml the rules read (retention, regions)."),
    ] = None,
    framework: Annotated[
        str | None, typer.Option("--framework", help="Only this framework: pci-dss-4.0, gdpr, hipaa-164.312.")
    ] = None,
    min_severity: Annotated[
        Severity, typer.Option("--min-severity", help="Report and fail only at or above this severity.")
    ] = Severity.INFO,
    waivers: Annotated[Path | None, typer.Option("--waivers", help="A waivers YAML file.")] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, or a report format: " + ", ".join(sorted(WRITERS)))
    ] = TABLE,
    group_by: Annotated[
        GroupBy, typer.Option("--group-by", help="How the table groups findings.")
    ] = GroupBy.REQUIREMENT,
    out: OutFileOption = None,
    checkov: Annotated[
        bool, typer.Option("--checkov/--no-checkov", help="Also scan with checkov (its own environment).")
    ] = True,
    evidence: Annotated[
        Path | None, typer.Option("--evidence", help="Also write an evidence bundle (reports + manifest).")
    ] = None,
) -> None:
    """Check a stack against the policy rules, PCI DSS 4.0, GDPR and HIPAA 164.312 mappings."""
    if fmt not in formats():
        raise BadInput.at("--format", fmt, f"unknown format (known: {', '.join(formats())})")
    # Imported here so `supportops --help` and other commands do not pay for Pulumi and the rules.
    from supportops.policies.compliance import ComplianceRequest, run_compliance

    # Secrets the inputs hold are remembered as they are read and scrubbed from every output.
    with safe_error_lines(), secrets_scope():
        stages = 3 + (2 if checkov else 0)
        with stage_progress("comply", stages) as stage:
            stage("planning the stack offline" if stack is not None else "reading the file")
            _remember_config_secrets(config if config is not None else _stack_file(project, stack))
            inventory = _inventory(project, stack, state, preview)
            report = run_compliance(
                ComplianceRequest(
                    inventory=inventory, config_file=config, framework_id=framework,
                    min_severity=min_severity, waivers_file=waivers, checkov=checkov,
                    # Planning a project: its config files and code also get checkov's secrets scan.
                    secrets_root=project if stack is not None else None,
                    on_stage=stage,
                )
            )
        _write(report, fmt, group_by, out)
        for problem in report.problems:
            warn(escape_controls(redact_text(problem)))
        if evidence is not None:
            bundle_formats = tuple(dict.fromkeys(["json", *([fmt] if fmt != TABLE else [])]))
            manifest = write_bundle(BundleRequest(evidence, report, formats=bundle_formats))
            stderr_console().print(f"evidence bundle: {escape_controls(str(manifest))}", markup=False)
    if report.failed:
        raise typer.Exit(EXIT_FINDINGS)


def _stack_file(project: Path, stack: str | None) -> Path | None:
    return project / f"Pulumi.{stack}.yaml" if stack is not None else None


def _remember_config_secrets(path: Path | None) -> None:
    """The ``secure:`` values and credential keys of the stack config the run reads."""
    if path is None or not path.is_file():
        return
    try:
        document = load_document(path)
    except BadInput:
        return  # the config loader reports the problem with its own context
    config = document.data.get("config") if isinstance(document.data, dict) else None
    if isinstance(config, dict):
        remember(config_secrets(config))


def _inventory(project: Path, stack: str | None, state: Path | None, preview: Path | None) -> Inventory:
    from supportops.inventory.offline_plan.watchdog import exit_process
    from supportops.inventory.sources.load import load_inventory
    from supportops.stacks.stack_plan import plan_stack

    options = (("--stack", stack), ("--state", state), ("--preview", preview))
    given = [name for name, value in options if value]
    if len(given) != 1:
        problem = "give exactly one" if not given else f"give only one (got {', '.join(given)})"
        raise BadInput.at("--stack/--state/--preview", "", f"{problem} of them: the stack to check")
    if stack is not None:
        # A program stuck in its own code is ended with one line, never left hanging (as in `plan`).
        planned = plan_stack(project, stack, hard_exit=exit_process)
        remember(inventory_secrets(planned))  # files are collected by load_inventory itself
        return planned
    if state is not None:
        return load_inventory(state, SourceKind.STACK_EXPORT)
    assert preview is not None
    return load_inventory(preview, SourceKind.PREVIEW)


def _write(report: Report, fmt: str, group_by: GroupBy, out: Path | None) -> None:
    if fmt == TABLE:
        render(compliance_view(report, group_by), out)
    elif out is not None:
        write_report(report, fmt, out)
    else:
        with tempfile.TemporaryDirectory(prefix="supportops-") as scratch:
            path = Path(scratch) / f"report.{fmt}"
            write_report(report, fmt, path)
            write_text(path.read_text(encoding="utf-8"), None)
