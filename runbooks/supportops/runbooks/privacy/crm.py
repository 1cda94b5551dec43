"""Tickets in the CRM, found by the Connect contact id the ticket-sync function stored as their
external id, and deleted. The request shapes are the ticket-sync providers' (same paths, auth headers
and external-id fields); the API base is the function's own (``Settings.api_base``)."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from typing import Any

from supportops.stacks.functions.ticket_sync.http_client import HttpError, JsonClient
from supportops.stacks.functions.ticket_sync.providers import (
    SALESFORCE_API_VERSION,
    Credential,
    SalesforceClient,
    ServiceNowClient,
    ZendeskClient,
)
from supportops.stacks.functions.ticket_sync.settings import Settings

TOKEN_ENV = "SUPPORTOPS_CRM_TOKEN"  # the CRM API credential: from the environment, never an argument


@dataclass(frozen=True)
class Ticket:
    ticket_id: str
    content: Any


@dataclass
class CrmGateway:
    provider: str
    http: JsonClient

    @classmethod
    def create(cls, provider: str, instance: str, user: str, token: str, base_url: str = "") -> CrmGateway:
        settings = Settings(provider, instance, "", "", "", base_url=base_url)
        credential = Credential(user, token)
        headers = {
            "zendesk": ZendeskClient.auth_header,
            "salesforce": SalesforceClient.auth_header,
            "servicenow": ServiceNowClient.auth_header,
        }[provider](credential)
        return cls(provider, JsonClient(settings.api_base, headers, max_attempts=4))

    def find(self, contact_id: str) -> list[Ticket]:
        if self.provider == "zendesk":
            query = urllib.parse.urlencode({"external_id": contact_id})
            body = self.http.request("GET", f"/api/v2/tickets.json?{query}").body
            return [Ticket(str(t["id"]), t) for t in (body.get("tickets") or [])]
        if self.provider == "servicenow":
            query = urllib.parse.urlencode({"sysparm_query": f"correlation_id={contact_id}"})
            body = self.http.request("GET", f"{ServiceNowClient.TABLE}?{query}").body
            return [Ticket(str(row["sys_id"]), row) for row in (body.get("result") or [])]
        try:
            record = self.http.request("GET", SalesforceClient(self.http)._path(contact_id)).body
        except HttpError as exc:
            if exc.status == 404:
                return []
            raise
        return [Ticket(str(record["Id"]), record)] if isinstance(record, dict) and record.get("Id") else []

    def delete(self, ticket_id: str) -> None:
        """Delete one ticket; one already gone (404) is done."""
        quoted = urllib.parse.quote(ticket_id, safe="")
        path = {
            "zendesk": f"/api/v2/tickets/{quoted}.json",
            "servicenow": f"{ServiceNowClient.TABLE}/{quoted}",
            "salesforce": f"/services/data/{SALESFORCE_API_VERSION}/sobjects/Case/{quoted}",
        }[self.provider]
        try:
            self.http.request("DELETE", path)
        except HttpError as exc:
            if exc.status != 404:
                raise
