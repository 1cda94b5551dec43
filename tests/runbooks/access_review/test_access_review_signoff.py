"""Reviewer sign-off signed with a key: the statement names the review bundle's manifest hash, the
reviewer's identity (STS caller for KMS, key fingerprint for Ed25519) and the time; apply checks the
signature. A free-text name alone is recorded as an unverified name."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml
from access_review_helpers import RUNBOOK, decide, local_factory, reset_moto, review, seed_extra
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.errors import BadInput
from supportops.reports.signing import open_signer, parse_key_ref
from supportops.runbooks.access_review.apply import apply_campaign
from supportops.runbooks.access_review.demo import seed_demo
from supportops.runbooks.access_review.signing import (
    seal,
    sign_campaign,
    signature_path,
    statement_bytes,
    verify_signed,
)
from supportops.runbooks.local_aws import local_aws_endpoint

DECISIONS = {"bob": ("modify", "delete-login-profile", "uses SSO"), "contractor-1": ("revoke", "", "ended"),
             "break-glass-admin": ("keep", "", "sealed, ticket INC-42")}


def _key(path: Path) -> Path:
    path.write_bytes(Ed25519PrivateKey.generate().private_bytes(Encoding.PEM, PrivateFormat.PKCS8,
                                                                 NoEncryption()))
    return path


@pytest.fixture(scope="module")
def decided(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """One seeded moto server and one decided review for the module; each test signs its own copy."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    folder = tmp_path_factory.mktemp("decided")
    runbook = folder / "review.yaml"
    runbook.write_text(yaml.safe_dump(RUNBOOK, sort_keys=False), encoding="utf-8")
    with local_aws_endpoint() as url:
        reset_moto(url)
        seed_demo(url)
        seed_extra(url)
        decide(review(url, runbook, folder / "review"), DECISIONS)
        yield url, folder


@pytest.fixture
def seeded(decided: tuple[str, Path]) -> dict[str, str]:
    return {"url": decided[0]}


@pytest.fixture
def campaign(decided: tuple[str, Path], tmp_path: Path) -> Path:
    shutil.copytree(decided[1], tmp_path / "copy")
    return tmp_path / "copy" / "review" / "campaign.csv"


def _statement(campaign: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(signature_path(campaign).read_text(encoding="utf-8"))
    return document


def test_a_free_text_name_is_an_unverified_name(campaign: Path) -> None:
    sign_campaign(campaign, "Dana Auditor")
    statement = _statement(campaign)
    assert statement["reviewerIdentity"] == {"name": "Dana Auditor", "verified": False,
                                             "source": "unverified name"}
    assert "signature" not in statement
    manifest = campaign.parent / "manifest.json"
    assert statement["bundleManifestSha256"] == hashlib.sha256(manifest.read_bytes()).hexdigest()
    assert verify_signed(campaign).signature.reviewer_label == "Dana Auditor (unverified name)"


def test_an_ed25519_sign_off_names_the_key_and_apply_checks_it(
    campaign: Path, seeded: dict[str, str], tmp_path: Path,
) -> None:
    key = _key(tmp_path / "dana.pem")
    result = CliRunner().invoke(create_app(), ["access-review", "sign", str(campaign), "--reviewer",
                                               "Dana Auditor", "--sign-key", f"file:{key}", "-f", "json"])
    assert result.exit_code == 0, result.output
    fingerprint = open_signer(parse_key_ref(f"file:{key}")).record.signer
    assert json.loads(result.stdout)["reviewer"] == f"Dana Auditor ({fingerprint}, from key)"
    statement = _statement(campaign)
    assert statement["reviewerIdentity"] == {"name": "Dana Auditor", "verified": True,
                                             "identity": fingerprint, "source": "key"}
    envelope = statement["signature"]
    fields = {k: v for k, v in statement.items() if k not in ("sealSha256", "signature")}
    assert envelope["payloadSha256"] == hashlib.sha256(statement_bytes(fields)).hexdigest()
    assert envelope["signs"] == "access-review sign-off statement"
    verified = apply_campaign(campaign, local_factory(seeded["url"]), execute=False,
                              out_dir=tmp_path / "dry")
    assert verified.counts.get("would-change", 0) > 0 and not verified.failed


def test_an_edited_identity_resealed_by_a_forger_is_refused(campaign: Path, tmp_path: Path) -> None:
    sign_campaign(campaign, "Dana Auditor", open_signer(parse_key_ref(f"file:{_key(tmp_path / 'k.pem')}")))
    statement = _statement(campaign)
    statement["reviewerIdentity"]["identity"] = "sha256:" + "0" * 64
    statement["reviewer"] = "Someone Else"
    fields = {k: v for k, v in statement.items() if k not in ("sealSha256", "signature")}
    statement["sealSha256"] = seal(fields)  # the seal is recomputable; the signature is not
    signature_path(campaign).write_text(json.dumps(statement), encoding="utf-8")
    with pytest.raises(BadInput, match="reviewerIdentity: the reviewer identity differs from the signer"):
        verify_signed(campaign)
    statement["reviewerIdentity"]["identity"] = statement["signature"]["record"]["signer"]
    statement["sealSha256"] = seal({k: v for k, v in statement.items()
                                    if k not in ("sealSha256", "signature")})
    signature_path(campaign).write_text(json.dumps(statement), encoding="utf-8")
    changed = "signature: access-review sign-off statement changed after it was signed"
    with pytest.raises(BadInput, match=changed):
        verify_signed(campaign)


def test_dropping_the_signature_of_a_verified_reviewer_is_refused(campaign: Path, tmp_path: Path) -> None:
    sign_campaign(campaign, "Dana Auditor", open_signer(parse_key_ref(f"file:{_key(tmp_path / 'k.pem')}")))
    statement = _statement(campaign)
    del statement["signature"]
    signature_path(campaign).write_text(json.dumps(statement), encoding="utf-8")
    with pytest.raises(BadInput, match="marked verified but the statement is not signed"):
        verify_signed(campaign)


def test_a_changed_review_manifest_is_refused(campaign: Path) -> None:
    sign_campaign(campaign, "Dana Auditor")
    manifest = campaign.parent / "manifest.json"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"operator": "', '"operator": "x'),
                        encoding="utf-8")
    with pytest.raises(BadInput, match="bundleManifestSha256: the review bundle's manifest changed"):
        verify_signed(campaign)


