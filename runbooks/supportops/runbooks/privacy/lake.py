"""The contact-record lake: Firehose writes each batch of contact trace records as one (gzip) object
holding many contacts, so a subject's records are found with one Athena query per pass (the API
calls grow with the subject's records, not with the lake) and erased by rewriting each object
without them; the object's older versions, which still hold them, are deleted after."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from supportops.polling import Deadline, poll_until
from supportops.runbooks.privacy.clients import AwsFailure
from supportops.runbooks.privacy.schema import IdKind, LakeTable

QUERY_TIMEOUT_SECONDS = 600.0
QUERY_POLL_SECONDS = 1.0
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class LakeRow:
    """One of the subject's records: the object holding it, its contact and the contact's day."""

    bucket: str
    key: str
    contact_id: str
    day: dt.date | None


def _literal(value: str) -> str:
    """An Athena execution parameter: a quoted string literal (quotes doubled)."""
    return "'" + value.replace("'", "''") + "'"


def subject_query(
    table: LakeTable, database: str, wanted: Mapping[IdKind, Iterable[str]], columns: Mapping[IdKind, str]
) -> tuple[str, list[str]]:
    """The query and its parameters: every record whose column matches one of the subject's values.
    Values are passed as execution parameters, never spliced into the text."""
    if not _NAME.fullmatch(database):
        raise AwsFailure("the lake's Glue database name has characters Athena does not allow unquoted")
    clauses, parameters = [], []
    for kind, column in sorted(columns.items()):
        values = sorted(set(wanted.get(kind, ())))
        if values:
            clauses.append(f"{column} IN ({', '.join('?' for _ in values)})")
            parameters += [_literal(v) for v in values]
    text = (
        f'SELECT "$path" AS object_path, {table.contact_column} AS contact_id, '
        f'{table.started_column} AS started FROM "{database}"."{table.table}" '
        f"WHERE {' OR '.join(clauses)}"
    )
    return text, parameters


def find_records(
    athena: Any,
    table: LakeTable,
    database: str,
    workgroup: str,
    wanted: Mapping[IdKind, Iterable[str]],
    columns: Mapping[IdKind, str],
    counter: Callable[[], None],
) -> list[LakeRow]:
    """Run the subject query in the stack's workgroup and read every page of its result."""
    text, parameters = subject_query(table, database, wanted, columns)
    if not parameters:
        return []
    counter()
    started = athena.start_query_execution(
        QueryString=text,
        QueryExecutionContext={"Database": database},
        WorkGroup=workgroup,
        ExecutionParameters=parameters,
    )
    execution_id = started["QueryExecutionId"]

    def state() -> dict[str, Any]:
        counter()
        status: dict[str, Any] = athena.get_query_execution(QueryExecutionId=execution_id)["QueryExecution"][
            "Status"
        ]
        return status

    status = poll_until(
        "the lake query",
        state,
        lambda s: s.get("State") in ("SUCCEEDED", "FAILED", "CANCELLED"),
        Deadline(QUERY_TIMEOUT_SECONDS),
        QUERY_POLL_SECONDS,
    )
    if status["State"] != "SUCCEEDED":
        reason = str(status.get("StateChangeReason", ""))[:200]
        raise AwsFailure(f"the lake query {status['State'].lower()}: {reason}")
    rows: list[LakeRow] = []
    request: dict[str, Any] = {"QueryExecutionId": execution_id}
    header_skipped = False
    while True:
        counter()
        page = athena.get_query_results(**request)
        for row in page["ResultSet"]["Rows"]:
            values = [cell.get("VarCharValue") for cell in row.get("Data", [])]
            if not header_skipped:
                header_skipped = True  # Athena's first row names the columns
                continue
            parsed = _row(values)
            if parsed is not None:
                rows.append(parsed)
        if not page.get("NextToken"):
            return rows
        request["NextToken"] = page["NextToken"]


def _row(values: list[str | None]) -> LakeRow | None:
    if len(values) < 3 or not values[0] or not values[0].startswith("s3://"):
        return None
    bucket, _, key = values[0].removeprefix("s3://").partition("/")
    return LakeRow(bucket, key, values[1] or "", contact_day(values[2]))


def contact_day(timestamp: str | None) -> dt.date | None:
    """The UTC day of a contact from its start (``2026-11-03T09:15:00Z`` and Athena's spellings)."""
    if not timestamp:
        return None
    try:
        moment = dt.datetime.fromisoformat(timestamp.strip().replace(" ", "T").replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.date()


@dataclass(frozen=True)
class Records:
    """An object's records as written (each record's exact bytes), and whether it was gzip."""

    records: list[bytes]
    gzipped: bool
    unreadable: int  # bytes that are no JSON record: kept as they are, never guessed at


def read_records(body: bytes) -> Records:
    """Split newline-delimited or concatenated JSON records (Firehose adds no delimiter by itself)."""
    gzipped = body[:2] == _GZIP_MAGIC
    text = (gzip.decompress(body) if gzipped else body).decode("utf-8", errors="surrogateescape")
    decoder = json.JSONDecoder()
    records: list[bytes] = []
    position, unreadable = 0, 0
    while position < len(text):
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        if position >= len(text):
            break
        try:
            _value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            end = text.find("\n", position)
            end = len(text) if end < 0 else end
            unreadable += 1
        records.append(text[position:end].encode("utf-8", errors="surrogateescape"))
        position = end
    return Records(records, gzipped, unreadable)


def field_value(record: Any, path: str) -> Any:
    """``CustomerEndpoint.Address`` of a record, matching keys case-insensitively as Athena does."""
    value = record
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = next((v for k, v in value.items() if k.lower() == part.lower()), None)
    return value


def is_subjects(record: bytes, fields: Mapping[IdKind, str], wanted: Mapping[IdKind, set[str]]) -> bool:
    try:
        parsed = json.loads(record)
    except ValueError:
        return False
    return any(field_value(parsed, path) in wanted.get(kind, set()) for kind, path in fields.items())


def write_records(records: list[bytes], gzipped: bool) -> bytes:
    body = b"".join(record + b"\n" for record in records)
    return gzip.compress(body, mtime=0) if gzipped else body


def mentions(body: bytes, values: Iterable[str]) -> bool:
    """Whether any of the subject's values appears anywhere in an object (the verification's test:
    independent of the query engine and of how records are delimited)."""
    text = gzip.decompress(body) if body[:2] == _GZIP_MAGIC else body
    return any(value.encode() in text for value in values if value)
