"""Idempotency through DynamoDB: each event id is processed once; each contact maps to one ticket.

Items: ``event#<id>`` (status IN_PROGRESS/COMPLETED, expiresAt TTL) and ``contact#<id>`` (ticketId).
A redelivered COMPLETED event does nothing; an IN_PROGRESS one whose lock expired (the previous
attempt died) is taken over, and the provider lookup by external id then finds any ticket it made.
"""

from __future__ import annotations

import time
from typing import Any

from botocore.exceptions import ClientError

KEY = "idempotencyKey"
TTL_ATTRIBUTE = "expiresAt"
RECORD_DAYS = 7
LOCK_SECONDS = 120


class InProgressElsewhere(RuntimeError):
    """Another invocation holds this event; the message is retried later."""


class IdempotencyStore:
    def __init__(self, dynamodb: Any, table: str, clock: Any = time.time) -> None:
        self.dynamodb = dynamodb
        self.table = table
        self.clock = clock

    def begin(self, event_id: str) -> bool:
        """Claim the event; False if it was already completed."""
        now = int(self.clock())
        try:
            self.dynamodb.put_item(
                TableName=self.table,
                Item={
                    KEY: {"S": f"event#{event_id}"},
                    "status": {"S": "IN_PROGRESS"},
                    "lockedUntil": {"N": str(now + LOCK_SECONDS)},
                    TTL_ATTRIBUTE: {"N": str(now + RECORD_DAYS * 86400)},
                },
                ConditionExpression="attribute_not_exists(#k) OR (#s = :busy AND lockedUntil < :now)",
                ExpressionAttributeNames={"#k": KEY, "#s": "status"},
                ExpressionAttributeValues={":busy": {"S": "IN_PROGRESS"}, ":now": {"N": str(now)}},
            )
            return True
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
        item = self.dynamodb.get_item(
            TableName=self.table, Key={KEY: {"S": f"event#{event_id}"}}, ConsistentRead=True
        ).get("Item", {})
        if item.get("status", {}).get("S") == "COMPLETED":
            return False
        raise InProgressElsewhere(f"event {event_id} is being processed by another invocation")

    def complete(self, event_id: str) -> None:
        self.dynamodb.update_item(
            TableName=self.table,
            Key={KEY: {"S": f"event#{event_id}"}},
            UpdateExpression="SET #s = :done REMOVE lockedUntil",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":done": {"S": "COMPLETED"}},
        )

    def release(self, event_id: str) -> None:
        """Give the claim back after a failure so a redelivery can retry at once."""
        self.dynamodb.delete_item(
            TableName=self.table,
            Key={KEY: {"S": f"event#{event_id}"}},
            ConditionExpression="#s = :busy",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":busy": {"S": "IN_PROGRESS"}},
        )

    def ticket_for(self, contact_id: str) -> str | None:
        item = self.dynamodb.get_item(
            TableName=self.table, Key={KEY: {"S": f"contact#{contact_id}"}}, ConsistentRead=True
        ).get("Item")
        return item["ticketId"]["S"] if item else None

    def remember_ticket(self, contact_id: str, ticket_id: str) -> None:
        now = int(self.clock())
        self.dynamodb.put_item(
            TableName=self.table,
            Item={
                KEY: {"S": f"contact#{contact_id}"},
                "ticketId": {"S": ticket_id},
                TTL_ATTRIBUTE: {"N": str(now + RECORD_DAYS * 86400)},
            },
        )
