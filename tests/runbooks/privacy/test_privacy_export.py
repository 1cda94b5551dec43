"""`supportops privacy export`: the subject's data, envelope-encrypted under a KMS key (moto's KMS)."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from privacy_helpers import FakeZendesk, World, assert_no_personal_data, make_world

from supportops.reports.evidence import verify_bundle
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
    # The customer id found the context item, whose phone number found the third contact in the lake:
    # the current version of each recording, its Contact Lens analysis and its redacted copy.
    assert sorted(base64.b64decode(r["base64"]).decode() for r in recordings) == sorted(
        [
            *(f"audio v2 {c}" for c in subject.contact_ids),
            *(f"redacted audio {c}" for c in subject.contact_ids),
            *('{"Transcript": []}' for _ in subject.contact_ids),
        ]
    )
    # Lake objects hold every subject's contacts of a day: only this subject's records are exported.
    lake = document["stores"]["ctr-lake"]
    assert sorted(r["ContactId"] for r in lake) == sorted(subject.contact_ids)
    assert {r["CustomerEndpoint"]["Address"] for r in lake} == {subject.phone}
    others = json.dumps(document)
    for other in (world.subjects[0], world.subjects[2]):
        assert other.phone not in others and other.contact_ids[0] not in others
    # The export leaves an audit record: a bundle naming the archive's hash and key, no personal data.
    summary = json.loads(result.stdout)
    bundle = Path(summary["evidence"]).parent
    assert verify_bundle(bundle).ok
    record = json.loads((bundle / "report.json").read_text())
    assert record["kind"] == "privacy-export"
    assert record["details"]["archive"]["sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert record["details"]["archive"]["kmsKeyId"] == envelope["kmsKeyId"]
    exported = {f["subject"]: f["status"] for f in record["findings"]}
    assert exported["store:ctr-lake"] == "PASS" and exported["store:customer-profiles"] == "NOT_APPLICABLE"
    gdpr = next(f for f in record["frameworks"] if f["id"] == "gdpr")
    art15 = next(r for r in gdpr["requirements"] if r["id"] == "art15")
    assert art15["status"] == "PASS"  # evidence-backed by this export, through the framework file
    assert_no_personal_data((bundle / "report.json").read_text(), world.subjects)
    journal = (world.out / summary["requestId"] / "journal.jsonl").read_text()
    assert '"event": "exported"' in journal and record["details"]["archive"]["sha256"] in journal


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
