"""``supportops evidence``: Verify evidence bundles (files and signature)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from supportops.cli.commands import evidence_collect
from supportops.cli.options import EndpointUrlOption, FormatOption, OutputFormat
from supportops.cli.output import write_json, write_text
from supportops.errors import EXIT_FINDINGS, EXIT_OK, BadInput
from supportops.reports.evidence import SIGNATURE_NAME, VerifyResult, verify_bundle
from supportops.reports.signing import Pinning, load_public_key
from supportops.reports.terminal import escape_controls, safe_error_lines

app = typer.Typer(help="Verify evidence bundles.", no_args_is_help=True)
# `evidence collect ...`: evidence pulled from AWS (vulnerability-scan), in its own module.
app.add_typer(evidence_collect.app, name="collect")

BundleArgument = Annotated[
    Path, typer.Argument(help="The evidence bundle directory (holds manifest.json).", show_default=False)
]
ManifestDigestOption = Annotated[
    str | None,
    typer.Option(
        "--manifest-sha256",
        metavar="HEX",
        help="The manifest's SHA-256 as recorded when the bundle was filed; a different manifest fails.",
    ),
]
PublicKeyOption = Annotated[
    Path | None,
    typer.Option(
        "--public-key",
        metavar="FILE",
        help="PEM public key the signature must verify with (pins the signer; needs a signed bundle).",
        show_default=False,
    ),
]
ExpectSignerOption = Annotated[
    str | None,
    typer.Option(
        "--expect-signer",
        metavar="ID",
        help="The signer the bundle must name: a KMS key ARN, the caller ARN recorded with a KMS "
        "signature, or an Ed25519 key fingerprint sha256:HEX (needs a signed bundle).",
        show_default=False,
    ),
]
RequireSignatureOption = Annotated[
    bool, typer.Option("--require-signature", help="Fail when the bundle is not signed.")
]


@app.command("verify")
def verify(
    bundle: BundleArgument,
    fmt: FormatOption = OutputFormat.TABLE,
    manifest_sha256: ManifestDigestOption = None,
    public_key: PublicKeyOption = None,
    expect_signer: ExpectSignerOption = None,
    require_signature: RequireSignatureOption = False,
    endpoint_url: EndpointUrlOption = None,
) -> None:
    """Check every file of an evidence bundle against its manifest, and the manifest's signature.

    Exit 0 when intact (and validly signed, if signed); 1 when a file was edited, added or is
    missing, the manifest is not the one recorded, or the signature fails; 2 when the bundle has no
    manifest or a malformed one; 3 when AWS KMS could not be asked (a KMS signature is verified with
    kms:Verify unless --public-key is given).
    """
    if manifest_sha256 is not None and not re.fullmatch(r"[0-9a-fA-F]{64}", manifest_sha256.strip()):
        raise BadInput.at("--manifest-sha256", "", "expected 64 hexadecimal characters")
    with safe_error_lines():
        pinning = Pinning(
            public_key_der=load_public_key(public_key) if public_key is not None else None,
            expect_signer=expect_signer,
            endpoint_url=endpoint_url,
        )
        result = verify_bundle(bundle, manifest_sha256, pinning=pinning, require_signature=require_signature)
    if fmt is OutputFormat.JSON:
        write_json(result.to_json(), None)
    else:
        write_text(describe(result), None)
    raise typer.Exit(EXIT_OK if result.ok else EXIT_FINDINGS)


def describe(result: VerifyResult) -> str:
    """The verification result for a person: a verdict line, then one line per changed file, then
    who signed."""
    lines = []
    check = result.signature
    if result.ok:
        lines.append(f"INTACT: {result.bundle}: all {result.checked} files match the manifest"
                     + ("" if check is None else ", and the signature is valid"))
    elif result.files_ok:
        reason = check.reason if check is not None else "the bundle is not signed"
        lines.append(f"SIGNATURE FAILED: {result.bundle}: {reason}")
    else:
        changed = len(result.edited) + len(result.added) + len(result.missing)
        lines.append(f"MODIFIED: {result.bundle}: {changed} file(s) differ from the manifest"
                     + ("; the manifest is not the recorded one" if result.manifest_mismatch else ""))
        lines += [f"  edited   {path}" for path in result.edited]
        lines += [f"  added    {path}" for path in result.added]
        lines += [f"  missing  {path}" for path in result.missing]
        if check is not None and not check.valid:
            lines.append(f"  signature failed: {check.reason}")
    manifest = result.manifest
    if manifest is not None:
        lines.append(f"manifest sha256 {result.manifest_sha256}")
        lines.append(f"created {manifest.createdAt} by {manifest.operator} with supportops "
                     f"{manifest.tool.version} (commit {manifest.tool.gitCommit or 'unknown'}"
                     + (", with uncommitted changes" if manifest.tool.gitDirty else "") + ")")
    lines += _signer_lines(result)
    # File names, the operator and the signer come from the bundle: nothing may drive the terminal.
    return escape_controls("\n".join(lines)) + "\n"


def _signer_lines(result: VerifyResult) -> list[str]:
    check = result.signature
    if check is None:
        return [f"not signed (no {SIGNATURE_NAME})"]
    record = check.record
    if record is None or not check.valid:
        return []
    if record.key_type == "aws-kms":
        who = (f"manifest signed by {record.signer} (account {record.signer_account}, from "
               f"sts:GetCallerIdentity) with AWS KMS key {record.key_id} ({record.algorithm})")
    else:
        who = f"manifest signed with Ed25519 key {record.key_id}"
    proof = "identity proven" if check.identity_proven else "integrity only, identity NOT proven"
    return [who, f"{proof}: {check.reason}"]
