"""Signatures over evidence: an AWS KMS asymmetric key or a local Ed25519 key signs exact bytes (an
evidence manifest, which hashes every file of its bundle; or an access-review sign-off statement).

What is signed: Ed25519 signs the payload bytes themselves; KMS signs their SHA-256 digest
(``kms:Sign`` with ``MessageType=DIGEST``), so the payload never leaves the machine. The envelope
records the algorithm, the key id, the public key (DER, base64) and its SHA-256 fingerprint, and the
signer: the caller's ARN from ``sts:GetCallerIdentity`` for KMS, the key's fingerprint for Ed25519
(a file key has no identity beyond itself).

What verification proves: a KMS signature is checked by AWS (``kms:Verify``), so it proves the named
key signed (and whoever may use that key). An Ed25519 signature checked with the public key the
envelope carries proves only that the bytes are unchanged since *some* key signed them: identity needs
the key pinned (``--public-key`` or ``--expect-signer sha256:...``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import Field

from supportops.errors import BadInput, EnvironmentFailure
from supportops.loading import bounded
from supportops.models import CamelInputModel

ENVELOPE_SCHEMA = "supportops.signature/v1"
KeyType = Literal["aws-kms", "ed25519"]
ED25519 = "ED25519"
# KMS key specs whose algorithms sign a SHA-256 digest, and the algorithm we choose for each.
KMS_ALGORITHMS: dict[str, str] = {
    "ECC_NIST_P256": "ECDSA_SHA_256",
    "RSA_2048": "RSASSA_PSS_SHA_256",
    "RSA_3072": "RSASSA_PSS_SHA_256",
    "RSA_4096": "RSASSA_PSS_SHA_256",
}
MAX_KEY_FILE = 16 * 1024

KmsClientFactory = Callable[[str | None], Any]  # region -> a boto3 KMS client


@dataclass(frozen=True)
class KeyRef:
    """A ``--sign-key`` value: an AWS KMS key (alias or ARN) or an Ed25519 PEM file."""

    kind: KeyType
    value: str  # alias/NAME or the key/alias ARN; the file's path

    @property
    def region(self) -> str | None:
        return (self.value.split(":")[3] or None) if self.value.startswith("arn:") else None


def parse_key_ref(text: str, option: str = "--sign-key") -> KeyRef:
    """``alias/NAME``, ``arn:aws:kms:REGION:ACCOUNT:key/ID`` (or ``:alias/NAME``) or ``file:PATH``."""
    value = text.strip()
    if value.startswith("file:") and len(value) > len("file:"):
        return KeyRef("ed25519", value[len("file:"):])
    if value.startswith("alias/") and len(value) > len("alias/"):
        return KeyRef("aws-kms", value)
    parts = value.split(":")
    if (len(parts) == 6 and parts[0] == "arn" and parts[2] == "kms" and parts[3] and parts[4].isdigit()
            and parts[5].startswith(("key/", "alias/"))):
        return KeyRef("aws-kms", value)
    raise BadInput.at(option, bounded(text), "expected alias/NAME or arn:aws:kms:REGION:ACCOUNT:key/ID "
                                             "(an AWS KMS asymmetric key) or file:PATH (an Ed25519 PEM key)")


class SignerRecord(CamelInputModel):
    """Who signed with which key: written into the signed bytes (the manifest) and the envelope."""

    key_type: KeyType
    key_id: str  # the KMS key ARN; ``sha256:<fingerprint>`` for Ed25519
    algorithm: str
    public_key_sha256: str
    signer: str  # the caller's ARN (KMS, from STS); the key fingerprint (Ed25519)
    signer_account: str | None = None
    identity_source: Literal["sts:GetCallerIdentity", "key"]


class Envelope(CamelInputModel):
    """A signature file: the record, the public key and the signature over ``payloadSha256``'s bytes."""

    schema_: Literal["supportops.signature/v1"] = Field(alias="schema")
    signs: str  # what the payload is (``manifest.json``, a sign-off statement)
    payload_sha256: str
    signed_at: str
    record: SignerRecord
    public_key: str  # DER SubjectPublicKeyInfo, base64
    signature: str  # base64

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True)


class Signer(Protocol):
    record: SignerRecord
    public_key_der: bytes

    def sign(self, payload: bytes) -> bytes: ...


