"""``supportops config``: validate stack configuration without running anything."""

from __future__ import annotations

import typer

from supportops.cli.options import FormatOption, OutputFormat, ProjectOption, StackOption
from supportops.cli.output import write_json
from supportops.stacks.config import load_stack_config

app = typer.Typer(help="Validate and show typed stack configuration.", no_args_is_help=True)


@app.command("validate")
def validate(stack: StackOption, project: ProjectOption, fmt: FormatOption = OutputFormat.TABLE) -> None:
    """Check Pulumi.<stack>.yaml against the config model: one line per problem, exit 2."""
    config = load_stack_config(project, stack)
    if fmt is OutputFormat.JSON:
        write_json(config.model_dump(mode="json", by_alias=True), None)
    else:
        typer.echo(
            f"{stack}: valid ({config.phase.value} phase, region {config.region}, "
            f"RTO {config.resilience.rto_minutes} min, RPO {config.resilience.rpo_minutes} min, "
            f"{len(config.sla_tiers)} SLA tiers, CRM {config.crm.provider.value})"
        )
