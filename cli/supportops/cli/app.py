"""The root command: global options and the composition of every command group."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from supportops.cli.commands import access_review as access_review_commands
from supportops.cli.commands import comply as comply_commands
from supportops.cli.commands import config as config_commands
from supportops.cli.commands import crossguard as crossguard_commands
from supportops.cli.commands import dr as dr_commands
from supportops.cli.commands import drift as drift_commands
from supportops.cli.commands import evidence as evidence_commands
from supportops.cli.commands import history as history_commands
from supportops.cli.commands import kpi as kpi_commands
from supportops.cli.commands import ops as ops_commands
from supportops.cli.commands import plan as plan_commands
from supportops.cli.commands import privacy as privacy_commands
from supportops.cli.commands import report as report_commands
from supportops.cli.errors import report_error, set_debug, set_quiet
from supportops.cli.options import plain_help
from supportops.inventory.secrets import secrets_scope
from supportops.version import __version__


def _version(value: bool) -> None:
    if value:
        typer.echo(f"supportops {__version__}")
        raise typer.Exit()


class _ErrorsAsExitCodes(TyperGroup):
    """Every known error becomes one line and its exit code (2 for bad input), for the console
    script and for CliRunner alike; usage errors keep typer's own handling."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plain_help(self)  # no `<bool>` placeholders in any command's --help (docs/cli.md)

    def invoke(self, ctx: Any) -> Any:
        # One secrets scope per command: whatever secret a loader met is scrubbed from every output
        # and from the error line the command may end with.
        with secrets_scope():
            try:
                return super().invoke(ctx)
            except (typer.Exit, typer.Abort, typer.TyperException):
                raise
            except Exception as exc:
                raise typer.Exit(report_error(exc)) from None


def create_app() -> typer.Typer:
    app = typer.Typer(
        name="supportops",
        cls=_ErrorsAsExitCodes,
        help="Provision, prove compliant and operate the customer-support platform on AWS.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
    )

    @app.callback()
    def root(
        debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
        quiet: Annotated[
            bool,
            typer.Option("--quiet", "-q", help="No progress lines on stderr when no terminal is attached."),
        ] = False,
        version: Annotated[
            bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
        ] = False,
    ) -> None:
        set_debug(debug)
        set_quiet(quiet)

    app.add_typer(config_commands.app, name="config")
    app.command("plan")(plan_commands.plan)
    app.command("comply")(comply_commands.comply)
    app.command("drift")(drift_commands.drift)
    app.add_typer(evidence_commands.app, name="evidence")
    app.add_typer(crossguard_commands.app, name="crossguard")
    app.add_typer(access_review_commands.app, name="access-review")
    app.add_typer(dr_commands.app, name="dr")
    app.add_typer(kpi_commands.app, name="kpi")
    app.add_typer(privacy_commands.app, name="privacy")
    app.add_typer(ops_commands.app, name="ops")
    app.command("history")(history_commands.history)
    app.add_typer(report_commands.app, name="report")
    return app
