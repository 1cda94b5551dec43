"""Ticketing callbacks (API Gateway HTTP API; JWT-authorized, or HMAC-signed and verified here):
record a ticket's status on the caller's customer-context item so the next call's lookup sees it."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import boto3

from .context_lookup import CONTEXT_KEY
from .settings import Settings
from .webhook_auth import verify


def _response(status: int, body: dict[str, str]) -> dict[str, Any]:
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}


def raw_body(event: dict[str, Any]) -> bytes:
    raw = event.get("body") or ""
    return base64.b64decode(raw) if event.get("isBase64Encoded") else raw.encode()


def parse_callback(body: bytes) -> dict[str, str]:
    payload = json.loads(body.decode())
    if not isinstance(payload, dict):
        raise ValueError("body is not a JSON object")
    fields = {k: payload.get(k) for k in ("phoneNumber", "ticketId", "status")}
    missing = [k for k, v in fields.items() if not isinstance(v, str) or not v]
    if missing:
        raise ValueError(f"missing fields: {', '.join(missing)}")
    return {k: str(v) for k, v in fields.items()}


def record_callback(
    dynamodb: Any, table: str, callback: dict[str, str], retention_days: int, now: float | None = None
) -> None:
    """Personal data: every write pushes the item's expiry (TTL) to the end of its retention."""
    open_ticket = callback["status"].lower() not in ("solved", "closed", "resolved")
    expires = int(time.time() if now is None else now) + retention_days * 86400
    dynamodb.update_item(
        TableName=table,
        Key={CONTEXT_KEY: {"S": callback["phoneNumber"]}},
        UpdateExpression="SET openTicketId = :t, ticketStatus = :s, expiresAt = :e",
        ExpressionAttributeValues={
            ":t": {"S": callback["ticketId"] if open_ticket else ""},
            ":s": {"S": callback["status"]},
            ":e": {"N": str(expires)},
        },
    )


def signing_key(secrets: Any, secret_arn: str) -> str:
    return str(secrets.get_secret_value(SecretId=secret_arn)["SecretString"])


def webhook_handler(event: dict[str, Any], _context: Any) -> dict[str, Any]:
    settings = Settings.from_env()
    try:
        body = raw_body(event)
    except ValueError as exc:
        return _response(400, {"error": str(exc)})
    if settings.webhook_signing_secret_arn:
        key = signing_key(boto3.client("secretsmanager"), settings.webhook_signing_secret_arn)
        problem = verify(key, event.get("headers"), body)
        if problem is not None:
            return _response(401, {"error": problem})
    try:
        callback = parse_callback(body)
    except (ValueError, UnicodeDecodeError) as exc:
        return _response(400, {"error": str(exc)})
    record_callback(
        boto3.client("dynamodb"), settings.context_table, callback, settings.context_retention_days
    )
    return _response(202, {"status": "recorded"})
