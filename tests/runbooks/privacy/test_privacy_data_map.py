"""The shipped data map is valid and names only outputs the stack phases export; broken maps and
holds files are refused with their location."""

from __future__ import annotations

from pathlib import Path

import pytest
from privacy_helpers import REPO

from supportops.errors import BadInput
from supportops.runbooks.privacy.schema import load_data_map, load_holds

PHASES = REPO / "stacks" / "supportops" / "stacks" / "phases"


def test_every_store_names_an_output_a_phase_exports() -> None:
    exported = "".join(path.read_text() for path in PHASES.glob("*.py"))
    stores = load_data_map().stores
    assert {s.name for s in stores} >= {"customer-context", "call-recordings", "chat-transcripts", "ctr-lake"}
    assert [s.output for s in stores if s.output and f'"{s.output}":' not in exported] == []


@pytest.mark.parametrize(
    ("store", "expected"),
    [
        ("    locate: [{by: contact, prefix: 'x/'}]", "a key or prefix must contain {value}"),
        ("    locate: [{by: contact, key: 'k{value}'}]", "an s3 store is located by prefix"),
        (
            "    locate: [{by: contact, prefix: 'x/{value}'}]\n    erase: redact",
            "redact needs a dynamodb store",
        ),
        ("    locate: [{by: contact, prefix: 'x/{value}'}]\n    colour: red", "unknown key"),
        (
            "    locate: [{by: phone, prefix: 'x/{date}/{value}'}]",
            "only a contact's key or prefix can hold {date}",
        ),
        ("    locate: [{by: contact, column: contactid}]", "only a lake store is located by column"),
        (
            "    locate: [{by: contact, prefix: 'x/{value}'}]\n"
            "    identifierAttributes: {phone: phoneNumber}",
            "identifierAttributes are read from dynamodb items",
        ),
        (
            "    locate: [{by: contact, prefix: 'x/{value}'}]\n    contactHistory: {objectType: CTR}",
            "contactHistory is read from a customer-profiles store only",
        ),
    ],
)
def test_broken_data_maps_are_refused_with_their_location(tmp_path: Path, store: str, expected: str) -> None:
    text = (
        "schema: supportops.privacy-data-map/v1\nstores:\n  - name: lake\n    service: s3\n"
        "    output: dataLakeBucket\n    dataClass: analytics\n    personalData: [x]\n"
    )
    if "erase:" not in store:
        text += "    erase: delete\n"
    path = tmp_path / "map.yaml"
    path.write_text(text + store + "\n")
    with pytest.raises(BadInput, match="line ") as caught:
        load_data_map(path)
    assert expected in str(caught.value)


def test_a_hold_names_a_subject_or_a_store_not_both(tmp_path: Path) -> None:
    path = tmp_path / "holds.yaml"
    path.write_text("holds:\n  - {subject: 'phone:+15550100000', store: ctr-lake, reason: both, owner: x}\n")
    with pytest.raises(BadInput, match="a hold names either a subject or a store"):
        load_holds(path)


@pytest.mark.parametrize(
    ("lake", "expected"),
    [
        (
            "    erase: delete\n    lake: {databaseOutput: d, workgroupOutput: w, table: t,"
            " contactColumn: c, startedColumn: s, recordFields: {phone: CustomerEndpoint.Address}}\n",
            "a lake store is erased by rewrite, and only it",
        ),
        (
            "    erase: rewrite\n    lake: {databaseOutput: d, workgroupOutput: w, table: t,"
            " contactColumn: c, startedColumn: s, recordFields: {contact: ContactId}}\n",
            "lake.recordFields must name the record field of every kind it is located by",
        ),
        ("    erase: rewrite\n", "a lake store, and only it, gives lake"),
    ],
)
def test_a_lake_store_needs_its_table_and_a_record_field_per_way(
    tmp_path: Path, lake: str, expected: str
) -> None:
    text = (
        "schema: supportops.privacy-data-map/v1\nstores:\n  - name: lake\n    service: lake\n"
        "    output: dataLakeBucket\n    dataClass: analytics\n    personalData: [x]\n"
        "    locate: [{by: phone, column: customerendpoint.address}]\n"
    )
    path = tmp_path / "map.yaml"
    path.write_text(text + lake)
    with pytest.raises(BadInput, match="line ") as caught:
        load_data_map(path)
    assert expected in str(caught.value)
