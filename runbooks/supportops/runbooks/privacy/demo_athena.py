"""A loopback stand-in for Athena, for the demo and tests: moto's Athena runs no SQL, so this answers
the one query the privacy runbook sends (records whose columns match the parameters) by reading the
lake's objects from the local S3 endpoint at the moment of the query. Speaks Athena's JSON protocol
(StartQueryExecution, GetQueryExecution, GetQueryResults with paging). Not for production use."""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from supportops.runbooks.privacy.lake import field_value, read_records

_CLAUSE = re.compile(r"([a-z_][a-z0-9_.]*) IN \(([?, ]+)\)")
_COLUMNS = {"contactid": "ContactId", "customerendpoint.address": "CustomerEndpoint.Address"}
PAGE_ROWS = 2  # small pages, so paging is exercised


@dataclass
class LocalAthena:
    s3: Any  # a boto3 S3 client of the local endpoint
    bucket: str
    prefix: str  # the table's location under the bucket
    url: str = ""
    queries: dict[str, list[list[str]]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, operation: str, request: dict[str, Any]) -> dict[str, Any]:
        if operation == "StartQueryExecution":
            rows = self._run(
                str(request["QueryString"]), [str(p) for p in request.get("ExecutionParameters", [])]
            )
            execution_id = str(uuid.uuid4())
            with self._lock:
                self.queries[execution_id] = rows
            return {"QueryExecutionId": execution_id}
        execution_id = str(request["QueryExecutionId"])
        if operation == "GetQueryExecution":
            return {"QueryExecution": {"QueryExecutionId": execution_id, "Status": {"State": "SUCCEEDED"}}}
        rows = [["object_path", "contact_id", "started"], *self.queries[execution_id]]
        start = int(request.get("NextToken") or 0)
        page = rows[start : start + PAGE_ROWS]
        result: dict[str, Any] = {
            "ResultSet": {"Rows": [{"Data": [{"VarCharValue": v} for v in row]} for row in page]}
        }
        if start + PAGE_ROWS < len(rows):
            result["NextToken"] = str(start + PAGE_ROWS)
        return result

    def _run(self, query: str, parameters: list[str]) -> list[list[str]]:
        wanted: list[tuple[str, set[str]]] = []
        values = iter(p.strip("'").replace("''", "'") for p in parameters)
        for column, marks in _CLAUSE.findall(query):
            wanted.append((_COLUMNS[column], {next(values) for _ in range(marks.count("?"))}))
        rows = []
        listing = self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        for page in listing:
            for entry in page.get("Contents", []):
                body = self.s3.get_object(Bucket=self.bucket, Key=entry["Key"])["Body"].read()
                for record in read_records(body).records:
                    parsed = json.loads(record)
                    if any(field_value(parsed, path) in values_ for path, values_ in wanted):
                        rows.append(
                            [
                                f"s3://{self.bucket}/{entry['Key']}",
                                str(field_value(parsed, "ContactId")),
                                str(field_value(parsed, "InitiationTimestamp")),
                            ]
                        )
        return rows


@contextmanager
def local_athena(s3: Any, bucket: str, prefix: str) -> Iterator[LocalAthena]:
    athena = LocalAthena(s3, bucket, prefix)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = json.loads(self.rfile.read(length) or b"{}")
            operation = str(self.headers.get("X-Amz-Target", "")).rpartition(".")[2]
            body = json.dumps(athena.answer(operation, request)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/x-amz-json-1.1")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    athena.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield athena
    finally:
        server.shutdown()
        server.server_close()
