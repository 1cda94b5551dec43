"""Parse a ``supportops ...`` command line with the real CLI, without running it: an unknown command,
an unknown option or a value of the wrong kind raises the CLI's usage error, as it would for a user."""

from __future__ import annotations

from typing import Any

import typer

from supportops.cli.app import create_app


def parse_command_line(argv: list[str]) -> list[str]:
    """The command path (e.g. ``["supportops", "comply"]``) once every word of ``argv`` parsed."""
    assert argv[0] == "supportops", argv
    # typer carries its own copy of click: groups are told apart by what they can do.
    command: Any = typer.main.get_command(create_app())
    context = command.make_context("supportops", argv[1:], resilient_parsing=False)
    path = ["supportops"]
    while hasattr(command, "resolve_command"):
        words = [*context._protected_args, *context.args]
        name, sub, rest = command.resolve_command(context, words)
        assert name is not None and sub is not None, argv
        path.append(name)
        command = sub
        context = command.make_context(name, rest, parent=context, resilient_parsing=False)
    assert not context.args, f"left over: {context.args}"
    return path
