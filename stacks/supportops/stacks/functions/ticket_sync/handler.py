"""Lambda entry points: SQS batches of contact events, and the Connect flow's customer lookup."""

from __future__ import annotations

import json
import logging
from typing import Any

import boto3

from .context_lookup import lookup
from .events import ContactEvent, EventError
from .idempotency import IdempotencyStore
from .settings import Settings
from .sync import TicketSync, read_credential, ticket_client

LOG = logging.getLogger()
LOG.setLevel(logging.INFO)


def process_batch(records: list[dict[str, Any]], sync: TicketSync) -> dict[str, list[dict[str, str]]]:
    """Partial batch response: only failed messages return to the queue (and, in the end, the DLQ)."""
    failures = []
    for record in records:
        try:
            outcome = sync.process(ContactEvent.parse(json.loads(record["body"])))
            LOG.info("event %s: %s ticket %s", outcome.event_id, outcome.action, outcome.ticket_id)
        except (EventError, json.JSONDecodeError) as exc:
            LOG.error("message %s is not a contact event: %s", record.get("messageId"), exc)
            failures.append({"itemIdentifier": record["messageId"]})
        except Exception as exc:  # each message fails alone
            LOG.error("message %s failed: %s", record.get("messageId"), exc)
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}


def sqs_handler(event: dict[str, Any], _context: Any) -> dict[str, list[dict[str, str]]]:
    settings = Settings.from_env()
    dynamodb = boto3.client("dynamodb")
    credential = read_credential(boto3.client("secretsmanager"), settings.secret_arn)
    sync = TicketSync(
        ticket_client(settings, credential), IdempotencyStore(dynamodb, settings.idempotency_table)
    )
    return process_batch(event.get("Records", []), sync)


def lookup_handler(event: dict[str, Any], _context: Any) -> dict[str, str]:
    settings = Settings.from_env()
    return lookup(boto3.client("dynamodb"), settings.context_table, event, settings.default_tier)


def handle(event: dict[str, Any], context: Any) -> Any:
    """One function, three callers: SQS (contact events), Connect flows (lookup), API Gateway."""
    if isinstance(event.get("Records"), list):
        return sqs_handler(event, context)
    if event.get("Name") == "ContactFlowEvent":
        return lookup_handler(event, context)
    if "requestContext" in event:
        from .webhook import webhook_handler

        return webhook_handler(event, context)
    raise ValueError("unrecognised event shape")
