"""Amazon Connect contact events (EventBridge "Amazon Connect Contact Event") as typed values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Events after which the contact is over (the ticket is marked closed where the provider has a status).
CLOSING_EVENTS = frozenset({"DISCONNECTED", "CONTACT_DATA_UPDATED", "COMPLETED"})


class EventError(ValueError):
    """An event this function cannot turn into a ticket (it goes to the DLQ after retries)."""


@dataclass(frozen=True)
class ContactEvent:
    event_id: str  # EventBridge's id: the idempotency key of this delivery
    contact_id: str
    event_type: str
    channel: str
    queue: str
    initiation_method: str
    time: str

    @property
    def closes_contact(self) -> bool:
        return self.event_type in CLOSING_EVENTS

    @classmethod
    def parse(cls, event: Any) -> ContactEvent:
        if not isinstance(event, dict):
            raise EventError("event is not a JSON object")
        detail = event.get("detail")
        if not isinstance(detail, dict):
            raise EventError("event has no detail object")
        for key in ("contactId", "eventType"):
            if not isinstance(detail.get(key), str) or not detail[key]:
                raise EventError(f"event detail has no {key}")
        if not isinstance(event.get("id"), str) or not event["id"]:
            raise EventError("event has no id")
        queue = detail.get("queueInfo") or {}
        return cls(
            event_id=event["id"],
            contact_id=detail["contactId"],
            event_type=detail["eventType"],
            channel=str(detail.get("channel", "VOICE")),
            queue=str(queue.get("queueArn", "")).rsplit("/", 1)[-1] if isinstance(queue, dict) else "",
            initiation_method=str(detail.get("initiationMethod", "INBOUND")),
            time=str(event.get("time", "")),
        )

    def subject(self) -> str:
        return f"{self.channel.title()} contact {self.contact_id}"

    def summary(self) -> str:
        return (
            f"Amazon Connect {self.event_type} at {self.time}: {self.initiation_method.lower()} "
            f"{self.channel.lower()} contact {self.contact_id}"
            + (f" in queue {self.queue}" if self.queue else "")
        )