def fingerprint(public_key_der: bytes) -> str:
    return hashlib.sha256(public_key_der).hexdigest()


def sign_payload(signer: Signer, payload: bytes, signs: str) -> Envelope:
    return Envelope.model_validate({
        "schema": ENVELOPE_SCHEMA,
        "signs": signs,
        "payloadSha256": hashlib.sha256(payload).hexdigest(),
        "signedAt": datetime.now(UTC).isoformat(timespec="seconds"),
        "record": signer.record.model_dump(by_alias=True),
        "publicKey": base64.b64encode(signer.public_key_der).decode("ascii"),
        "signature": base64.b64encode(signer.sign(payload)).decode("ascii"),
    })


# ------------------------------------------------------------------------------------------ Ed25519


class Ed25519Signer:
    def __init__(self, path: Path, option: str = "--sign-key") -> None:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        where = f"{option} file:{path}"
        try:
            if path.stat().st_size > MAX_KEY_FILE:
                raise BadInput.at(where, "", "not a PEM key file (too large)")
            data = path.read_bytes()
        except OSError as exc:
            raise BadInput.at(where, "", f"cannot read the key file: {exc.strerror or exc}") from None
        try:
            key = load_pem_private_key(data, password=None)
        except TypeError:
            raise BadInput.at(where, "", "the key is encrypted: give an unencrypted PKCS#8 PEM key "
                                         "(keep the file readable by you only)") from None
        except ValueError:
            raise BadInput.at(where, "", "not a PEM private key") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise BadInput.at(where, "", "not an Ed25519 key (generate one with: "
                                         "openssl genpkey -algorithm ed25519)")
        self._key = key
        self.public_key_der = _spki(key.public_key())
        digest = fingerprint(self.public_key_der)
        self.record = SignerRecord(
            key_type="ed25519", key_id=f"sha256:{digest}", algorithm=ED25519, public_key_sha256=digest,
            signer=f"sha256:{digest}", identity_source="key",
        )

    def sign(self, payload: bytes) -> bytes:
        return self._key.sign(payload)


def _spki(public_key: Any) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    der: bytes = public_key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return der


def load_public_key(path: Path, option: str = "--public-key") -> bytes:
    """A PEM public key (or the public half of a PEM private key) as DER SubjectPublicKeyInfo."""
    from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key

    try:
        data = path.read_bytes()[: MAX_KEY_FILE + 1]
    except OSError as exc:
        raise BadInput.at(option, str(path), f"cannot read the key file: {exc.strerror or exc}") from None
    try:
        return _spki(load_pem_public_key(data))
    except ValueError:
        pass
    try:
        return _spki(load_pem_private_key(data, password=None).public_key())
    except (TypeError, ValueError):
        raise BadInput.at(option, str(path), "not a PEM public key") from None


# ------------------------------------------------------------------------------------------ AWS KMS


def kms_clients(endpoint_url: str | None = None) -> tuple[KmsClientFactory, Callable[[], Any]]:
    """Factories for KMS (per region) and STS clients; the endpoint also comes from AWS_ENDPOINT_URL."""
    import boto3
    from botocore.config import Config

    config = Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"})
    session = boto3.session.Session()  # one session: the service models are loaded once

    def kms(region: str | None) -> Any:
        return session.client("kms", region_name=region, endpoint_url=endpoint_url, config=config)

    def sts() -> Any:
        return session.client("sts", endpoint_url=endpoint_url, config=config)

    return kms, sts


def _aws_failure(action: str, exc: BaseException) -> EnvironmentFailure:
    from botocore.exceptions import ClientError

    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        text = f"{error.get('Code', 'Error')}: {error.get('Message', '')}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return EnvironmentFailure(f"{action}: {bounded(text, 300)}")


def _error_code(exc: BaseException) -> str:
    from botocore.exceptions import ClientError

    return str(exc.response.get("Error", {}).get("Code", "")) if isinstance(exc, ClientError) else ""


