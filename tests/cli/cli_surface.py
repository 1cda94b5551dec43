"""The CLI's surface as the user sees it: every command path and its visible options (helpers for
tests/cli/test_cli_conventions.py and for regenerating the table of docs/cli.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer
from typer.main import get_command

from supportops.cli.app import create_app

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
_ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|\s*`(--[^`/ ]+)[^|]*\|")


def commands() -> Iterator[tuple[str, Any]]:
    """(``"comply"``, command) for every leaf command, ``"access-review run"`` style paths."""

    def walk(prefix: str, command: Any) -> Iterator[tuple[str, Any]]:
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in sorted(subcommands.items()):
                if not getattr(sub, "hidden", False):
                    yield from walk(f"{prefix} {name}".strip(), sub)
        else:
            yield prefix, command

    root = get_command(create_app())
    yield "supportops", root
    yield from walk("", root)


def options(command: Any) -> dict[str, Any]:
    """Visible options by their first long name (``--help`` left out)."""
    found = {}
    context = typer.Context(command)
    for param in command.get_params(context):
        if getattr(param, "param_type_name", "") != "option" or getattr(param, "hidden", False):
            continue
        long_names = [name for name in param.opts if name.startswith("--")]
        if not long_names or long_names[0] == "--help":
            continue
        found[long_names[0]] = param
    return found


def surface() -> set[tuple[str, str]]:
    return {(path, option) for path, command in commands() for option in options(command)}


def documented(text: str | None = None) -> set[tuple[str, str]]:
    """(command, option) of every row of the table in docs/cli.md."""
    text = DOCS.read_text(encoding="utf-8") if text is None else text
    return {(m.group(1), m.group(2)) for line in text.splitlines() if (m := _ROW.match(line))}


def row(path: str, param: Any) -> str:
    """A table row for ``param`` (used to write the table; the meaning is the option's help)."""
    first = "/".join([param.opts[0], *param.secondary_opts[:1]])
    names = " ".join(f"`{name}`" for name in [first, *param.opts[1:]])
    if getattr(param, "is_flag", False):
        value = "flag"
    else:
        value = (
            param.metavar or param.display_type(typer.Context(get_command(create_app()))).strip("<>").upper()
        )
    help_text = " ".join((param.help or "").split()).replace("|", "\\|")
    repeat = " (repeatable)" if getattr(param, "multiple", False) else ""
    return f"| `{path}` | {names} | {value}{repeat} | {help_text} |"


def write_table() -> None:
    """Rewrite the table of docs/cli.md from the commands (``python tests/cli/cli_surface.py``)."""
    marker = "| command | option | value | meaning |\n| --- | --- | --- | --- |\n"
    text = DOCS.read_text(encoding="utf-8")
    head = text[: text.index(marker) + len(marker)]
    rows = [row(path, param) for path, command in commands() for param in options(command).values()]
    DOCS.write_text(head + "\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_table()
