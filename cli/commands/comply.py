"""``supportops comply``: Evaluate rules over a stack and report findings."""

from __future__ import annotations

import typer

app = typer.Typer(help="Evaluate rules over a stack and report findings.", no_args_is_help=True)
