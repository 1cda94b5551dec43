"""The Connect flow's customer lookup: caller number -> support tier and name (a flat string map)."""

from __future__ import annotations

from typing import Any

CONTEXT_KEY = "phoneNumber"


def caller_number(event: Any) -> str | None:
    try:
        address = event["Details"]["ContactData"]["CustomerEndpoint"]["Address"]
    except (KeyError, TypeError):
        return None
    return address if isinstance(address, str) and address else None


def lookup(dynamodb: Any, table: str, event: Any, default_tier: str) -> dict[str, str]:
    number = caller_number(event)
    if number is None:
        return {"supportTier": default_tier, "known": "false"}
    item = dynamodb.get_item(TableName=table, Key={CONTEXT_KEY: {"S": number}}).get("Item")
    if not item:
        return {"supportTier": default_tier, "known": "false"}
    return {
        "supportTier": item.get("supportTier", {}).get("S", default_tier),
        "customerName": item.get("customerName", {}).get("S", ""),
        "openTicketId": item.get("openTicketId", {}).get("S", ""),
        "known": "true",
    }
