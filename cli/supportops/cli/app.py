"""The root command: global options, and every command group listed once and loaded when used.

A command module is imported only when its command runs (or ``--help`` lists every command), so
``supportops comply`` does not pay for boto3 (privacy, dr), rich.markdown (report) or typer building
thirteen command trees it never runs (the start-up is on the critical path of the edit loop).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import TYPE_CHECKING, Annotated, Any, Final

import typer
from typer.core import TyperGroup
from typer.main import get_group

from supportops.cli.errors import report_error, set_debug, set_quiet
from supportops.cli.options import plain_help
from supportops.inventory.secrets import secrets_scope
from supportops.version import __version__

if TYPE_CHECKING:
    from typer._click import Command  # the click vendored in typer: the type of a group's commands

#: Every command of ``supportops`` in the order of the help listing: name -> "module:attribute", where
#: the attribute is a ``typer.Typer`` (a command group) or a command function.
COMMANDS: Final[Mapping[str, str]] = {
    "plan": "supportops.cli.commands.plan:plan",
    "comply": "supportops.cli.commands.comply:comply",
    "drift": "supportops.cli.commands.drift:drift",
    "history": "supportops.cli.commands.history:history",
    "config": "supportops.cli.commands.config:app",
    "evidence": "supportops.cli.commands.evidence:app",
    "crossguard": "supportops.cli.commands.crossguard:app",
    "access-review": "supportops.cli.commands.access_review:app",
    "dr": "supportops.cli.commands.dr:app",
    "kpi": "supportops.cli.commands.kpi:app",
    "privacy": "supportops.cli.commands.privacy:app",
    "ops": "supportops.cli.commands.ops:app",
    "report": "supportops.cli.commands.report:app",
}


def _typer(**settings: Any) -> typer.Typer:
    """A Typer with the root's settings (its commands are built with them: pretty exceptions, markup)."""
    return typer.Typer(pretty_exceptions_enable=False, add_completion=False, **settings)


def build_command(name: str, target: str) -> Command:
    """The click command typer builds for ``target`` added to the root as ``name`` (``add_typer`` for a
    Typer, ``command`` for a function): built by typer itself, so signatures, help and defaults are
    exactly those of an eager root."""
    module_name, _, attribute = target.partition(":")
    found = getattr(importlib.import_module(module_name), attribute)
    holder = _typer()
    if isinstance(found, typer.Typer):
        holder.add_typer(found, name=name)
    else:
        holder.command(name)(found)
    command = get_group(holder).commands[name]
    plain_help(command)  # no `<bool>` placeholders in any command's --help (docs/cli.md)
    return command


class LazyCommands(MutableMapping[str, "Command"]):
    """A group's commands by name: the names known up front, each command built on first access."""

    def __init__(self, targets: Mapping[str, str], build: Callable[[str, str], Command]) -> None:
        self._targets = dict(targets)
        self._build = build
        self._built: dict[str, Command] = {}

    def __getitem__(self, name: str) -> Command:
        if name not in self._built:
            self._built[name] = self._build(name, self._targets[name])  # KeyError: no such command
        return self._built[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._targets.setdefault(name, "")
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._targets[name]
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._targets)

    def __len__(self) -> int:
        return len(self._targets)

    def __contains__(self, name: object) -> bool:
        return name in self._targets


def _version(value: bool) -> None:
    if value:
        typer.echo(f"supportops {__version__}")
        raise typer.Exit()


class _ErrorsAsExitCodes(TyperGroup):
    """Every known error becomes one line and its exit code (2 for bad input), for the console
    script and for CliRunner alike; usage errors keep typer's own handling. The commands of
    :data:`COMMANDS` are loaded when invoked, or all of them when the help lists them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plain_help(self)  # the root's own options; each command gets it as it is built
        self.commands = LazyCommands(COMMANDS, build_command)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # names only: TyperGroup's own walks the items, building them all

    def invoke(self, ctx: Any) -> Any:
        # One secrets scope per command: whatever secret a loader met is scrubbed from every output
        # and from the error line the command may end with. A command that fails to load ends the
        # same way (one line, exit code), as it is resolved inside.
        with secrets_scope():
            try:
                return super().invoke(ctx)
            except (typer.Exit, typer.Abort, typer.TyperException):
                raise
            except Exception as exc:
                raise typer.Exit(report_error(exc)) from None


def create_app() -> typer.Typer:
    app = _typer(
        name="supportops",
        cls=_ErrorsAsExitCodes,
        help="Provision, prove compliant and operate the customer-support platform on AWS.",
        no_args_is_help=True,
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

    return app
