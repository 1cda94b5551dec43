"""Turn one contact event into a created or updated ticket, exactly once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .events import ContactEvent
from .http_client import JsonClient
from .idempotency import IdempotencyStore
from .providers import CLIENTS, Credential, TicketClient
from .settings import Settings


@dataclass(frozen=True)
class Outcome:
    event_id: str
    action: str  # created, updated, duplicate
    ticket_id: str | None


def read_credential(secrets: Any, secret_arn: str) -> Credential:
    value = json.loads(secrets.get_secret_value(SecretId=secret_arn)["SecretString"])
    return Credential(user=str(value["user"]), token=str(value["token"]))


def ticket_client(settings: Settings, credential: Credential, sleep: Any = None) -> TicketClient:
    client_type = CLIENTS[settings.provider]
    http = JsonClient(
        base_url=settings.api_base,
        headers=client_type.auth_header(credential),
        max_attempts=settings.max_attempts,
        backoff_base_seconds=settings.backoff_base_seconds,
        backoff_cap_seconds=settings.backoff_cap_seconds,
        timeout_seconds=settings.timeout_seconds,
        **({"sleep": sleep} if sleep is not None else {}),
    )
    return client_type(http)


class TicketSync:
    def __init__(self, client: TicketClient, store: IdempotencyStore) -> None:
        self.client = client
        self.store = store

    def process(self, event: ContactEvent) -> Outcome:
        if not self.store.begin(event.event_id):
            return Outcome(event.event_id, "duplicate", self.store.ticket_for(event.contact_id))
        try:
            ticket_id = self.store.ticket_for(event.contact_id) or self.client.find(event.contact_id)
            if ticket_id is None:
                ticket_id = self.client.create(event)
                action = "created"
            else:
                self.client.update(ticket_id, event)
                action = "updated"
            self.store.remember_ticket(event.contact_id, ticket_id)
        except Exception:
            self.store.release(event.event_id)
            raise
        self.store.complete(event.event_id)
        return Outcome(event.event_id, action, ticket_id)
