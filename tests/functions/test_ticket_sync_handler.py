"""The Lambda entry points end to end: SQS batches (credential from Secrets Manager, idempotency in
DynamoDB, both on moto's server), the Connect customer lookup, ticketing callbacks, rotation."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from supportops.stacks.functions.ticket_sync import handler
from supportops.stacks.functions.ticket_sync.rotation import STAGED_LABEL, RotationError, rotate
from supportops.stacks.functions.ticket_sync.settings import Settings
from supportops.stacks.functions.ticket_sync.webhook_auth import (
    MAX_SKEW_SECONDS,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    authorize,
    sign,
)


@pytest.fixture
def secrets(aws_env: str) -> Any:
    return boto3.client("secretsmanager", region_name="us-east-1", endpoint_url=aws_env)


@pytest.fixture
def function_env(
    monkeypatch: pytest.MonkeyPatch,
    provider_api: Any,
    secrets: Any,
    idempotency_table: str,
    context_table: str,
) -> str:
    secret = secrets.create_secret(
        Name=f"crm-{uuid.uuid4().hex[:8]}",
        SecretString=json.dumps({"user": "bot@example.com", "token": "tok-1"}),
    )
    for key, value in {
        "CRM_PROVIDER": "zendesk",
        "CRM_INSTANCE": "acme",
        "CRM_SECRET_ARN": secret["ARN"],
        "CRM_BASE_URL": provider_api.url,
        "IDEMPOTENCY_TABLE": idempotency_table,
        "CONTEXT_TABLE": context_table,
        "DEFAULT_SUPPORT_TIER": "Medium",
    }.items():
        monkeypatch.setenv(key, value)
    return str(secret["ARN"])


def sqs_record(message_id: str, body: Any) -> dict[str, Any]:
    return {"messageId": message_id, "body": body if isinstance(body, str) else json.dumps(body)}


def test_a_batch_reports_only_the_failed_messages_and_redelivery_adds_no_ticket(
    function_env: str, provider_api: Any, make_event: Callable[..., dict[str, Any]]
) -> None:
    created: list[Any] = []

    def respond(method: str, path: str, body: Any) -> tuple[int, dict[str, str], Any]:
        if method == "GET":
            return 200, {}, {"tickets": []}
        created.append(body)
        return 201, {}, {"ticket": {"id": 55}}

    provider_api.respond = respond
    batch = {
        "Records": [
            sqs_record("m-1", make_event("h-1", "INITIATED")),
            sqs_record("m-2", "not json"),
            sqs_record("m-3", {"id": "x", "detail": {"eventType": "INITIATED"}}),  # no contactId
        ]
    }

    first = handler.handle(batch, None)
    again = handler.handle({"Records": [sqs_record("m-1b", make_event("h-1", "INITIATED"))]}, None)

    assert first == {"batchItemFailures": [{"itemIdentifier": "m-2"}, {"itemIdentifier": "m-3"}]}
    assert again == {"batchItemFailures": []}
    assert len(created) == 1
    # The credential came from Secrets Manager.
    expected = "Basic " + base64.b64encode(b"bot@example.com/token:tok-1").decode()
    assert {r.headers["Authorization"] for r in provider_api.requests} == {expected}


def test_connect_lookup_returns_the_callers_tier_or_the_default(
    function_env: str, dynamodb: Any, context_table: str
) -> None:
    dynamodb.put_item(
        TableName=context_table,
        Item={
            "phoneNumber": {"S": "+15550100"},
            "supportTier": {"S": "Critical"},
            "customerName": {"S": "Ada"},
        },
    )

    def connect_event(number: str | None) -> dict[str, Any]:
        endpoint = {"Address": number, "Type": "TELEPHONE_NUMBER"} if number else None
        return {"Name": "ContactFlowEvent", "Details": {"ContactData": {"CustomerEndpoint": endpoint}}}

    assert handler.handle(connect_event("+15550100"), None) == {
        "supportTier": "Critical",
        "customerName": "Ada",
        "openTicketId": "",
        "known": "true",
    }
    assert handler.handle(connect_event("+15550199"), None) == {"supportTier": "Medium", "known": "false"}
    assert handler.handle(connect_event(None), None) == {"supportTier": "Medium", "known": "false"}


def test_ticketing_callback_records_the_open_ticket_and_rejects_bad_bodies(
    function_env: str, dynamodb: Any, context_table: str
) -> None:
    def callback(body: Any) -> dict[str, Any]:
        return {"requestContext": {"http": {"method": "POST"}}, "body": json.dumps(body)}

    accepted = handler.handle(callback({"phoneNumber": "+1555", "ticketId": "88", "status": "open"}), None)
    rejected = handler.handle(callback({"phoneNumber": "+1555"}), None)

    assert accepted["statusCode"] == 202
    assert rejected["statusCode"] == 400
    assert "ticketId" in json.loads(rejected["body"])["error"]
    item = dynamodb.get_item(TableName=context_table, Key={"phoneNumber": {"S": "+1555"}})["Item"]
    assert (item["openTicketId"]["S"], item["ticketStatus"]["S"]) == ("88", "open")
    # Personal data expires after the class retention (CONTEXT_RETENTION_DAYS, default 365).
    assert 364 * 86400 < int(item["expiresAt"]["N"]) - time.time() <= 365 * 86400


def test_rotation_tests_the_staged_token_against_the_provider_then_promotes_it(
    function_env: str, secrets: Any, provider_api: Any
) -> None:
    provider_api.respond = lambda method, path, body: (200, {}, {"tickets": []})
    secrets.put_secret_value(
        SecretId=function_env,
        SecretString=json.dumps({"user": "bot@example.com", "token": "tok-2"}),
        VersionStages=[STAGED_LABEL],
    )
    token = str(uuid.uuid4())  # what Secrets Manager passes for the new version
    settings = Settings.from_env()

    for step in ("createSecret", "setSecret", "testSecret", "finishSecret"):
        rotate(secrets, settings, {"Step": step, "SecretId": function_env, "ClientRequestToken": token})

    current = secrets.get_secret_value(SecretId=function_env, VersionStage="AWSCURRENT")
    assert current["VersionId"] == token
    assert json.loads(current["SecretString"])["token"] == "tok-2"
    assert provider_api.calls() == [("GET", "/api/v2/tickets.json?external_id=supportops-rotation-check")]
    assert provider_api.requests[0].headers["Authorization"] == (
        "Basic " + base64.b64encode(b"bot@example.com/token:tok-2").decode()
    )
    stages = secrets.describe_secret(SecretId=function_env)["VersionIdsToStages"]
    assert not any(STAGED_LABEL in labels for labels in stages.values())


def test_rotation_without_a_staged_token_fails_loudly_and_keeps_the_current_one(
    function_env: str, secrets: Any
) -> None:
    token = str(uuid.uuid4())
    with pytest.raises(RotationError, match="no new credential staged"):
        rotate(
            secrets,
            Settings.from_env(),
            {"Step": "createSecret", "SecretId": function_env, "ClientRequestToken": token},
        )
    current = secrets.get_secret_value(SecretId=function_env, VersionStage="AWSCURRENT")
    assert json.loads(current["SecretString"])["token"] == "tok-1"


def signed_callback(key: str, body: bytes, timestamp: str) -> dict[str, Any]:
    return {
        "requestContext": {"http": {"method": "POST"}},
        "headers": {
            "x-zendesk-webhook-signature": sign(key, timestamp, body),
            "x-zendesk-webhook-signature-timestamp": timestamp,
        },
        "body": base64.b64encode(body).decode(),
        "isBase64Encoded": True,
    }


def test_hmac_signed_callbacks_are_verified_over_the_exact_body(
    function_env: str, secrets: Any, monkeypatch: pytest.MonkeyPatch, dynamodb: Any, context_table: str
) -> None:
    key = "whsec-demo"
    secret = secrets.create_secret(Name=f"sign-{uuid.uuid4().hex[:8]}", SecretString=key)
    monkeypatch.setenv("WEBHOOK_SIGNING_SECRET_ARN", secret["ARN"])
    body = json.dumps({"phoneNumber": "+1666", "ticketId": "9", "status": "solved"}).encode()
    now = datetime.now(UTC).isoformat(timespec="seconds")
    stale = str(int(time.time()) - 3600)

    assert handler.handle(signed_callback(key, body, now), None)["statusCode"] == 202
    tampered = signed_callback(key, body, now)
    tampered["body"] = base64.b64encode(body.replace(b"solved", b"open")).decode()
    assert json.loads(handler.handle(tampered, None)["body"]) == {
        "error": "signature does not match the body"
    }
    assert handler.handle(signed_callback("wrong-key", body, now), None)["statusCode"] == 401
    assert handler.handle(signed_callback(key, body, stale), None)["statusCode"] == 401
    unsigned = {"requestContext": {}, "body": body.decode()}
    assert handler.handle(unsigned, None)["statusCode"] == 401
    item = dynamodb.get_item(TableName=context_table, Key={"phoneNumber": {"S": "+1666"}})["Item"]
    assert (item["openTicketId"]["S"], item["ticketStatus"]["S"]) == ("", "solved")


def test_the_signature_authorizer_admits_only_fresh_signed_requests() -> None:
    fresh = str(int(time.time()))
    stale = str(int(time.time()) - MAX_SKEW_SECONDS - 5)

    def event(**headers: str) -> dict[str, Any]:
        return {"headers": headers}

    assert authorize(event(**{SIGNATURE_HEADER: "sig", TIMESTAMP_HEADER: fresh}), None) == {
        "isAuthorized": True
    }
    assert authorize(event(**{SIGNATURE_HEADER: "sig", TIMESTAMP_HEADER: stale}), None) == {
        "isAuthorized": False
    }
    assert authorize(event(**{TIMESTAMP_HEADER: fresh}), None) == {"isAuthorized": False}
    assert authorize(event(**{SIGNATURE_HEADER: "sig", TIMESTAMP_HEADER: "yesterday"}), None) == {
        "isAuthorized": False
    }
