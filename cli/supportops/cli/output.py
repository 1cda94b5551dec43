"""The one output layer: tables for people, JSON for machines, to stdout or a file."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console, RenderableType


def write_json(document: Any, out: Path | None) -> None:
    text = json.dumps(document, indent=2, sort_keys=False, default=str) + "\n"
    write_text(text, out)


def write_text(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")


def render(renderable: RenderableType, out: Path | None = None) -> None:
    """Print a rich renderable to stdout, or as plain text to a file."""
    if out is None:
        Console(highlight=False).print(renderable)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        Console(file=handle, width=140, no_color=True, highlight=False).print(renderable)
