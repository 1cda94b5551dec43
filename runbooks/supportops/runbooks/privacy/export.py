"""Art. 15 access: the subject's data as a JSON archive, envelope-encrypted under a KMS key the
operator names (KMS GenerateDataKey, then AES-256-GCM locally; only the wrapped data key is kept).
The plaintext never touches the disk."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from supportops.atomic import atomic_binary
from supportops.runbooks.privacy.clients import AwsFailure, Clients
from supportops.runbooks.privacy.lake import is_subjects, read_records
from supportops.runbooks.privacy.request import RequestResult, State
from supportops.runbooks.privacy.schema import IdKind
from supportops.runbooks.privacy.search import Hit, failure_message, read_object
from supportops.runbooks.privacy.subject import Identifier

EXPORT_SCHEMA = "supportops.privacy-export/v1"


def archive(result: RequestResult, identifiers: Sequence[Identifier], clients: Clients) -> dict[str, Any]:
    stores: dict[str, list[Any]] = {}
    for outcome in result.stores:
        if outcome.state not in (State.FOUND, State.HELD) or not outcome.hits:
            continue
        records: list[Any] = []
        for hit in outcome.hits:
            if hit.content is not None:
                records.append(hit.content)
            elif outcome.target.store.lake is not None and hit.current:
                # A lake object holds other people's records too: only the subject's are exported.
                records += subject_records(hit, outcome.target.store.lake.record_fields, clients)
            elif hit.bucket_object is not None and hit.current:
                records.append(read_object(hit, clients))
        stores[outcome.name] = records
    return {
        "requestId": result.request_id,
        "generatedAt": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "subject": [i.spelled() for i in identifiers],
        "stores": stores,
    }


def subject_records(hit: Hit, fields: Mapping[IdKind, str], clients: Clients) -> list[Any]:
    assert hit.bucket_object is not None
    bucket, key, _ = hit.bucket_object
    wanted: dict[IdKind, set[str]] = {}
    for kind, value in hit.subject_values:
        wanted.setdefault(kind, set()).add(value)
    try:
        body = clients("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    except (ClientError, BotoCoreError) as exc:
        raise AwsFailure(failure_message(exc)) from None
    return [json.loads(r) for r in read_records(body).records if is_subjects(r, fields, wanted)]


def encrypt_to(path: Path, document: dict[str, Any], key_id: str, clients: Clients) -> dict[str, Any]:
    """Write the encrypted archive; returns its envelope without the ciphertext (for the report)."""
    plaintext = json.dumps(document, sort_keys=True, default=str).encode()
    try:
        data_key = clients("kms").generate_data_key(KeyId=key_id, KeySpec="AES_256")
    except (ClientError, BotoCoreError) as exc:
        raise AwsFailure(failure_message(exc)) from None
    nonce = os.urandom(12)
    aad = f"{EXPORT_SCHEMA}|{document['requestId']}".encode()
    ciphertext = AESGCM(data_key["Plaintext"]).encrypt(nonce, plaintext, aad)
    envelope = {
        "schema": EXPORT_SCHEMA,
        "requestId": document["requestId"],
        "kmsKeyId": data_key["KeyId"],
        "algorithm": "AES-256-GCM",
        "encryptedDataKey": base64.b64encode(data_key["CiphertextBlob"]).decode(),
        "nonce": base64.b64encode(nonce).decode(),
        "aad": aad.decode(),
    }
    with atomic_binary(path) as handle:
        handle.write(json.dumps({**envelope, "ciphertext": base64.b64encode(ciphertext).decode()}).encode())
    return envelope


def decrypt(path: Path, clients: Clients) -> dict[str, Any]:
    """Open an export (for the subject's copy, and for tests)."""
    envelope = json.loads(path.read_text())
    try:
        key = clients("kms").decrypt(CiphertextBlob=base64.b64decode(envelope["encryptedDataKey"]))[
            "Plaintext"
        ]
    except (ClientError, BotoCoreError) as exc:
        raise AwsFailure(failure_message(exc)) from None
    plaintext = AESGCM(key).decrypt(
        base64.b64decode(envelope["nonce"]),
        base64.b64decode(envelope["ciphertext"]),
        envelope["aad"].encode(),
    )
    result: dict[str, Any] = json.loads(plaintext)
    return result
