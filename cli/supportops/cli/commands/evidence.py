"""``supportops evidence``: Verify evidence bundles."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from supportops.cli.options import FormatOption, OutputFormat
from supportops.cli.output import write_json, write_text
from supportops.errors import EXIT_FINDINGS, EXIT_OK, BadInput
from supportops.reports.evidence import VerifyResult, verify_bundle
from supportops.reports.terminal import escape_controls, safe_error_lines

app = typer.Typer(help="Verify evidence bundles.", no_args_is_help=True)

BundleArgument = Annotated[
    Path, typer.Argument(help="The evidence bundle directory (holds manifest.json).", show_default=False)
]
ManifestDigestOption = Annotated[
    str | None,
    typer.Option(
        "--manifest-sha256",
        help="The manifest's SHA-256 as recorded when the bundle was filed; a different manifest fails.",
    ),
]


@app.command("verify")
def verify(
    bundle: BundleArgument,
    fmt: FormatOption = OutputFormat.TABLE,
    manifest_sha256: ManifestDigestOption = None,
) -> None:
    """Check every file of an evidence bundle against its manifest.

    Exit 0 when intact; 1 when a file was edited, added or is missing (or the manifest is not the
    one recorded); 2 when the bundle has no manifest or a malformed one.
    """
    if manifest_sha256 is not None and not re.fullmatch(r"[0-9a-fA-F]{64}", manifest_sha256.strip()):
        raise BadInput.at("--manifest-sha256", "", "expected 64 hexadecimal characters")
    with safe_error_lines():
        result = verify_bundle(bundle, manifest_sha256)
    if fmt is OutputFormat.JSON:
        write_json(result.to_json(), None)
    else:
        write_text(describe(result), None)
    raise typer.Exit(EXIT_OK if result.ok else EXIT_FINDINGS)


def describe(result: VerifyResult) -> str:
    """The verification result for a person: a verdict line, then one line per changed file."""
    lines = []
    if result.ok:
        lines.append(f"INTACT: {result.bundle}: all {result.checked} files match the manifest")
    else:
        changed = len(result.edited) + len(result.added) + len(result.missing)
        lines.append(f"MODIFIED: {result.bundle}: {changed} file(s) differ from the manifest"
                     + ("; the manifest is not the recorded one" if result.manifest_mismatch else ""))
        lines += [f"  edited   {path}" for path in result.edited]
        lines += [f"  added    {path}" for path in result.added]
        lines += [f"  missing  {path}" for path in result.missing]
    manifest = result.manifest
    if manifest is not None:
        lines.append(f"manifest sha256 {result.manifest_sha256}")
        lines.append(f"created {manifest.createdAt} by {manifest.operator} with supportops "
                     f"{manifest.tool.version} (commit {manifest.tool.gitCommit or 'unknown'}"
                     + (", with uncommitted changes" if manifest.tool.gitDirty else "") + ")")
    # File names and the operator come from the bundle: nothing in them may drive the terminal.
    return escape_controls("\n".join(lines)) + "\n"
