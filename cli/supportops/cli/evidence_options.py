"""Options shared by every command that writes an evidence bundle: ``--sign-key`` and the helper that
opens the signer before the command does any work (a wrong key or a missing permission stops it
first: exit 2 for a bad key reference, 3 when AWS cannot be reached)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from supportops.errors import BadInput

if TYPE_CHECKING:
    from supportops.reports.signing import Signer

SignKeyOption = Annotated[
    str | None,
    typer.Option(
        "--sign-key",
        metavar="KEY",
        help="Sign the evidence manifest: alias/NAME or arn:aws:kms:... (an AWS KMS asymmetric key; the "
        "caller's identity from STS is recorded) or file:PATH (an Ed25519 PEM private key).",
        show_default=False,
    ),
]


def open_bundle_signer(sign_key: str | None, *, writes_evidence: bool = True, needs: str = "--evidence DIR",
                       endpoint_url: str | None = None) -> Signer | None:
    """The ``--sign-key`` signer, opened now (hand it to ``signing_bundles`` where the bundle is written)."""
    if sign_key is None:
        return None
    if not writes_evidence:
        raise BadInput.at("--sign-key", "", f"signs an evidence bundle: give {needs} too")
    from supportops.reports.signing import open_signer, parse_key_ref

    return open_signer(parse_key_ref(sign_key), endpoint_url=endpoint_url)


@contextlib.contextmanager
def evidence_signing(sign_key: str | None, *, writes_evidence: bool = True, evidence_dir: Path | None = None,
                     endpoint_url: str | None = None) -> Iterator[None]:
    """Check ``evidence_dir`` can take a bundle (before any work), open the ``--sign-key`` signer, and
    sign every bundle written inside the block."""
    if evidence_dir is not None:
        from supportops.reports.evidence import check_bundle_dir

        check_bundle_dir(evidence_dir)
    signer = open_bundle_signer(sign_key, writes_evidence=writes_evidence, endpoint_url=endpoint_url)
    if signer is None:
        yield
        return
    from supportops.reports.evidence import signing_bundles

    with signing_bundles(signer):
        yield
