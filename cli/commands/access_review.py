"""``supportops access-review``: Quarterly access reviews: run, sign, apply."""

from __future__ import annotations

import typer

app = typer.Typer(help="Quarterly access reviews: run, sign, apply.", no_args_is_help=True)
