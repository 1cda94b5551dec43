"""Option types shared by command groups (one definition, one help text).

The conventions these types carry are written down in docs/cli.md; every command uses them:
``-f/--format`` repeatable and comma-separated, ``-o/--out`` a file for one format and a directory
for several, ``--evidence DIR`` for evidence bundles, ``--check/--skip-check`` (ids or globs),
``--soft-fail``, ``--framework`` repeatable, and input files named by what they hold.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from supportops.cli.paths import repository_root
from supportops.errors import BadInput


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


StackOption = Annotated[
    str,
    typer.Option(
        "--stack", "-s", metavar="NAME", help="Stack name, e.g. demo-foundation (Pulumi.<stack>.yaml)."
    ),
]
ProjectOption = Annotated[
    Path,
    typer.Option(
        "--project",
        metavar="DIR",
        help="Pulumi project directory (holds Pulumi.yaml). Default: this repository.",
        default_factory=repository_root,
        show_default="this repository",
        file_okay=False,
        # Resolved once here: every later use (planning, checkov's secrets scan run from another
        # working directory, evidence records) sees the same absolute path.
        resolve_path=True,
    ),
]
FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", metavar="FORMAT", help="Output format: table or json.")
]
OutFileOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", metavar="PATH", help="Write the output to this file instead of stdout."),
]
EndpointUrlOption = Annotated[
    str | None,
    typer.Option(
        "--endpoint-url",
        metavar="URL",
        help="AWS endpoint (e.g. a local moto server).",
        envvar="AWS_ENDPOINT_URL",
    ),
]
InventoryOutOption = Annotated[
    Path | None,
    typer.Option(
        "--inventory-out",
        metavar="FILE",
        help="Also write the inventory JSON here (whatever --format shows).",
    ),
]

# --- The conventions of docs/cli.md ----------------------------------------------------------------

OUT_HELP = (
    "Where reports go. One format: this file (a directory gets <name>.<ext> inside). "
    "Several formats: this directory, one <name>.<ext> per format. Default: stdout (one format only)."
)


def formats_option(known: Sequence[str], default: str) -> Any:
    """``-f/--format``: repeatable and comma-separated (``-f json,sarif`` = ``-f json -f sarif``)."""
    return typer.Option(
        "--format",
        "-f",
        metavar="FORMAT[,FORMAT]",
        help=f"Output format(s), repeatable or comma-separated: {', '.join(known)}. Default: {default}.",
        show_default=False,
    )


OutOption = Annotated[Path | None, typer.Option("--out", "-o", metavar="PATH", help=OUT_HELP)]
EvidenceOption = Annotated[
    Path | None,
    typer.Option(
        "--evidence",
        metavar="DIR",
        help="Also write an evidence bundle (reports, inputs, manifest) in this directory.",
    ),
]
CheckOption = Annotated[
    list[str] | None,
    typer.Option(
        "--check",
        "-c",
        metavar="ID[,ID]",
        help="Only these checks: ids or shell globs (CKV_AWS_*), repeatable or comma-separated.",
    ),
]
SkipCheckOption = Annotated[
    list[str] | None,
    typer.Option(
        "--skip-check",
        metavar="ID[,ID]",
        help="Leave out these checks: ids or shell globs, repeatable or comma-separated.",
    ),
]
SoftFailOption = Annotated[
    bool,
    typer.Option(
        "--soft-fail",
        help="Exit 0 even when a check fails (bad input and environment failures still exit 2 and 3).",
    ),
]
FrameworkOption = Annotated[
    list[str] | None,
    typer.Option(
        "--framework",
        metavar="ID[,ID]",
        help="Only these frameworks (pci-dss-4.0, gdpr, hipaa-164.312), repeatable or comma-separated.",
    ),
]
InventoryOption = Annotated[
    Path | None,
    typer.Option(
        "--inventory",
        metavar="FILE",
        dir_okay=False,
        help="An inventory JSON written by `supportops plan -f json` (or --inventory-out).",
    ),
]
PreviewFlag = Annotated[
    bool,
    typer.Option(
        "--preview",
        help="Plan as `pulumi preview` sees it: outputs of new resources are unknown.",
    ),
]


def split_values(values: Iterable[str] | None) -> list[str]:
    """Repeated and comma-separated values as one list, in order, without blanks or repeats."""
    items = (part.strip() for value in values or () for part in value.split(","))
    return list(dict.fromkeys(item for item in items if item))


def formats_from(values: Iterable[str] | None, known: Sequence[str], default: str) -> list[str]:
    """The formats asked for (``default`` when none); BadInput naming the unknown ones."""
    chosen = split_values(values) or [default]
    unknown = [fmt for fmt in chosen if fmt not in known]
    if unknown:
        raise BadInput.at("--format", ",".join(unknown), f"unknown format (known: {', '.join(known)})")
    return chosen


class CheckSelection:
    """``--check`` / ``--skip-check``: which check ids a run reports and fails on."""

    def __init__(self, checks: Iterable[str] | None = None, skip: Iterable[str] | None = None) -> None:
        self.checks = split_values(checks)
        self.skip = split_values(skip)

    def __bool__(self) -> bool:
        return bool(self.checks or self.skip)

    def selects(self, check_id: str) -> bool:
        if self.checks and not _matches(check_id, self.checks):
            return False
        return not _matches(check_id, self.skip)


def _matches(check_id: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(check_id, pattern) for pattern in patterns)


# --- Help rendering ---------------------------------------------------------------------------------


def plain_help(command: Any) -> None:
    """Show flags as flags in ``--help``: typer's rich help prints a type placeholder for every
    option (``--debug <bool>``, ``--help <bool>``, ``--role-arn <list[str]>``). A flag gets none and
    a repeatable option its element type; options with an explicit metavar keep it. Walks groups."""
    context = typer.Context(command)
    for param in command.get_params(context):  # includes the (cached) --help option
        if getattr(param, "param_type_name", "") == "argument":
            label = param.display_type(context).strip("<>")
            if label.startswith("list["):  # the type column only; the name column keeps the name
                shown_type = _plain_label(label) + "..."
                param.display_type_rich = lambda ctx, shown=shown_type: shown
            continue
        if getattr(param, "param_type_name", "") != "option":
            continue
        if getattr(param, "is_flag", False) or getattr(param, "count", False):
            param.metavar = ""
        elif param.metavar is None:
            label = param.display_type(context).strip("<>")
            if "|" in label:  # choices: shown as they are typed
                continue
            param.metavar = _plain_label(label) + ("..." if getattr(param, "multiple", False) else "")
    for sub in (getattr(command, "commands", None) or {}).values():
        plain_help(sub)


# --- Runbook commands (access-review, dr, privacy): the bundle directory --------------------------

# Their `--out DIR` was the evidence bundle's directory before docs/cli.md; kept, hidden, as the old
# spelling of --evidence (scripts and runbooks written for it keep working).
OldOutDirOption = Annotated[Path | None, typer.Option("--out", "-o", metavar="DIR", hidden=True)]


def evidence_dir(evidence: Path | None, old_out: Path | None) -> Path | None:
    """``--evidence``, or its old spelling ``--out``; BadInput when both name different folders."""
    if evidence is not None and old_out is not None and evidence != old_out:
        raise BadInput.at(
            "--evidence", str(evidence), "give the evidence folder once (--out is its old spelling)"
        )
    return evidence if evidence is not None else old_out


def _plain_label(label: str) -> str:
    """``list[str]`` -> ``TEXT``, ``path`` -> ``PATH``: the element type as a placeholder word."""
    element = label.removeprefix("list[").removesuffix("]")
    return {"str": "TEXT"}.get(element, element.upper())
