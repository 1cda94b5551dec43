"""Keys for the signing tests: Ed25519 PEM files, and a moto server with asymmetric KMS keys."""

from __future__ import annotations

import logging
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from supportops.runbooks.local_aws import local_aws_endpoint

REGION = "us-east-1"


def ed25519_key(folder: Path, name: str = "signer") -> tuple[Path, Path]:
    """A fresh Ed25519 private key file and its public key file (PEM)."""
    key = Ed25519PrivateKey.generate()
    private = folder / f"{name}.pem"
    public = folder / f"{name}.pub.pem"
    private.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    public.write_bytes(key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo))
    return private, public


@dataclass(frozen=True)
class KmsKeys:
    url: str
    ecc_arn: str
    rsa_arn: str
    encrypt_arn: str  # a symmetric key: not for signing
    caller_arn: str


@pytest.fixture(scope="module")
def moto_server() -> Iterator[str]:
    """moto's server on loopback, one per test module (starting one costs about a second)."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with local_aws_endpoint() as url:
        yield url


@pytest.fixture
def moto_url(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The server emptied for this test, with the environment pointing boto3 at it."""
    urllib.request.urlopen(
        urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST"), timeout=10
    ).close()
    for name, value in {"AWS_ENDPOINT_URL": moto_server, "AWS_ACCESS_KEY_ID": "testing",
                        "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    return moto_server


@pytest.fixture
def kms_keys(moto_url: str) -> KmsKeys:
    kms = boto3.client("kms", region_name=REGION, endpoint_url=moto_url)
    ecc = kms.create_key(KeyUsage="SIGN_VERIFY", KeySpec="ECC_NIST_P256")["KeyMetadata"]["Arn"]
    rsa = kms.create_key(KeyUsage="SIGN_VERIFY", KeySpec="RSA_2048")["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName="alias/evidence", TargetKeyId=ecc)
    symmetric = kms.create_key()["KeyMetadata"]["Arn"]
    caller = boto3.client("sts", region_name=REGION, endpoint_url=moto_url).get_caller_identity()["Arn"]
    return KmsKeys(moto_url, ecc, rsa, symmetric, caller)
