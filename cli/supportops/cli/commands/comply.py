"""``supportops comply``: evaluate the policy rules over a stack and report by framework requirement.

Exit codes: 0 nothing fails, 1 an unwaived FAIL at or above --min-severity, 2 bad input; with --live,
3 when nothing fails but an AWS fault made an ERROR finding (docs/live.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from supportops.cli import comply_stacks
from supportops.cli import live_options as live_opts
from supportops.cli.errors import stderr_console, warn
from supportops.cli.evidence_options import SignKeyOption, evidence_signing
from supportops.cli.options import (
    CheckOption,
    CheckSelection,
    EndpointUrlOption,
    FrameworkOption,
    InventoryOption,
    OutOption,
    PreviewFlag,
    ProjectOption,
    SkipCheckOption,
    SoftFailOption,
    formats_from,
    formats_option,
    split_values,
)
from supportops.cli.output import announce, report_writers, write_outputs
from supportops.cli.security_hub_export import ToSecurityHubOption, security_hub_export
from supportops.cli.stages import stage_progress
from supportops.errors import EXIT_ENVIRONMENT, EXIT_FINDINGS, BadInput
from supportops.finding_locations import attach_locations
from supportops.findings import Severity
from supportops.inventory.model import Inventory, SourceKind
from supportops.inventory.secrets import config_secrets, inventory_secrets, remember, secrets_scope
from supportops.reports.formats import WRITERS
from supportops.reports.formats.table import GroupBy, compliance_view
from supportops.reports.redaction import redact_text
from supportops.reports.terminal import escape_controls, safe_error_lines

# Above: what typer needs to build the command (it resolves the parameter annotations) and light
# helpers. Whatever else the run needs (loader, evidence bundles, rules) loads in the body: the
# start-up is on the critical path of every run.

TABLE = "table"


def formats() -> list[str]:
    """``table`` (this command's own view) plus every report writer."""
    return [TABLE, *sorted(WRITERS)]


def comply(
    project: ProjectOption,
    stack: Annotated[
        list[str] | None,
        typer.Option(
            "--stack", "-s", metavar="NAME",
            help="Plan this stack offline (Pulumi's mock runtime; nothing deployed is read) and check "
            "the plan. Repeatable: each program is planned once and checkov runs once for all.",
        ),
    ] = None,
    all_stacks: comply_stacks.AllStacksOption = False,
    no_cache: comply_stacks.NoCacheOption = False,
    cache_dir: comply_stacks.CacheDirOption = None,
    state: Annotated[
        Path | None, typer.Option("--state", help="A `pulumi stack export` file (deployment version 3).")
    ] = None,
    preview_json: Annotated[
        Path | None, typer.Option("--preview-json", metavar="FILE", help="A `pulumi preview --json` file.")
    ] = None,
    inventory_file: InventoryOption = None,
    preview: PreviewFlag = False,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="Pulumi.<stack>.yaml the rules read (retention, regions)."),
    ] = None,
    framework: FrameworkOption = None,
    check: CheckOption = None,
    skip_check: SkipCheckOption = None,
    soft_fail: SoftFailOption = False,
    min_severity: Annotated[
        Severity, typer.Option("--min-severity", help="Report and fail only at or above this severity.")
    ] = Severity.INFO,
    waivers: Annotated[Path | None, typer.Option("--waivers", help="A waivers YAML file.")] = None,
    fmt: Annotated[list[str] | None, formats_option(formats(), TABLE)] = None,
    group_by: Annotated[
        GroupBy, typer.Option("--group-by", help="How the table groups findings.")
    ] = GroupBy.REQUIREMENT,
    out: OutOption = None,
    checkov: Annotated[
        bool, typer.Option("--checkov/--no-checkov", help="Also scan with checkov (its own environment).")
    ] = True,
    evidence: Annotated[
        Path | None, typer.Option("--evidence", help="Also write an evidence bundle (reports + manifest).")
    ] = None,
    sign_key: SignKeyOption = None,
    to_security_hub: ToSecurityHubOption = False,
    live_action: live_opts.LiveActionArgument = None,
    live: live_opts.LiveFlag = False,
    profile: live_opts.ProfileOption = None,
    region: live_opts.RegionOption = None,
    role_arn: live_opts.RoleArnOption = None,
    accounts: live_opts.AccountsOption = None,
    role_name: live_opts.RoleNameOption = None,
    endpoint_url: EndpointUrlOption = None,
    service: live_opts.ServiceOption = None,
) -> None:
    """Check a stack against the policy rules, PCI DSS 4.0, GDPR and HIPAA 164.312 mappings."""
    params = dict(locals())  # first: the arguments, for the run over several stacks
    chosen = formats_from(fmt, formats(), TABLE)
    stacks = comply_stacks.requested_stacks(project, stack, all_stacks)
    if stacks and not comply_stacks.in_session():  # plans and checkov shared by every stack asked
        raise typer.Exit(comply_stacks.run_each(params, stacks, comply, chosen))
    one_stack = stacks[0] if stacks else None
    selection = CheckSelection(check, skip_check)
    live_run = live_opts.comply_live(
        live, live_action,
        sources={
            "--stack": stack, "--state": state, "--preview-json": preview_json, "--inventory": inventory_file
        },
        profile=profile, regions=region, role_arns=role_arn, accounts=accounts, role_name=role_name,
        endpoint_url=endpoint_url, services=service,
    )
    # Secrets the inputs hold are remembered as they are read and scrubbed from every output.
    signing = evidence_signing(sign_key, writes_evidence=evidence is not None, evidence_dir=evidence)
    hub = security_hub_export(to_security_hub, endpoint_url, asff_requested="asff" in chosen)
    with safe_error_lines(), secrets_scope(), signing, hub as hub_export:
        stages = 3 + (2 if checkov else 0)
        with stage_progress("comply", stages) as stage:
            stage("planning the stack offline" if one_stack is not None else "reading the file")
            _remember_config_secrets(config if config is not None else _stack_file(project, one_stack))
            inventory = (
                live_run.inventory() if live_run
                else _inventory(project, one_stack, state, preview_json, inventory_file, preview)
            )
            # Imported once the inventory is there: planning (and checkov's start) goes first, and
            # `supportops --help` and other commands never pay for the rules.
            from supportops.policies.compliance import ComplianceRequest, run_compliance

            report = run_compliance(
                ComplianceRequest(
                    inventory=inventory, config_file=config, framework_ids=tuple(split_values(framework)),
                    selects=selection.selects if selection else None,
                    min_severity=min_severity, waivers_file=waivers, checkov=checkov,
                    # Planning a project: its config files and code also get checkov's secrets scan.
                    secrets_root=project if one_stack is not None else None,
                    checkov_results=comply_stacks.checkov_results(one_stack) if one_stack and not live_run
                    else None,
                    on_stage=stage,
                )
            )
        if live_run is not None:  # faults as ERROR findings, types not collected as problems
            live_run.add_results(report)
        attach_locations(report, inventory)  # file:line for SARIF and compact (docs/reports.md)
        written = write_outputs(
            chosen, out, report_writers(report, chosen, table=lambda: compliance_view(report, group_by))
        )
        announce(written if len(chosen) > 1 else [])
        for problem in report.problems:
            warn(escape_controls(redact_text(problem)))
        if evidence is not None:
            from supportops.reports.evidence import BundleRequest, write_bundle

            bundle_formats = tuple(dict.fromkeys(["json", *(f for f in chosen if f in WRITERS)]))
            manifest = write_bundle(BundleRequest(evidence, report, formats=bundle_formats))
            stderr_console().print(f"evidence bundle: {escape_controls(str(manifest))}", markup=False)
        if hub_export is not None and hub_export.send(report):
            raise typer.Exit(EXIT_ENVIRONMENT)  # Security Hub rejected findings: a partial import
    if live_run is not None:  # 1 on a FAIL, else 3 on an ERROR (an AWS fault), else 0
        code = live_run.exit_code(report)
        raise typer.Exit(0 if soft_fail and code == EXIT_FINDINGS else code)
    if report.failed and not soft_fail:
        raise typer.Exit(EXIT_FINDINGS)


