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
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from rich.console import Console, RenderableType
from rich.measure import Measurement
from rich.segment import Segment, Segments

from supportops.atomic import TEXT_ERRORS, atomic_text
from supportops.errors import BadInput
from supportops.reports.redaction import redact_document, redact_text
from supportops.reports.terminal import escape_controls

if TYPE_CHECKING:
    from supportops.findings import Report

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
    """Print a rich renderable to stdout, or as plain text to a file (atomically).

    A terminal gets its own width; anything else (a pipe, a CI log, a file) gets the renderable's
    natural width, so no cell is ever cut ("ba…") to fit 80 columns nobody asked for."""
    if out is None:
        console = Console(highlight=False)
        if not console.is_terminal:
            console.width = natural_width(console, renderable)
        console.print(Segments(_safe_segments(console, renderable)))
        return
    buffer = io.StringIO()
    console = Console(file=buffer, width=FILE_WIDTH, no_color=True, highlight=False)
    console.width = natural_width(console, renderable)
    console.print(Segments(_safe_segments(console, renderable)))
    write_text(buffer.getvalue(), out)


def natural_width(console: Console, renderable: RenderableType, minimum: int = 80) -> int:
    """The width ``renderable`` takes when nothing is wrapped or cut (at least ``minimum``)."""
    wide = console.options.update_width(1_000_000)
    return max(minimum, Measurement.get(console, wide, renderable).maximum)


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


# --- Several outputs in one run (docs/cli.md: -f/--format repeatable, -o file or directory) -------

#: Formats written for people: one of them is also printed when several formats go to a directory.
PERSON_FORMATS: Final = ("table", "compact")
#: File suffixes of the formats that are not report writers.
VIEW_EXTENSIONS: Final = {"table": "txt"}

#: Writes one format: to stdout (None) or to the file given (atomically).
FormatWriter = Callable[[Path | None], None]


@dataclass(frozen=True, slots=True)
class Destination:
    fmt: str
    path: Path | None  # None: stdout


def extension_of(fmt: str) -> str:
    from supportops.reports.formats import extension

    return VIEW_EXTENSIONS.get(fmt) or extension(fmt)


def destinations(formats: Sequence[str], out: Path | None, *, name: str = "report") -> list[Destination]:
    """Where each format goes: one format to stdout or ``out`` (a file, or ``out/<name>.<ext>`` when
    ``out`` is a directory); several formats to ``out/<name>.<ext>`` each, the first person-facing
    one also to stdout. BadInput for several formats without a directory to hold them."""
    if len(formats) == 1:
        fmt = formats[0]
        if out is not None and out.is_dir():
            return [Destination(fmt, out / f"{name}.{extension_of(fmt)}")]
        return [Destination(fmt, out)]
    listed = ", ".join(formats)
    if out is None:
        raise BadInput.at(
            "--out", "", f"several formats ({listed}) need --out DIR: one file per format goes there"
        )
    if out.exists() and not out.is_dir():
        raise BadInput.at("--out", str(out), f"several formats ({listed}) need a directory, not a file")
    chosen = [Destination(fmt, out / f"{name}.{extension_of(fmt)}") for fmt in formats]
    shown = next((fmt for fmt in formats if fmt in PERSON_FORMATS), None)
    return chosen + ([Destination(shown, None)] if shown is not None else [])


def write_outputs(
    formats: Sequence[str], out: Path | None, writers: Mapping[str, FormatWriter], *, name: str = "report"
) -> list[Destination]:
    """Write every format asked for (see :func:`destinations`); each file atomically. Returns where
    each went (files first) so a command can name them."""
    planned = destinations(formats, out, name=name)
    for destination in planned:
        if destination.path is not None:
            destination.path.parent.mkdir(parents=True, exist_ok=True)
        writers[destination.fmt](destination.path)
    return planned


def report_writer(report: Report, fmt: str) -> FormatWriter:
    """A report writer (json, sarif, compact ...) as a :data:`FormatWriter`."""
    from supportops.reports.formats import write_report

    def write(path: Path | None) -> None:
        if path is not None:
            write_report(report, fmt, path)
            return
        with tempfile.TemporaryDirectory(prefix="supportops-") as scratch:
            temporary = Path(scratch) / f"report.{extension_of(fmt)}"
            write_report(report, fmt, temporary)
            write_text(temporary.read_text(encoding="utf-8"), None)

    return write


def report_writers(
    report: Report, formats: Iterable[str], *, table: Callable[[], RenderableType] | None = None
) -> dict[str, FormatWriter]:
    """Writers for ``formats``: ``table`` renders ``table()``; every other one is a report writer."""
    writers: dict[str, FormatWriter] = {}
    for fmt in formats:
        view = table if fmt == "table" else None
        writers[fmt] = _view_writer(view) if view is not None else report_writer(report, fmt)
    return writers


def _view_writer(view: Callable[[], RenderableType]) -> FormatWriter:
    def write(path: Path | None) -> None:
        render(view(), path)

    return write


def announce(written: Sequence[Destination]) -> None:
    """Name the files written (stderr, so stdout stays the report)."""
    from supportops.cli.errors import stderr_console

    for destination in written:
        if destination.path is not None:
            stderr_console().print(f"wrote {escape_controls(str(destination.path))}", markup=False)


def write_run_outputs(
    formats: Sequence[str], bundle: Path | None, writers: Mapping[str, FormatWriter]
) -> list[Destination]:
    """Outputs of a runbook command (access-review, dr, privacy), whose ``--out`` is the old spelling
    of ``--evidence``: one format to stdout; several beside the run's evidence bundle, as
    ``<bundle>.<ext>`` (never inside it: the manifest covers exactly what the run wrote)."""
    if len(formats) == 1:
        return write_outputs(formats, None, writers)
    if bundle is None:
        raise BadInput.at(
            "--format", ",".join(formats), "several formats go beside the evidence bundle: this run has none"
        )
    written = []
    for fmt in formats:
        path = bundle.parent / f"{bundle.name}.{extension_of(fmt)}"
        writers[fmt](path)
        written.append(Destination(fmt, path))
    shown = next((fmt for fmt in formats if fmt in PERSON_FORMATS), None)
    if shown is not None:
        writers[shown](None)
        written.append(Destination(shown, None))
    return written