class KmsSigner:
    """Signs with ``kms:Sign`` (``MessageType=DIGEST``); the key and the caller are resolved first, so a
    wrong key or missing permission stops the command before it does any work."""

    def __init__(self, ref: KeyRef, endpoint_url: str | None = None, option: str = "--sign-key") -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        kms_for, sts_for = kms_clients(endpoint_url)
        self._kms = kms_for(ref.region)
        try:
            caller = sts_for().get_caller_identity()
            meta = self._kms.describe_key(KeyId=ref.value)["KeyMetadata"]
        except ClientError as exc:
            if _error_code(exc) in ("NotFoundException", "InvalidArnException"):
                raise BadInput.at(option, ref.value, "no such AWS KMS key") from None
            raise _aws_failure(f"{option} {ref.value}", exc) from None
        except BotoCoreError as exc:
            raise _aws_failure(f"{option} {ref.value}", exc) from None
        spec = meta.get("KeySpec") or meta.get("CustomerMasterKeySpec", "")
        if meta.get("KeyUsage") != "SIGN_VERIFY" or spec not in KMS_ALGORITHMS:
            raise BadInput.at(option, ref.value, f"not an asymmetric signing key of a supported spec "
                                                 f"({', '.join(KMS_ALGORITHMS)}); it is "
                                                 f"{meta.get('KeyUsage')} {spec}")
        if meta.get("KeyState", "Enabled") != "Enabled":
            raise BadInput.at(option, ref.value, f"the key is {meta.get('KeyState')}")
        self._key_arn = str(meta["Arn"])
        try:
            self.public_key_der = bytes(self._kms.get_public_key(KeyId=self._key_arn)["PublicKey"])
        except (ClientError, BotoCoreError) as exc:
            raise _aws_failure(f"{option} {ref.value}: kms:GetPublicKey", exc) from None
        self.record = SignerRecord(
            key_type="aws-kms", key_id=self._key_arn, algorithm=KMS_ALGORITHMS[spec],
            public_key_sha256=fingerprint(self.public_key_der), signer=str(caller["Arn"]),
            signer_account=str(caller["Account"]), identity_source="sts:GetCallerIdentity",
        )

    def sign(self, payload: bytes) -> bytes:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            response = self._kms.sign(
                KeyId=self._key_arn, Message=hashlib.sha256(payload).digest(), MessageType="DIGEST",
                SigningAlgorithm=self.record.algorithm,
            )
        except (ClientError, BotoCoreError) as exc:
            raise _aws_failure(f"kms:Sign with {self._key_arn}", exc) from None
        return bytes(response["Signature"])


def open_signer(ref: KeyRef, *, endpoint_url: str | None = None, option: str = "--sign-key") -> Signer:
    if ref.kind == "ed25519":
        return Ed25519Signer(Path(ref.value), option)
    return KmsSigner(ref, endpoint_url, option)


# ------------------------------------------------------------------------------------------- verify


@dataclass(frozen=True)
class Pinning:
    """What the verifier trusts beyond the envelope: a public key file, an expected signer, an endpoint."""

    public_key_der: bytes | None = None
    expect_signer: str | None = None
    endpoint_url: str | None = None


@dataclass(frozen=True)
class SignatureCheck:
    """The verdict on one envelope; ``reason`` is one line (why it failed, or what was proven)."""

    valid: bool
    reason: str
    record: SignerRecord | None = None
    identity_proven: bool = False

    def to_json(self) -> dict[str, Any]:
        record = self.record
        return {
            "valid": self.valid,
            "reason": self.reason,
            "identityProven": self.identity_proven,
            "keyType": record.key_type if record else None,
            "keyId": record.key_id if record else None,
            "algorithm": record.algorithm if record else None,
            "signer": record.signer if record else None,
            "signerAccount": record.signer_account if record else None,
        }


def invalid(reason: str, record: SignerRecord | None = None) -> SignatureCheck:
    return SignatureCheck(False, reason, record)


