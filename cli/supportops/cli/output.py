"""The one output layer: tables for people, JSON for machines, to stdout or a file.

Whatever goes out is scrubbed of secrets first (:mod:`supportops.reports.redaction`); files are
written atomically (:mod:`supportops.atomic`); text for a terminal carries no control
sequences from the data (:mod:`supportops.reports.terminal`); and text that cannot be encoded (a
lone surrogate from state data) is written as an escape rather than crashing the command.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console, RenderableType
from rich.segment import Segment, Segments

from supportops.atomic import TEXT_ERRORS, atomic_text
from supportops.reports.redaction import redact_document, redact_text
from supportops.reports.terminal import escape_controls

FILE_WIDTH = 140


def write_json(document: Any, out: Path | None) -> None:
    text = json.dumps(redact_document(document), indent=2, sort_keys=False, default=str) + "\n"
    write_text(text, out)


def write_text(text: str, out: Path | None) -> None:
    """``text`` (already rendered: JSON, XML, CSV ...) to stdout or atomically to ``out``."""
    text = redact_text(text)
    if out is None:
        _stdout_write(text)
    else:
        with atomic_text(out) as handle:
            handle.write(text)


def render(renderable: RenderableType, out: Path | None = None) -> None:
    """Print a rich renderable to stdout, or as plain text to a file (atomically)."""
    if out is None:
        console = Console(highlight=False)
        console.print(Segments(_safe_segments(console, renderable)))
        return
    buffer = io.StringIO()
    console = Console(file=buffer, width=FILE_WIDTH, no_color=True, highlight=False)
    console.print(Segments(_safe_segments(console, renderable)))
    write_text(buffer.getvalue(), out)


def write_policies(documents: dict[str, Any], as_json: bool) -> None:
    """Least-privilege IAM policy documents (name -> document): JSON to paste, or a table of actions."""
    if as_json:
        write_json(documents, None)
        return
    from rich.table import Table

    table = Table("policy", "actions")
    for name, document in documents.items():
        table.add_row(name, "\n".join(document["Statement"][0]["Action"]))
    render(table)


def _safe_segments(console: Console, renderable: RenderableType) -> list[Segment]:
    """The renderable laid out, with any control character that came with the data escaped and
    known secrets removed (styles and rich's own control segments are kept)."""
    return [
        segment if segment.control else Segment(escape_controls(redact_text(segment.text)), segment.style)
        for segment in console.render(renderable, console.options)
    ]


def _stdout_write(text: str) -> None:
    stream = sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    # Escape what the stream cannot encode (a lone surrogate) instead of failing midway.
    stream.write(text.encode(encoding, TEXT_ERRORS).decode(encoding, "replace"))
    stream.flush()
