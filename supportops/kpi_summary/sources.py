"""Where query results come from: CSV files exported from Athena (offline), or Athena itself.

Both give, per query key (``csat_monthly``, ``top_issue_types_monthly`` ...), the rows as text by
column name, which :func:`validate_rows` turns into pydantic rows. A problem is one line naming the
file (or query), the row (the header is row 1, as in a spreadsheet) and the column."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from supportops.errors import BadInput, SupportopsError
from supportops.loading import Limits, bounded, display_path, load_model, read_text

M = TypeVar("M", bound=BaseModel)
Rows = list[dict[str, str]]
EXPORT_LIMITS = Limits(max_bytes=32 * 1024 * 1024)


class ResultSource(Protocol):
    """Rows of one named query's result, by query key."""

    def rows(self, key: str) -> tuple[str, Rows]:
        """(where the rows came from, for messages; the rows)."""
        ...

    def describe(self) -> str: ...


def validate_rows(source: str, rows: Rows, model: type[M]) -> list[M]:
    """Every row into ``model``; the first problem raises one located line."""
    result: list[M] = []
    for index, row in enumerate(rows, start=2):
        try:
            result.append(model.model_validate(row))
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            column = ".".join(str(part) for part in error["loc"]) or "?"
            if error["type"] == "missing":
                problem = "required column is missing"
            elif error["type"] == "extra_forbidden":
                problem = "unknown column"
            else:
                problem = f"{error['msg']} (got {bounded(error.get('input'))})"
            raise BadInput.at(source, f"row {index}, column {column}", problem) from None
    return result


class CsvExports:
    """A directory of ``<query key>.csv`` files as Athena writes query results (header row, NULL as an
    empty field)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def describe(self) -> str:
        return f"CSV exports in {display_path(self.directory)}"

    def rows(self, key: str) -> tuple[str, Rows]:
        path = self.directory / f"{key}.csv"
        source = display_path(path)
        if not path.is_file():
            raise BadInput.at(source, "", f"no such file (export the result of the named query {key} here)")
        text = read_text(path, source=source, limits=EXPORT_LIMITS)
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            table = list(reader)
        except csv.Error as exc:
            raise BadInput.at(source, f"row {reader.line_num}", f"not valid CSV ({exc})") from None
        if not table:
            raise BadInput.at(source, "row 1", "empty file: expected a header row")
        header = table[0]
        if len(set(header)) != len(header):
            raise BadInput.at(source, "row 1", "duplicate column names")
        rows: Rows = []
        for number, values in enumerate(table[1:], start=2):
            if len(values) != len(header):
                raise BadInput.at(
                    source, f"row {number}", f"{len(values)} fields where the header has {len(header)}"
                )
            rows.append(dict(zip(header, values, strict=True)))
        return source, rows


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class AthenaError(SupportopsError):
    """Athena refused a call or a query did not succeed (exit 2: nothing to summarize)."""


class StackOutputs(BaseModel):
    """The analytics stack's outputs the summary needs (``pulumi stack output --json``)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    athenaWorkgroup: str
    kpiQueryIds: dict[str, str]


def load_stack_outputs(path: Path) -> StackOutputs:
    return load_model(path, StackOutputs, fmt="json")


class AthenaResults:
    """Runs each named query (by id, from the stack outputs) in the stack's workgroup and reads the
    result with the paginated GetQueryResults. The workgroup decides where results go and how they
    are encrypted (its configuration is enforced)."""

    def __init__(
        self,
        client: Any,
        outputs: StackOutputs,
        *,
        poll_seconds: float = 1.0,
        timeout_seconds: float = 300.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.outputs = outputs
        self.poll_seconds = poll_seconds
        self.timeout_seconds = timeout_seconds
        self.sleep = sleep

    def describe(self) -> str:
        return f"Athena workgroup {self.outputs.athenaWorkgroup}"

    def rows(self, key: str) -> tuple[str, Rows]:
        source = f"athena query {key}"
        query_id = self.outputs.kpiQueryIds.get(key)
        if query_id is None:
            raise BadInput.at(
                "stack outputs", f"kpiQueryIds.{key}", "no such named query (deploy the analytics phase)"
            )
        try:
            named = self.client.get_named_query(NamedQueryId=query_id)["NamedQuery"]
            started = self.client.start_query_execution(
                QueryString=named["QueryString"],
                QueryExecutionContext={"Database": named["Database"]},
                WorkGroup=self.outputs.athenaWorkgroup,
            )
            execution_id = started["QueryExecutionId"]
            self._wait(source, execution_id)
            return source, self._results(execution_id)
        except SupportopsError:
            raise
        except Exception as exc:  # botocore's ClientError and friends: one line, not a traceback
            code = getattr(exc, "response", {}).get("Error", {}).get("Code", type(exc).__name__)
            raise AthenaError(f"{source}: {code}: {_one_line(str(exc))}") from None

    def _wait(self, source: str, execution_id: str) -> None:
        waited = 0.0
        while True:
            status = self.client.get_query_execution(QueryExecutionId=execution_id)["QueryExecution"][
                "Status"
            ]
            state = status["State"]
            if state == "SUCCEEDED":
                return
            if state in {"FAILED", "CANCELLED"}:
                reason = status.get("StateChangeReason", "no reason given")
                raise AthenaError(f"{source}: query {execution_id} {state.lower()}: {_one_line(reason)}")
            if waited >= self.timeout_seconds:
                raise AthenaError(f"{source}: query {execution_id} still {state} after {waited:g} s")
            self.sleep(self.poll_seconds)
            waited += self.poll_seconds

    def _results(self, execution_id: str) -> Rows:
        header: list[str] | None = None
        rows: Rows = []
        paginator = self.client.get_paginator("get_query_results")
        for page in paginator.paginate(QueryExecutionId=execution_id):
            for row in page["ResultSet"]["Rows"]:
                values = [datum.get("VarCharValue", "") for datum in row["Data"]]
                if header is None:
                    header = values  # the first row of the first page names the columns
                    continue
                rows.append(dict(zip(header, values, strict=True)))
        return rows
