"""HMAC-signed ticketing callbacks (Zendesk webhook signing: base64 HMAC-SHA256 of timestamp + body).

API Gateway's Lambda authorizer never sees the body, so checking is split: ``authorize`` (the route's
authorizer) turns away requests without a fresh signed timestamp, and the webhook handler verifies the
signature over the exact body before acting on it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

SIGNATURE_HEADER = "x-zendesk-webhook-signature"
TIMESTAMP_HEADER = "x-zendesk-webhook-signature-timestamp"
MAX_SKEW_SECONDS = 300  # replay window


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _epoch(timestamp: str) -> float | None:
    try:
        return float(timestamp) if timestamp.isdigit() else datetime.fromisoformat(timestamp).timestamp()
    except ValueError:
        return None


def _headers(raw: Mapping[str, Any] | None) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in (raw or {}).items()}


def fresh(timestamp: str, now: float) -> bool:
    moment = _epoch(timestamp)
    return moment is not None and abs(now - moment) <= MAX_SKEW_SECONDS


def verify(
    secret: str, headers: Mapping[str, Any] | None, body: bytes, now: float | None = None
) -> str | None:
    """None when the request is signed with ``secret`` within the replay window, else why not."""
    found = _headers(headers)
    timestamp, signature = found.get(TIMESTAMP_HEADER), found.get(SIGNATURE_HEADER)
    if not timestamp or not signature:
        return "missing signature headers"
    if not fresh(timestamp, time.time() if now is None else now):
        return "signature timestamp outside the replay window"
    if not hmac.compare_digest(sign(secret, timestamp, body), signature):
        return "signature does not match the body"
    return None


def authorize(event: dict[str, Any], _context: Any) -> dict[str, bool]:
    """HTTP API Lambda authorizer (payload 2.0, simple responses)."""
    found = _headers(event.get("headers"))
    timestamp = found.get(TIMESTAMP_HEADER, "")
    return {"isAuthorized": bool(found.get(SIGNATURE_HEADER)) and fresh(timestamp, time.time())}
