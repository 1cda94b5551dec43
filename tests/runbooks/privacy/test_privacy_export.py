"""`supportops privacy export`: the subject's data, envelope-encrypted under a KMS key (moto's KMS)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from privacy_helpers import FakeZendesk, World, assert_no_personal_data, make_world

from supportops.runbooks.privacy.export import decrypt


def test_export_is_encrypted_under_the_named_key_and_holds_only_the_subject(
    endpoint: str, crm: FakeZendesk, tmp_path: Path
) -> None:
    world: World = make_world(endpoint, crm, tmp_path, count=3)
    subject = world.subjects[1]
    key_id = world.clients("kms").create_key(Description="privacy export test")["KeyMetadata"]["KeyId"]
    archive = tmp_path / "export.json"
    result = world.cli(
        "export",
        "--subject",
        f"customer:{subject.customer_id}",
        "--kms-key-id",
        key_id,
        "--archive",
        str(archive),
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    assert_no_personal_data(result.stdout + archive.read_text(), world.subjects)
    envelope = json.loads(archive.read_text())
    assert envelope["algorithm"] == "AES-256-GCM" and key_id in envelope["kmsKeyId"]
    document = decrypt(archive, world.clients)
    assert document["stores"]["customer-context"][0]["phoneNumber"] == subject.phone
    recordings = document["stores"]["call-recordings"]
    assert sorted(base64.b64decode(r["base64"]).decode() for r in recordings) == sorted(
        f"audio v2 {c}" for c in subject.contact_ids
    )  # the current version of each recording
    others = json.dumps(document)
    for other in (world.subjects[0], world.subjects[2]):
        assert other.phone not in others and other.contact_ids[0] not in others


def test_export_with_an_unknown_key_fails_without_writing(
    endpoint: str, crm: FakeZendesk, tmp_path: Path
) -> None:
    world = make_world(endpoint, crm, tmp_path, count=1)
    archive = tmp_path / "export.json"
    result = world.cli(
        "export",
        "--subject",
        f"phone:{world.subjects[0].phone}",
        "--kms-key-id",
        "alias/does-not-exist",
        "--archive",
        str(archive),
    )
    assert result.exit_code == 1 and not archive.exists()
    assert result.stderr.strip().splitlines() == ["error: NotFoundException in GenerateDataKey"]