def verify_envelope(envelope: Envelope, payload: bytes, pinning: Pinning,
                    kms_for: KmsClientFactory | None = None) -> SignatureCheck:
    """Check ``envelope`` against ``payload``: the digest, the key fingerprint, the pinned key or
    signer, then the signature itself (locally, or by ``kms:Verify`` for a KMS key without a pinned
    public key). An AWS failure raises :class:`EnvironmentFailure`: it is never a verdict."""
    record = envelope.record
    if envelope.payload_sha256 != hashlib.sha256(payload).hexdigest():
        return invalid(f"{envelope.signs} changed after it was signed (its SHA-256 differs)", record)
    try:
        public_der = base64.b64decode(envelope.public_key, validate=True)
        signature = base64.b64decode(envelope.signature, validate=True)
    except (binascii.Error, ValueError):
        return invalid("the signature or public key is not base64", record)
    if fingerprint(public_der) != record.public_key_sha256:
        return invalid("the public key does not match its recorded fingerprint", record)
    if record.key_type == "ed25519" and record.key_id != f"sha256:{record.public_key_sha256}":
        return invalid("the Ed25519 key id is not its fingerprint", record)
    pinned = pinning.public_key_der
    if pinned is not None and fingerprint(pinned) != record.public_key_sha256:
        return invalid(f"signed by key sha256:{record.public_key_sha256[:16]}…, not by the key given "
                       f"(sha256:{fingerprint(pinned)[:16]}…)", record)
    expected = pinning.expect_signer
    if expected is not None and expected.strip() not in _names(record):
        return invalid(f"signed by {record.signer} with {record.key_id}, not by {bounded(expected)}",
                       record)
    if record.key_type == "aws-kms" and pinned is None:
        return _verify_with_kms(envelope, payload, signature, kms_for or kms_clients(pinning.endpoint_url)[0])
    if not _verify_locally(pinned or public_der, record.algorithm, payload, signature):
        return invalid("the signature does not match (wrong key, or the bytes or signature were edited)",
                       record)
    if pinned is not None or expected is not None:
        return SignatureCheck(True, f"signed by the pinned key {record.key_id}", record, True)
    return SignatureCheck(
        True, "signature valid for the public key carried in the bundle: this proves integrity, not "
              "identity (pin the key with --public-key or --expect-signer)", record, False)


def _names(record: SignerRecord) -> set[str]:
    """What ``--expect-signer`` may name: the key (id, fingerprint) or, for KMS, the recorded caller."""
    names = {record.key_id, record.public_key_sha256, f"sha256:{record.public_key_sha256}"}
    if record.key_type == "aws-kms":
        names.add(record.signer)
    return names


def _verify_with_kms(envelope: Envelope, payload: bytes, signature: bytes,
                     kms_for: KmsClientFactory) -> SignatureCheck:
    from botocore.exceptions import BotoCoreError, ClientError

    record = envelope.record
    kms = kms_for(record.key_id.split(":")[3] or None)
    try:
        response = kms.verify(
            KeyId=record.key_id, Message=hashlib.sha256(payload).digest(), MessageType="DIGEST",
            Signature=signature, SigningAlgorithm=record.algorithm,
        )
    except ClientError as exc:
        if _error_code(exc) == "KMSInvalidSignatureException":
            return invalid(f"AWS KMS says the signature does not match key {record.key_id}", record)
        raise _aws_failure(f"kms:Verify with {record.key_id}", exc) from None
    except BotoCoreError as exc:
        raise _aws_failure(f"kms:Verify with {record.key_id}", exc) from None
    if not response.get("SignatureValid"):
        return invalid(f"AWS KMS says the signature does not match key {record.key_id}", record)
    return SignatureCheck(True, f"AWS KMS verified the signature of key {record.key_id}", record, True)


def _verify_locally(public_der: bytes, algorithm: str, payload: bytes, signature: bytes) -> bool:
    """Ed25519 over the payload; the KMS algorithms over its SHA-256 digest, as KMS signs a DIGEST."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    try:
        key = load_der_public_key(public_der)
    except ValueError:
        return False
    digest = hashlib.sha256(payload).digest()
    try:
        if algorithm == ED25519 and isinstance(key, Ed25519PublicKey):
            key.verify(signature, payload)
        elif algorithm == "ECDSA_SHA_256" and isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, digest, ec.ECDSA(Prehashed(hashes.SHA256())))
        elif algorithm == "RSASSA_PSS_SHA_256" and isinstance(key, rsa.RSAPublicKey):
            pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
            key.verify(signature, digest, pss, Prehashed(hashes.SHA256()))
        elif algorithm == "RSASSA_PKCS1_V1_5_SHA_256" and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, digest, padding.PKCS1v15(), Prehashed(hashes.SHA256()))
        else:
            return False
    except InvalidSignature:
        return False
    return True
