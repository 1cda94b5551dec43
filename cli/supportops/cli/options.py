"""Option types shared by command groups (one definition, one help text)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from supportops.cli.paths import repository_root


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


StackOption = Annotated[
    str, typer.Option("--stack", "-s", help="Stack name, e.g. demo-foundation (Pulumi.<stack>.yaml).")
]
ProjectOption = Annotated[
    Path,
    typer.Option(
        "--project",
        help="Pulumi project directory (holds Pulumi.yaml). Default: this repository.",
        default_factory=repository_root,
        show_default="this repository",
        file_okay=False,
    ),
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
OutFileOption = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write the output to this file instead of stdout.")
]
EndpointUrlOption = Annotated[
    str | None,
    typer.Option(
        "--endpoint-url", help="AWS endpoint (e.g. a local moto server).", envvar="AWS_ENDPOINT_URL"
    ),
]
OutDirOption = Annotated[
    Path | None, typer.Option("--out", "-o", help="Directory for the report and evidence bundle.")
]
InventoryOutOption = Annotated[
    Path | None,
    typer.Option("--inventory-out", help="Also write the inventory JSON here (whatever --format shows)."),
]
