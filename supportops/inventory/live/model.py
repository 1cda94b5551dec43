"""What a live collection is: the targets read, the inventory produced, and the faults met.

A fault is never a verdict: it names the API call, the region and the principal that could not read,
so a report can show an ERROR instead of a PASS or FAIL built on missing data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import boto3

from supportops.inventory.model import Inventory, Resource

LIVE_PROJECT: Final = "live"
# Where a live resource's physical identity is kept (a state export's resource has `id` and `arn`).
ARN_OUTPUT: Final = "arn"


@dataclass(frozen=True)
class LiveTarget:
    """One account to read: its session (already the account's credentials), the account id when
    known (else STS tells), the regions, and an endpoint (the local moto server) if any."""

    account_session: boto3.Session
    account_id: str | None
    regions: tuple[str, ...]
    endpoint_url: str | None = None


@dataclass(frozen=True)
class CollectionFault:
    """One call that could not read: AccessDenied, throttled after retries, region disabled, API not
    implemented by the endpoint. ``subject`` is the URN of the one resource whose settings are
    incomplete because of it (its unread properties are unknown), None for a list call (the types it
    lists are missing from that region)."""

    service: str
    api_call: str
    region: str
    principal: str | None
    error_code: str
    message: str
    subject: str | None = None


@dataclass(frozen=True)
class LiveCollection:
    inventory: Inventory
    faults: tuple[CollectionFault, ...]
    uncollected_types: dict[str, str]  # type token -> why it is not in the inventory


def live_urn(account_id: str, region: str, type_token: str, physical_id: str) -> str:
    """A stable URN for a live resource: the same account, region, type and physical id always give
    the same URN, so two collections (and a drift report) line up. Global resources use region
    ``global``."""
    return f"urn:pulumi:{account_id}::{region}::{type_token}::{physical_id}"


@dataclass(frozen=True)
class LiveResource:
    """Identity helpers for matching a state resource to a live one (drift): by type, region and
    physical id, else by type and physical id, else by type and ARN. The region matters for per-region
    singletons whose id is the same everywhere (a Glue catalog's encryption settings: the account id)."""

    type: str
    physical_id: str
    arn: str | None = None
    region: str | None = None

    @staticmethod
    def of(resource: Resource) -> LiveResource:
        arn = resource.outputs.get(ARN_OUTPUT) if resource.outputs else None
        if not isinstance(arn, str):
            value = resource.inputs.get(ARN_OUTPUT)
            arn = value if isinstance(value, str) else None
        region = resource.region or resource.inputs.get("region")
        return LiveResource(
            resource.type, resource.id or "", arn, region if isinstance(region, str) else None
        )

    def identity_keys(self) -> tuple[tuple[str, str], ...]:
        """The lookup keys of this identity, most specific first."""
        found = []
        if self.physical_id and self.region:
            found.append((self.type, f"id:{self.region}:{self.physical_id}"))
        if self.physical_id:
            found.append((self.type, f"id:{self.physical_id}"))
        if self.arn:
            found.append((self.type, f"arn:{self.arn}"))
        return tuple(found)


def index_by_identity(resources: Sequence[Resource]) -> dict[tuple[str, str], Resource]:
    """Live resources by every identity key (see :meth:`LiveResource.identity_keys`)."""
    found: dict[tuple[str, str], Resource] = {}
    for resource in resources:
        for key in LiveResource.of(resource).identity_keys():
            found.setdefault(key, resource)
    return found


def match(state_resource: Resource, live: dict[tuple[str, str], Resource]) -> Resource | None:
    """The live resource a state (or planned) resource is, by type and id, else by type and ARN."""
    for key in LiveResource.of(state_resource).identity_keys():
        if key in live:
            return live[key]
    return None


JsonDict = dict[str, Any]
