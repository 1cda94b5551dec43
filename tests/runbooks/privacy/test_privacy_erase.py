"""`supportops privacy erase` against moto over HTTP: dry run, execute, verification, evidence,
other subjects untouched byte for byte, holds, nothing held, bad identifiers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from privacy_helpers import FakeZendesk, World, assert_no_personal_data, belongs_to, make_world

from supportops.reports.evidence import verify_bundle


@pytest.fixture
def world(endpoint: str, crm: FakeZendesk, tmp_path: Path) -> World:
    return make_world(endpoint, crm, tmp_path)


def _evidence_text(world: World) -> str:
    return "\n".join(p.read_text() for p in world.out.rglob("*") if p.is_file() and p.name != ".hash-key")


def test_dry_run_counts_per_store_and_changes_nothing(world: World) -> None:
    before = world.snapshot()
    result = world.cli("erase", "--subject", f"phone:{world.subjects[0].phone}", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    counts = {row["store"]: row["found"] for row in report["details"]["stores"]}
    # one context item listing two contacts; the lake finds a third one by the phone number and
    # gives every contact's day: 3 idempotency items, 3 x (2 recording versions + Contact Lens
    # analysis + redacted audio), 3 x (transcript version + delete marker), 3 lake objects (one per
    # day, shared with the other subjects), 3 tickets
    assert counts == {
        "customer-context": 1,
        "ticket-sync-idempotency": 3,
        "call-recordings": 12,
        "chat-transcripts": 6,
        "ctr-lake": 3,
        "ticket-sync-logs": 0,
        "crm-tickets": 3,
        "customer-profiles": 0,
    }
    assert world.snapshot() == before
    assert not (world.out / report["details"]["requestId"]).exists()  # no journal on a dry run
    assert_no_personal_data(result.stdout, world.subjects)


def test_execute_erases_every_version_verifies_and_leaves_others_byte_identical(world: World) -> None:
    subject = world.subjects[0]
    before = world.snapshot()
    result = world.cli("erase", "--subject", f"phone:{subject.phone}", "--execute", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    after = world.snapshot()
    others = {name: digest for name, digest in before.items() if not belongs_to(name, subject)}
    assert {name: after[name] for name in others} == others
    left = sorted(name for name in after if belongs_to(name, subject))
    # only the idempotency items remain, redacted (ticketId removed)
    assert left == sorted(f"idempotencyTableName/contact#{c}" for c in subject.contact_ids)
    for contact in subject.contact_ids:
        item = world.clients("dynamodb").get_item(
            TableName=world.outputs["idempotencyTableName"],
            Key={"idempotencyKey": {"S": f"contact#{contact}"}},
        )["Item"]
        assert "ticketId" not in item
    statuses = {
        f["subject"]: f["status"] for f in report["findings"] if f["checkId"] == "privacy:erasure_verified"
    }
    assert statuses == {
        "store:customer-context": "PASS",
        "store:ticket-sync-idempotency": "PASS",
        "store:call-recordings": "PASS",
        "store:chat-transcripts": "PASS",
        "store:ctr-lake": "PASS",
        "store:crm-tickets": "PASS",
        "store:customer-profiles": "NOT_APPLICABLE",  # no customerProfilesDomain output: not deployed
    }
    retention = {(r["store"], r["copy"]) for r in report["details"]["retention"]}
    assert ("customer-context", "point-in-time recovery") in retention
    assert ("ticket-sync-logs", "store") in retention
    gdpr = next(f for f in report["frameworks"] if f["id"] == "gdpr")
    art17 = next(r for r in gdpr["requirements"] if r["id"] == "art17")
    assert (
        art17["counts"] == {"PASS": 6, "NOT_APPLICABLE": 1}
        and "privacy:erasure_verified" in art17["checkIds"]
    )
    bundle = world.out / report["details"]["requestId"] / "evidence"
    assert verify_bundle(bundle).ok
    assert_no_personal_data(result.stdout + _evidence_text(world), world.subjects)


def test_rerun_after_completion_converges_to_nothing_held(world: World) -> None:
    subject = f"phone:{world.subjects[1].phone}"
    assert world.cli("erase", "--subject", subject, "--execute").exit_code == 0
    snapshot = world.snapshot()
    again = world.cli("erase", "--subject", subject, "--execute", "--format", "json")
    assert again.exit_code == 0, again.output
    assert "nothing held" in again.stderr
    assert world.snapshot() == snapshot
    journal = next(world.out.glob("dsr-*/journal.jsonl")).read_text().splitlines()
    assert sum('"run-started"' in line for line in journal) == 2


def test_email_identifier_finds_the_same_subject(world: World) -> None:
    result = world.cli("erase", "--subject", f"email:{world.subjects[2].email.upper()}", "--format", "json")
    assert result.exit_code == 0, result.output
    counts = {r["store"]: r["found"] for r in json.loads(result.stdout)["details"]["stores"]}
    # the context item found by email gives the phone number, which finds the lake-only contact too
    assert counts["customer-context"] == 1 and counts["call-recordings"] == 12 and counts["ctr-lake"] == 3


def test_subject_found_nowhere_is_nothing_held_exit_0(world: World) -> None:
    result = world.cli("erase", "--subject", "phone:+442079460000", "--execute")
    assert result.exit_code == 0, result.output
    assert "nothing held" in result.stderr


@pytest.mark.parametrize(
    ("subject", "message"),
    [
        ("phone:0151 2345678", "phone identifier is not an E.164 phone number"),
        ("phone:+0123456789", "phone identifier is not an E.164 phone number"),
        ("email:someone@", "email identifier is not an email address"),
        ("email:a b@example.com", "email identifier is not an email address"),
        ("+4915112345678", "expected KIND:VALUE"),
        ("fax:+4915112345678", "expected KIND:VALUE"),
    ],
)
def test_bad_identifiers_exit_2_in_one_line_without_echo(
    endpoint: str, crm: FakeZendesk, tmp_path: Path, subject: str, message: str
) -> None:
    result = make_world(endpoint, crm, tmp_path, seeded=False).cli("erase", "--subject", subject)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert subject.split(":", 1)[-1] not in lines[0]
    assert "Traceback" not in result.output


def test_subject_under_legal_hold_is_never_erased(world: World, tmp_path: Path) -> None:
    subject = world.subjects[0]
    holds = tmp_path / "holds.yaml"
    holds.write_text(
        f'holds:\n  - subject: "phone:{subject.phone}"\n    reason: litigation 2026-17\n'
        "    owner: legal@example.org\n"
    )
    before = world.snapshot()
    result = world.cli(
        "erase",
        "--subject",
        f"email:{subject.email}",
        "--subject",
        f"phone:{subject.phone}",
        "--holds",
        str(holds),
        "--execute",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    assert world.snapshot() == before
    report = json.loads(result.stdout)
    assert report["details"]["subjectHold"]["reason"] == "litigation 2026-17"
    states = {r["store"]: r["state"] for r in report["details"]["stores"]}
    assert states.pop("customer-profiles") == "not deployed"
    assert set(states.values()) == {"legal hold"}


def test_store_under_legal_hold_is_kept_and_the_rest_erased(world: World, tmp_path: Path) -> None:
    subject = world.subjects[3]
    holds = tmp_path / "holds.yaml"
    holds.write_text("holds:\n  - store: call-recordings\n    reason: regulator inquiry\n    owner: dpo\n")
    before = world.snapshot()
    result = world.cli(
        "erase", "--subject", f"phone:{subject.phone}", "--holds", str(holds), "--execute", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    after = world.snapshot()
    recordings = {n: d for n, d in before.items() if n.startswith(world.outputs["recordingsBucket"])}
    assert {n: after[n] for n in recordings} == recordings
    assert not any(belongs_to(n, subject) for n in after if n.startswith(world.outputs["dataLakeBucket"]))
    finding = next(
        f for f in json.loads(result.stdout)["findings"] if f["subject"] == "store:call-recordings"
    )
    assert finding["status"] == "NOT_APPLICABLE" and "regulator inquiry" in finding["message"]
    # the context item holds the contact ids that lead to the held recordings: kept, not lost
    states = {r["store"]: r["state"] for r in json.loads(result.stdout)["details"]["stores"]}
    assert states["customer-context"] == "kept for a hold"
    assert f"customerContextTableName/{subject.phone}" in after


def test_holds_naming_an_unknown_store_are_bad_input(endpoint: str, crm: FakeZendesk, tmp_path: Path) -> None:
    world = make_world(endpoint, crm, tmp_path, seeded=False)
    holds = tmp_path / "holds.yaml"
    holds.write_text("holds:\n  - store: nowhere\n    reason: typo here\n    owner: dpo\n")
    result = world.cli("erase", "--subject", f"phone:{world.subjects[0].phone}", "--holds", str(holds))
    assert result.exit_code == 2 and "names no store of the data map" in result.stderr


def test_an_aws_error_is_an_error_never_a_pass(world: World, tmp_path: Path) -> None:
    outputs = dict(world.outputs, recordingsBucket="no-such-bucket-anywhere")
    world.outputs_path.write_text(json.dumps(outputs))
    result = world.cli(
        "erase", "--subject", f"phone:{world.subjects[0].phone}", "--execute", "--format", "json"
    )
    assert result.exit_code == 1
    finding = next(
        f for f in json.loads(result.stdout)["findings"] if f["subject"] == "store:call-recordings"
    )
    assert finding["status"] == "ERROR" and "NoSuchBucket" in finding["message"]
    context = next(
        f for f in json.loads(result.stdout)["findings"] if f["subject"] == "store:customer-context"
    )
    assert context["status"] == "ERROR" and "contact ids are needed" in context["message"]
    assert f"customerContextTableName/{world.subjects[0].phone}" in world.snapshot()


def test_missing_output_is_reported_not_deployed(world: World) -> None:
    outputs = {k: v for k, v in world.outputs.items() if k != "dataLakeBucket"}
    world.outputs_path.write_text(json.dumps(outputs))
    result = world.cli("erase", "--subject", f"phone:{world.subjects[0].phone}", "--format", "json")
    assert result.exit_code == 0
    states = {r["store"]: r["state"] for r in json.loads(result.stdout)["details"]["stores"]}
    assert states["ctr-lake"] == "not deployed"
