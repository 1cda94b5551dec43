"""A loopback stand-in for the CRM's ticket API (Zendesk's shapes) for the demo and tests: tickets in
memory, found by ``external_id``, deleted by id. Not for production use."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FakeZendesk:
    url: str = ""
    tickets: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, contact_id: str, subject: str) -> str:
        with self._lock:
            ticket_id = str(1000 + len(self.tickets) + len(self.requests))
            while ticket_id in self.tickets:
                ticket_id = str(int(ticket_id) + 1)
            self.tickets[ticket_id] = {"id": int(ticket_id), "external_id": contact_id, "subject": subject}
            return ticket_id

    def answer(self, method: str, path: str) -> tuple[int, Any]:
        parts = urllib.parse.urlsplit(path)
        with self._lock:
            self.requests.append((method, parts.path))
            if method == "GET" and parts.path == "/api/v2/tickets.json":
                wanted = urllib.parse.parse_qs(parts.query).get("external_id", [""])[0]
                return 200, {"tickets": [t for t in self.tickets.values() if t["external_id"] == wanted]}
            if method == "DELETE" and parts.path.startswith("/api/v2/tickets/"):
                ticket_id = parts.path.removeprefix("/api/v2/tickets/").removesuffix(".json")
                return (
                    (204, None) if self.tickets.pop(ticket_id, None) else (404, {"error": "RecordNotFound"})
                )
        return 404, {"error": "unsupported"}


@contextmanager
def fake_zendesk() -> Iterator[FakeZendesk]:
    api = FakeZendesk()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            status, payload = api.answer(self.command, self.path)
            data = json.dumps(payload).encode() if payload is not None else b""
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
