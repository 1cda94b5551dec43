"""The contact-record lake: records split as Firehose writes them, the Athena query (Stubber: requests
checked against the real service model), and a contact whose day nothing told."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from privacy_helpers import REPO, FakeZendesk, World, make_world

from supportops.runbooks.privacy.clients import AwsFailure
from supportops.runbooks.privacy.lake import (
    contact_day,
    find_records,
    is_subjects,
    read_records,
    subject_query,
    write_records,
)
from supportops.runbooks.privacy.schema import IdKind, load_data_map

LAKE = next(s for s in load_data_map().stores if s.name == "ctr-lake")
assert LAKE.lake is not None
TABLE = LAKE.lake
COLUMNS = {way.by: str(way.column) for way in LAKE.locate}
FIELDS = TABLE.record_fields


def _record(contact: str, phone: str) -> bytes:
    return json.dumps({"ContactId": contact, "CustomerEndpoint": {"Address": phone}}).encode()


def test_records_are_split_whether_firehose_delimited_them_or_not() -> None:
    mine, theirs = _record("c-1", "+15550000001"), _record("c-2", "+15550000002")
    concatenated = read_records(gzip.compress(mine + theirs))
    assert concatenated.records == [mine, theirs] and concatenated.gzipped
    lines = read_records(mine + b"\n" + theirs + b"\n")
    assert lines.records == [mine, theirs] and not lines.gzipped and lines.unreadable == 0


def test_an_unreadable_line_is_kept_as_it_is_never_guessed_at() -> None:
    body = _record("c-1", "+15550000001") + b"\nnot json at all\n" + _record("c-2", "+15550000002")
    records = read_records(body)
    assert records.unreadable == 1 and b"not json at all" in records.records
    wanted = {IdKind.PHONE: {"+15550000001"}}
    kept = [r for r in records.records if not is_subjects(r, FIELDS, wanted)]
    assert kept == [b"not json at all", _record("c-2", "+15550000002")]
    assert (
        gzip.decompress(write_records(kept, True))
        == b"not json at all\n" + _record("c-2", "+15550000002") + b"\n"
    )


def test_record_fields_match_case_insensitively_as_athena_reads_them() -> None:
    record = json.dumps({"contactid": "c-9", "customerendpoint": {"address": "+15550000009"}}).encode()
    assert is_subjects(record, FIELDS, {IdKind.CONTACT: {"c-9"}})
    assert not is_subjects(record, FIELDS, {IdKind.CONTACT: {"c-99"}})


def test_values_go_in_as_parameters_never_into_the_query_text() -> None:
    text, parameters = subject_query(
        TABLE, "demo_lake", {IdKind.PHONE: ["+15550000001"], IdKind.CONTACT: ["c-1", "o'brien"]}, COLUMNS
    )
    assert "+1555" not in text and "o'brien" not in text
    assert text.endswith("WHERE contactid IN (?, ?) OR customerendpoint.address IN (?)")
    assert parameters == ["'c-1'", "'o''brien'", "'+15550000001'"]
    with pytest.raises(AwsFailure, match="Glue database name"):
        subject_query(TABLE, 'lake"; DROP', {IdKind.PHONE: ["+15550000001"]}, COLUMNS)


def _athena() -> tuple[Any, Stubber]:
    client = boto3.client("athena", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    return client, Stubber(client)


def _row(*values: str) -> dict[str, Any]:
    return {"Data": [{"VarCharValue": v} for v in values]}


def test_every_page_of_the_result_is_read_in_the_stack_workgroup() -> None:
    client, stubber = _athena()
    text, parameters = subject_query(TABLE, "demo_lake", {IdKind.PHONE: ["+15550000001"]}, COLUMNS)
    stubber.add_response(
        "start_query_execution",
        {"QueryExecutionId": "q-1"},
        {
            "QueryString": text,
            "QueryExecutionContext": {"Database": "demo_lake"},
            "WorkGroup": "demo-kpi",
            "ExecutionParameters": parameters,
        },
    )
    stubber.add_response("get_query_execution", {"QueryExecution": {"Status": {"State": "RUNNING"}}})
    stubber.add_response("get_query_execution", {"QueryExecution": {"Status": {"State": "SUCCEEDED"}}})
    stubber.add_response(
        "get_query_results",
        {
            "ResultSet": {
                "Rows": [
                    _row("object_path", "contact_id", "started"),
                    _row("s3://lake/contact-records/dt=2026-11-01/a.gz", "c-1", "2026-11-01T10:00:00Z"),
                ]
            },
            "NextToken": "t-2",
        },
        {"QueryExecutionId": "q-1"},
    )
    stubber.add_response(
        "get_query_results",
        {
            "ResultSet": {
                "Rows": [
                    _row("s3://lake/contact-records/dt=2026-11-03/b.gz", "c-2", "2026-11-03 23:59:00.000")
                ]
            }
        },
        {"QueryExecutionId": "q-1", "NextToken": "t-2"},
    )
    calls: list[int] = []
    with stubber:
        rows = find_records(
            client,
            TABLE,
            "demo_lake",
            "demo-kpi",
            {IdKind.PHONE: ["+15550000001"]},
            COLUMNS,
            lambda: calls.append(1),
        )
    stubber.assert_no_pending_responses()
    assert [(r.bucket, r.key, r.contact_id, str(r.day)) for r in rows] == [
        ("lake", "contact-records/dt=2026-11-01/a.gz", "c-1", "2026-11-01"),
        ("lake", "contact-records/dt=2026-11-03/b.gz", "c-2", "2026-11-03"),
    ]
    assert len(calls) == 5  # start, two status polls, two result pages


def test_a_failed_query_is_an_error_never_nothing_held() -> None:
    client, stubber = _athena()
    stubber.add_response("start_query_execution", {"QueryExecutionId": "q-2"})
    stubber.add_response(
        "get_query_execution",
        {"QueryExecution": {"Status": {"State": "FAILED", "StateChangeReason": "TABLE_NOT_FOUND"}}},
    )
    with stubber, pytest.raises(AwsFailure, match="the lake query failed: TABLE_NOT_FOUND"):
        find_records(client, TABLE, "demo_lake", "wg", {IdKind.CONTACT: ["c-1"]}, COLUMNS, lambda: None)


def test_contact_days_from_the_spellings_connect_and_athena_use() -> None:
    assert str(contact_day("2026-11-03T23:59:00Z")) == "2026-11-03"
    assert str(contact_day("2026-11-03 23:59:00.000")) == "2026-11-03"
    assert str(contact_day("2026-11-04T01:30:00+02:00")) == "2026-11-03"  # the UTC day
    assert contact_day("yesterday") is None and contact_day(None) is None


@pytest.fixture
def world(endpoint: str, crm: FakeZendesk, tmp_path: Path) -> World:
    return make_world(endpoint, crm, tmp_path, count=3)


def test_without_the_lake_contacts_of_unknown_day_are_searched_on_every_day(world: World) -> None:
    """No lake output: the context item's contacts have no day, so every day of the buckets is
    listed for them (complete, and said), and the lake-only contact stays unknown."""
    outputs = {k: v for k, v in world.outputs.items() if k != "dataLakeBucket"}
    world.outputs_path.write_text(json.dumps(outputs))
    subject = world.subjects[0]
    result = world.cli("erase", "--subject", f"phone:{subject.phone}", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["store"]: r for r in json.loads(result.stdout)["details"]["stores"]}
    assert rows["ctr-lake"]["state"] == "not deployed"
    # the two contacts the context item lists: 2 x (2 recording versions + analysis + redacted audio)
    assert rows["call-recordings"]["found"] == 8
    assert "2 of the subject's contacts have no known day" in rows["call-recordings"]["message"]
    assert rows["call-recordings"]["awsCalls"] == 3  # one listing per prefix, not one per day


def test_the_data_map_names_the_lake_outputs_the_analytics_phase_exports() -> None:
    program = (REPO / "stacks" / "supportops" / "stacks" / "phases" / "analytics.py").read_text()
    for output in (LAKE.output, TABLE.database_output, TABLE.workgroup_output):
        assert f'"{output}":' in program, output