def test_a_kms_sign_off_records_the_sts_caller_and_kms_verifies_it(
    campaign: Path, seeded: dict[str, str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = seeded["url"]
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    kms = boto3.client("kms", region_name="us-east-1", endpoint_url=url)
    key = kms.create_key(KeyUsage="SIGN_VERIFY", KeySpec="ECC_NIST_P256")["KeyMetadata"]["Arn"]
    caller = boto3.client("sts", region_name="us-east-1", endpoint_url=url).get_caller_identity()["Arn"]
    sign_campaign(campaign, "Dana Auditor", open_signer(parse_key_ref(key), endpoint_url=url))
    statement = _statement(campaign)
    assert statement["reviewerIdentity"] == {"name": "Dana Auditor", "verified": True, "identity": caller,
                                             "source": "sts:GetCallerIdentity"}
    assert statement["signature"]["record"]["keyId"] == key
    label = verify_signed(campaign, endpoint_url=url).signature.reviewer_label
    assert label == f"Dana Auditor ({caller}, from sts:GetCallerIdentity)"


def test_a_review_into_a_directory_with_other_files_is_refused_before_writing(
    decided: tuple[str, Path], tmp_path: Path,
) -> None:
    """The same evidence-directory rule as every command: nothing is written next to someone's file."""
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(BadInput, match=r"not part of an evidence bundle \(notes.txt\)"):
        review(decided[0], decided[1] / "review.yaml", out)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_apply_can_pin_the_signer(campaign: Path, tmp_path: Path) -> None:
    """An Ed25519 sign-off proves who signed only against a key the applier expects: a forger who
    re-signs with their own key passes the seal and the signature, not the pinned signer."""
    dana = open_signer(parse_key_ref(f"file:{_key(tmp_path / 'dana.pem')}"))
    sign_campaign(campaign, "Dana Auditor", dana)
    assert verify_signed(campaign, expect_signer=dana.record.signer).signature.reviewer == "Dana Auditor"
    sign_campaign(campaign, "Dana Auditor", open_signer(parse_key_ref(f"file:{_key(tmp_path / 'm.pem')}")))
    verify_signed(campaign)  # a valid signature by some key
    with pytest.raises(BadInput, match=r"signature: signed by sha256:\w+ with sha256:\w+, not by"):
        verify_signed(campaign, expect_signer=dana.record.signer)
    sign_campaign(campaign, "Dana Auditor")
    with pytest.raises(BadInput, match="not signed with a key, but a signer is expected"):
        verify_signed(campaign, expect_signer=dana.record.signer)
