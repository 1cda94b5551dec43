"""Ticket clients for the three providers' REST APIs: find by external id, create, update.

Every ticket carries the Connect contact id as its external id (Zendesk ``external_id``,
ServiceNow ``correlation_id``, Salesforce external-id field used for upsert), so a contact maps to
exactly one ticket even if the function dies between creating it and recording it.
"""

from __future__ import annotations

import base64
import urllib.parse
from dataclasses import dataclass
from typing import Protocol

from .events import ContactEvent
from .http_client import JsonClient

SALESFORCE_API_VERSION = "v60.0"
SALESFORCE_EXTERNAL_ID_FIELD = "Connect_Contact_Id__c"


class TicketClient(Protocol):
    def find(self, contact_id: str) -> str | None: ...

    def create(self, event: ContactEvent) -> str: ...

    def update(self, ticket_id: str, event: ContactEvent) -> None: ...


@dataclass(frozen=True)
class Credential:
    user: str
    token: str


def basic_auth(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class ZendeskClient:
    """Zendesk Support API v2: API-token auth (``{email}/token:{token}``)."""

    def __init__(self, http: JsonClient) -> None:
        self.http = http

    @staticmethod
    def auth_header(credential: Credential) -> dict[str, str]:
        return {"Authorization": basic_auth(f"{credential.user}/token", credential.token)}

    def find(self, contact_id: str) -> str | None:
        query = urllib.parse.urlencode({"external_id": contact_id})
        tickets = self.http.request("GET", f"/api/v2/tickets.json?{query}").body.get("tickets") or []
        return str(tickets[0]["id"]) if tickets else None

    def create(self, event: ContactEvent) -> str:
        body = {
            "ticket": {
                "subject": event.subject(),
                "comment": {"body": event.summary(), "public": False},
                "external_id": event.contact_id,
                "tags": ["amazon-connect", event.channel.lower()],
            }
        }
        return str(self.http.request("POST", "/api/v2/tickets.json", body).body["ticket"]["id"])

    def update(self, ticket_id: str, event: ContactEvent) -> None:
        body = {"ticket": {"comment": {"body": event.summary(), "public": False}}}
        self.http.request("PUT", f"/api/v2/tickets/{ticket_id}.json", body)


class SalesforceClient:
    """Salesforce REST API: Case upsert by an external-id field (create and update are one call)."""

    def __init__(self, http: JsonClient) -> None:
        self.http = http

    @staticmethod
    def auth_header(credential: Credential) -> dict[str, str]:
        return {"Authorization": f"Bearer {credential.token}"}

    def _path(self, contact_id: str) -> str:
        quoted = urllib.parse.quote(contact_id, safe="")
        return (
            f"/services/data/{SALESFORCE_API_VERSION}/sobjects/Case/{SALESFORCE_EXTERNAL_ID_FIELD}/{quoted}"
        )

    def find(self, contact_id: str) -> str | None:
        return None  # upsert by external id is already idempotent

    def create(self, event: ContactEvent) -> str:
        body = {
            "Subject": event.subject(),
            "Description": event.summary(),
            "Origin": "Phone" if event.channel == "VOICE" else "Chat",
            "Status": "New",
        }
        response = self.http.request("PATCH", self._path(event.contact_id), body)
        return str(response.body["id"]) if isinstance(response.body, dict) else event.contact_id

    def update(self, ticket_id: str, event: ContactEvent) -> None:
        body = {"Description": event.summary(), "Status": "Working" if not event.closes_contact else "Closed"}
        self.http.request("PATCH", self._path(event.contact_id), body)


class ServiceNowClient:
    """ServiceNow Table API on ``incident``: basic auth, ``correlation_id`` as the external id."""

    TABLE = "/api/now/table/incident"

    def __init__(self, http: JsonClient) -> None:
        self.http = http

    @staticmethod
    def auth_header(credential: Credential) -> dict[str, str]:
        return {"Authorization": basic_auth(credential.user, credential.token)}

    def find(self, contact_id: str) -> str | None:
        query = urllib.parse.urlencode(
            {
                "sysparm_query": f"correlation_id={contact_id}",
                "sysparm_limit": "1",
                "sysparm_fields": "sys_id",
            }
        )
        rows = self.http.request("GET", f"{self.TABLE}?{query}").body.get("result") or []
        return str(rows[0]["sys_id"]) if rows else None

    def create(self, event: ContactEvent) -> str:
        body = {
            "short_description": event.subject(),
            "description": event.summary(),
            "correlation_id": event.contact_id,
            "contact_type": "phone" if event.channel == "VOICE" else "chat",
        }
        return str(self.http.request("POST", self.TABLE, body).body["result"]["sys_id"])

    def update(self, ticket_id: str, event: ContactEvent) -> None:
        self.http.request("PATCH", f"{self.TABLE}/{ticket_id}", {"work_notes": event.summary()})


CLIENTS: dict[str, type[ZendeskClient] | type[SalesforceClient] | type[ServiceNowClient]] = {
    "zendesk": ZendeskClient,
    "salesforce": SalesforceClient,
    "servicenow": ServiceNowClient,
}
