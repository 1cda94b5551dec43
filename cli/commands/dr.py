"""``supportops dr``: DR drills against RTO/RPO targets."""

from __future__ import annotations

import typer

app = typer.Typer(help="DR drills against RTO/RPO targets.", no_args_is_help=True)
