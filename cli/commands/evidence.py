"""``supportops evidence``: Verify evidence bundles."""

from __future__ import annotations

import typer

app = typer.Typer(help="Verify evidence bundles.", no_args_is_help=True)
