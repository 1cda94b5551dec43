"""Fixtures for the ticket-sync function: a local provider API (http.server on 127.0.0.1) that
records every request, and DynamoDB / Secrets Manager from moto's server over HTTP."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import pytest

from supportops.runbooks.local_aws import local_aws_endpoint

Reply = tuple[int, dict[str, str], Any]
Responder = Callable[[str, str, Any], Reply]


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class ProviderApi:
    """The fake provider: ``respond`` decides each answer; ``requests`` holds what arrived."""

    url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    respond: Responder = field(default=lambda method, path, body: (404, {}, {"error": "unscripted"}))

    def calls(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.requests]


@pytest.fixture
def provider_api() -> Iterator[ProviderApi]:
    api = ProviderApi()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            api.requests.append(Recorded(self.command, self.path, dict(self.headers.items()), body))
            status, headers, payload = api.respond(self.command, self.path, body)
            data = json.dumps(payload).encode() if payload is not None else b""
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = _serve

        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def aws_endpoint() -> Iterator[str]:
    with local_aws_endpoint() as url:
        yield url


@pytest.fixture
def aws_env(aws_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("AWS_ENDPOINT_URL", aws_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return aws_endpoint


@pytest.fixture
def dynamodb(aws_env: str) -> Any:
    return boto3.client("dynamodb", region_name="us-east-1", endpoint_url=aws_env)


def create_table(dynamodb: Any, key: str) -> str:
    name = f"t-{uuid.uuid4().hex[:12]}"
    dynamodb.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
        KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return name


@pytest.fixture
def idempotency_table(dynamodb: Any) -> str:
    return create_table(dynamodb, "idempotencyKey")


@pytest.fixture
def context_table(dynamodb: Any) -> str:
    return create_table(dynamodb, "phoneNumber")


def contact_event(contact_id: str, event_type: str, event_id: str | None = None) -> dict[str, Any]:
    return {
        "id": event_id or f"evt-{contact_id}-{event_type}",
        "source": "aws.connect",
        "detail-type": "Amazon Connect Contact Event",
        "time": "2026-11-23T10:00:00Z",
        "detail": {
            "contactId": contact_id,
            "eventType": event_type,
            "channel": "VOICE",
            "initiationMethod": "INBOUND",
            "queueInfo": {"queueArn": "arn:aws:connect:us-east-1:111122223333:instance/i/queue/q-critical"},
        },
    }


@pytest.fixture
def make_event() -> Callable[..., dict[str, Any]]:
    return contact_event
