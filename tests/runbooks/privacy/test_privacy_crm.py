"""The CRM store: the ticket-sync providers' request shapes for find and delete, a missing credential
or a failing CRM is ERROR (never "nothing held"), and messages never carry the contact id."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from privacy_helpers import FakeZendesk, make_world

from supportops.runbooks.privacy.crm import TOKEN_ENV, CrmGateway

Script = dict[tuple[str, str], tuple[int, Any]]


@pytest.fixture
def scripted() -> Iterator[tuple[str, list[tuple[str, str, str]], Script]]:
    """A CRM answering from a script keyed by (method, path with query); records each request."""
    seen: list[tuple[str, str, str]] = []
    script: Script = {}

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            seen.append((self.command, self.path, self.headers.get("Authorization", "")))
            status, payload = script.get((self.command, self.path), (404, {"error": "unscripted"}))
            data = json.dumps(payload).encode() if payload is not None else b""
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen, script
    finally:
        server.shutdown()
        server.server_close()


def test_servicenow_finds_by_correlation_id_and_deletes_by_sys_id(scripted: Any) -> None:
    url, seen, script = scripted
    script[("GET", "/api/now/table/incident?sysparm_query=correlation_id%3Dc-1")] = (
        200,
        {"result": [{"sys_id": "abc", "short_description": "x"}]},
    )
    script[("DELETE", "/api/now/table/incident/abc")] = (204, None)
    gateway = CrmGateway.create("servicenow", "acme.service-now.com", "svc", "pw", url)
    tickets = gateway.find("c-1")
    assert [t.ticket_id for t in tickets] == ["abc"]
    gateway.delete("abc")
    gateway.delete("gone")  # 404: already deleted, done
    assert [(m, p) for m, p, _ in seen][-2:] == [
        ("DELETE", "/api/now/table/incident/abc"),
        ("DELETE", "/api/now/table/incident/gone"),
    ]
    assert all(auth.startswith("Basic ") for _, _, auth in seen)


def test_salesforce_reads_the_case_by_external_id_and_deletes_by_id(scripted: Any) -> None:
    url, seen, script = scripted
    script[("GET", "/services/data/v60.0/sobjects/Case/Connect_Contact_Id__c/c-2")] = (
        200,
        {"Id": "500XY", "Subject": "call"},
    )
    script[("DELETE", "/services/data/v60.0/sobjects/Case/500XY")] = (204, None)
    gateway = CrmGateway.create("salesforce", "acme.my.salesforce.com", "u", "tok", url)
    assert [t.ticket_id for t in gateway.find("c-2")] == ["500XY"]
    assert gateway.find("c-unknown") == []  # 404 on the external id: no case
    gateway.delete("500XY")
    assert seen[0][2] == "Bearer tok"


def test_without_a_crm_credential_the_crm_is_an_error_not_nothing_held(
    endpoint: str, crm: FakeZendesk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(TOKEN_ENV)
    world = make_world(endpoint, crm, tmp_path, count=2)
    result = world.cli("erase", "--subject", f"phone:{world.subjects[0].phone}", "--format", "json")
    assert result.exit_code == 1
    finding = next(f for f in json.loads(result.stdout)["findings"] if f["subject"] == "store:crm-tickets")
    assert finding["status"] == "ERROR" and TOKEN_ENV in finding["message"]


def test_a_failing_crm_is_an_error_and_the_contact_ids_are_kept(
    endpoint: str, crm: FakeZendesk, tmp_path: Path, scripted: Any
) -> None:
    url, _seen, _script = scripted  # answers 404 "unscripted" to the search: an HTTP error
    world = make_world(endpoint, crm, tmp_path, count=2)
    world.crm.url = url
    result = world.cli(
        "erase", "--subject", f"phone:{world.subjects[0].phone}", "--execute", "--format", "json"
    )
    assert result.exit_code == 1
    findings = {f["subject"]: f for f in json.loads(result.stdout)["findings"]}
    assert findings["store:crm-tickets"]["status"] == "ERROR"
    assert "HTTP 404" in findings["store:crm-tickets"]["message"]
    assert findings["store:customer-context"]["status"] == "ERROR"  # kept: its contact ids are needed
    assert not any(c in result.stdout for c in world.subjects[0].contact_ids)