def _stack_file(project: Path, stack: str | None) -> Path | None:
    return project / f"Pulumi.{stack}.yaml" if stack is not None else None


def _remember_config_secrets(path: Path | None) -> None:
    """The ``secure:`` values and credential keys of the stack config the run reads."""
    if path is None or not path.is_file():
        return
    from supportops.loading import load_document

    try:
        document = load_document(path)
    except BadInput:
        return  # the config loader reports the problem with its own context
    config = document.data.get("config") if isinstance(document.data, dict) else None
    if isinstance(config, dict):
        remember(config_secrets(config))


def _inventory(
    project: Path, stack: str | None, state: Path | None, preview_json: Path | None,
    inventory_file: Path | None, as_preview: bool = False,
) -> Inventory:
    from supportops.inventory.sources.load import load_inventory

    options = (("--stack", stack), ("--state", state), ("--preview-json", preview_json),
               ("--inventory", inventory_file))
    given = [name for name, value in options if value]
    if len(given) != 1:
        problem = "give exactly one" if not given else f"give only one (got {', '.join(given)})"
        raise BadInput.at(
            "--stack/--state/--preview-json/--inventory", "", f"{problem} of them: the stack to check"
        )
    if as_preview and stack is None:
        raise BadInput.at("--preview", "", "plans --stack as `pulumi preview` sees it: give --stack too")
    if stack is not None:
        # Planned in the run's session (cached; a stuck program is ended with one line, as in `plan`).
        planned = comply_stacks.planned(stack)
        remember(inventory_secrets(planned))  # files are collected by load_inventory itself
        return planned
    if inventory_file is not None:
        from supportops.inventory.inventory_file import load_inventory_file

        inventory = load_inventory_file(inventory_file)
        remember(inventory_secrets(inventory))
        return inventory
    if state is not None:
        return load_inventory(state, SourceKind.STACK_EXPORT)
    assert preview_json is not None
    return load_inventory(preview_json, SourceKind.PREVIEW)
