"""Ticket sync against a local provider API: the exact requests each REST API expects, retries on
429/5xx with bounded backoff, and exactly one ticket per contact whatever is redelivered."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest

from supportops.stacks.functions.ticket_sync.events import ContactEvent
from supportops.stacks.functions.ticket_sync.http_client import HttpError
from supportops.stacks.functions.ticket_sync.idempotency import IdempotencyStore, InProgressElsewhere
from supportops.stacks.functions.ticket_sync.providers import Credential
from supportops.stacks.functions.ticket_sync.settings import Settings
from supportops.stacks.functions.ticket_sync.sync import TicketSync, ticket_client

CREDENTIAL = Credential(user="integration@example.com", token="s3cr3t-token")


def settings_for(provider: str, url: str, **overrides: Any) -> Settings:
    return Settings(
        provider=provider,
        instance="acme",
        secret_arn="arn:aws:secretsmanager:us-east-1:111122223333:secret:crm",
        idempotency_table="unused",
        context_table="unused",
        base_url=url,
        **overrides,
    )


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def zendesk_responder(tickets: dict[str, int]) -> Callable[[str, str, Any], tuple[int, dict[str, str], Any]]:
    """A stateful Zendesk: tickets by external id; POST creates, GET ?external_id= finds."""

    def respond(method: str, path: str, body: Any) -> tuple[int, dict[str, str], Any]:
        if method == "GET" and path.startswith("/api/v2/tickets.json?external_id="):
            external = path.split("=", 1)[1]
            found = [{"id": tickets[external]}] if external in tickets else []
            return 200, {}, {"tickets": found}
        if method == "POST" and path == "/api/v2/tickets.json":
            ticket_id = 1000 + len(tickets)
            tickets[body["ticket"]["external_id"]] = ticket_id
            return 201, {}, {"ticket": {"id": ticket_id}}
        if method == "PUT" and path.startswith("/api/v2/tickets/"):
            return 200, {}, {"ticket": {"id": int(path.split("/")[4].split(".")[0])}}
        return 404, {}, {"error": "not found"}

    return respond


@pytest.fixture
def store(dynamodb: Any, idempotency_table: str) -> IdempotencyStore:
    return IdempotencyStore(dynamodb, idempotency_table)


def test_zendesk_creates_then_updates_one_ticket_with_api_token_auth(
    provider_api: Any, store: IdempotencyStore, make_event: Callable[..., dict[str, Any]]
) -> None:
    tickets: dict[str, int] = {}
    provider_api.respond = zendesk_responder(tickets)
    sync = TicketSync(ticket_client(settings_for("zendesk", provider_api.url), CREDENTIAL), store)

    created = sync.process(ContactEvent.parse(make_event("c-1", "INITIATED")))
    updated = sync.process(ContactEvent.parse(make_event("c-1", "DISCONNECTED")))

    assert (created.action, created.ticket_id) == ("created", "1000")
    assert (updated.action, updated.ticket_id) == ("updated", "1000")
    assert provider_api.calls() == [
        ("GET", "/api/v2/tickets.json?external_id=c-1"),
        ("POST", "/api/v2/tickets.json"),
        ("PUT", "/api/v2/tickets/1000.json"),
    ]
    expected_auth = "Basic " + base64.b64encode(b"integration@example.com/token:s3cr3t-token").decode()
    assert {r.headers["Authorization"] for r in provider_api.requests} == {expected_auth}
    assert provider_api.requests[1].body == {
        "ticket": {
            "subject": "Voice contact c-1",
            "comment": {
                "body": "Amazon Connect INITIATED at 2026-11-23T10:00:00Z: inbound voice contact c-1 "
                "in queue q-critical",
                "public": False,
            },
            "external_id": "c-1",
            "tags": ["amazon-connect", "voice"],
        }
    }
    assert provider_api.requests[2].body == {
        "ticket": {
            "comment": {
                "body": "Amazon Connect DISCONNECTED at 2026-11-23T10:00:00Z: inbound voice contact c-1 "
                "in queue q-critical",
                "public": False,
            }
        }
    }


def test_redelivered_event_sends_nothing_and_creates_no_second_ticket(
    provider_api: Any, store: IdempotencyStore, make_event: Callable[..., dict[str, Any]]
) -> None:
    tickets: dict[str, int] = {}
    provider_api.respond = zendesk_responder(tickets)
    sync = TicketSync(ticket_client(settings_for("zendesk", provider_api.url), CREDENTIAL), store)
    event = ContactEvent.parse(make_event("c-2", "INITIATED"))

    first = sync.process(event)
    again = sync.process(event)

    assert first.action == "created"
    assert (again.action, again.ticket_id) == ("duplicate", first.ticket_id)
    assert [c for c in provider_api.calls() if c[0] == "POST"] == [("POST", "/api/v2/tickets.json")]
    assert tickets == {"c-2": 1000}


def test_a_crash_after_create_is_healed_by_the_external_id_lookup(
    provider_api: Any, store: IdempotencyStore, make_event: Callable[..., dict[str, Any]]
) -> None:
    """The ticket was created but the function died before recording it: the redelivery finds the
    ticket by external id and updates it instead of creating a second one."""
    tickets: dict[str, int] = {"c-3": 1042}  # made by the attempt that crashed
    provider_api.respond = zendesk_responder(tickets)
    sync = TicketSync(ticket_client(settings_for("zendesk", provider_api.url), CREDENTIAL), store)

    outcome = sync.process(ContactEvent.parse(make_event("c-3", "INITIATED")))

    assert (outcome.action, outcome.ticket_id) == ("updated", "1042")
    assert provider_api.calls() == [
        ("GET", "/api/v2/tickets.json?external_id=c-3"),
        ("PUT", "/api/v2/tickets/1042.json"),
    ]
    assert tickets == {"c-3": 1042}


def test_salesforce_upserts_the_case_by_external_id_with_a_bearer_token(
    provider_api: Any, store: IdempotencyStore, make_event: Callable[..., dict[str, Any]]
) -> None:
    provider_api.respond = lambda method, path, body: (201, {}, {"id": "500XX01", "success": True})
    sync = TicketSync(ticket_client(settings_for("salesforce", provider_api.url), CREDENTIAL), store)

    created = sync.process(ContactEvent.parse(make_event("c-4", "INITIATED")))
    sync.process(ContactEvent.parse(make_event("c-4", "DISCONNECTED")))

    path = "/services/data/v60.0/sobjects/Case/Connect_Contact_Id__c/c-4"
    assert created.ticket_id == "500XX01"
    assert provider_api.calls() == [("PATCH", path), ("PATCH", path)]
    assert {r.headers["Authorization"] for r in provider_api.requests} == {"Bearer s3cr3t-token"}
    assert provider_api.requests[0].body == {
        "Subject": "Voice contact c-4",
        "Description": "Amazon Connect INITIATED at 2026-11-23T10:00:00Z: inbound voice contact c-4 "
        "in queue q-critical",
        "Origin": "Phone",
        "Status": "New",
    }
    assert provider_api.requests[1].body["Status"] == "Closed"


def test_servicenow_queries_by_correlation_id_then_creates_an_incident_with_basic_auth(
    provider_api: Any, store: IdempotencyStore, make_event: Callable[..., dict[str, Any]]
) -> None:
    def respond(method: str, path: str, body: Any) -> tuple[int, dict[str, str], Any]:
        if method == "GET":
            return 200, {}, {"result": []}
        if method == "POST":
            return 201, {}, {"result": {"sys_id": "abc123"}}
        return 200, {}, {"result": {"sys_id": "abc123"}}

    provider_api.respond = respond
    sync = TicketSync(ticket_client(settings_for("servicenow", provider_api.url), CREDENTIAL), store)

    sync.process(ContactEvent.parse(make_event("c-5", "INITIATED")))
    sync.process(ContactEvent.parse(make_event("c-5", "DISCONNECTED")))

    assert provider_api.calls() == [
        (
            "GET",
            "/api/now/table/incident?sysparm_query=correlation_id%3Dc-5&sysparm_limit=1&sysparm_fields=sys_id",
        ),
        ("POST", "/api/now/table/incident"),
        ("PATCH", "/api/now/table/incident/abc123"),
    ]
    expected_auth = "Basic " + base64.b64encode(b"integration@example.com:s3cr3t-token").decode()
    assert {r.headers["Authorization"] for r in provider_api.requests} == {expected_auth}
    assert provider_api.requests[1].body == {
        "short_description": "Voice contact c-5",
        "description": "Amazon Connect INITIATED at 2026-11-23T10:00:00Z: inbound voice contact c-5 "
        "in queue q-critical",
        "correlation_id": "c-5",
        "contact_type": "phone",
    }
    assert set(provider_api.requests[2].body) == {"work_notes"}


def test_429_and_503_are_retried_with_bounded_backoff_and_retry_after(
    provider_api: Any, store: IdempotencyStore, make_event: Callable[..., dict[str, Any]]
) -> None:
    answers = iter(
        [
            (200, {}, {"tickets": []}),
            (429, {"Retry-After": "30"}, {"error": "rate limited"}),
            (503, {}, {"error": "unavailable"}),
            (201, {}, {"ticket": {"id": 7}}),
        ]
    )
    provider_api.respond = lambda method, path, body: next(answers)
    sleeps = Sleeps()
    settings = settings_for("zendesk", provider_api.url, backoff_base_seconds=0.5, backoff_cap_seconds=2.0)
    sync = TicketSync(ticket_client(settings, CREDENTIAL, sleep=sleeps), store)

    outcome = sync.process(ContactEvent.parse(make_event("c-6", "INITIATED")))

    assert (outcome.action, outcome.ticket_id) == ("created", "7")
    assert [c[0] for c in provider_api.calls()] == ["GET", "POST", "POST", "POST"]
    # Retry-After 30 s is capped at 2 s; the 503 backs off exponentially (0.5 * 2**1).
    assert sleeps == [2.0, 1.0]


def test_persistent_5xx_gives_up_after_max_attempts_and_a_redelivery_then_succeeds_once(
    provider_api: Any, store: IdempotencyStore, make_event: Callable[..., dict[str, Any]]
) -> None:
    tickets: dict[str, int] = {}
    healthy = zendesk_responder(tickets)
    provider_api.respond = lambda method, path, body: (
        (500, {}, {"error": "boom"}) if method == "POST" else healthy(method, path, body)
    )
    settings = settings_for("zendesk", provider_api.url, max_attempts=3)
    sync = TicketSync(ticket_client(settings, CREDENTIAL, sleep=Sleeps()), store)
    event = ContactEvent.parse(make_event("c-7", "INITIATED"))

    with pytest.raises(HttpError, match="HTTP 500"):
        sync.process(event)
    assert [c[0] for c in provider_api.calls()] == ["GET", "POST", "POST", "POST"]

    provider_api.respond = healthy
    outcome = sync.process(event)  # the claim was released, so the redelivery is processed
    assert outcome.action == "created"
    assert tickets == {"c-7": 1000}


def test_client_errors_are_not_retried(
    provider_api: Any, store: IdempotencyStore, make_event: Callable[..., dict[str, Any]]
) -> None:
    provider_api.respond = lambda method, path, body: (401, {}, {"error": "Couldn't authenticate you"})
    sync = TicketSync(
        ticket_client(settings_for("zendesk", provider_api.url), CREDENTIAL, sleep=Sleeps()), store
    )

    with pytest.raises(HttpError, match="HTTP 401"):
        sync.process(ContactEvent.parse(make_event("c-8", "INITIATED")))
    assert len(provider_api.requests) == 1


def test_an_event_claimed_by_a_live_invocation_is_left_for_later(
    store: IdempotencyStore, make_event: Callable[..., dict[str, Any]]
) -> None:
    assert store.begin("evt-busy") is True
    with pytest.raises(InProgressElsewhere):
        store.begin("evt-busy")


def test_settings_reject_unknown_providers_and_missing_variables() -> None:
    from supportops.stacks.functions.ticket_sync.settings import SettingsError

    base = {
        "CRM_PROVIDER": "zendesk",
        "CRM_INSTANCE": "acme",
        "CRM_SECRET_ARN": "arn",
        "IDEMPOTENCY_TABLE": "i",
        "CONTEXT_TABLE": "c",
    }
    assert Settings.from_env(base).api_base == "https://acme.zendesk.com"
    with pytest.raises(SettingsError, match="CRM_PROVIDER must be one of"):
        Settings.from_env({**base, "CRM_PROVIDER": "freshdesk"})
    with pytest.raises(SettingsError, match="CONTEXT_TABLE"):
        Settings.from_env({k: v for k, v in base.items() if k != "CONTEXT_TABLE"})
