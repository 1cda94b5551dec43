"""Find a subject's data in one store: by key or prefix (cost grows with the subject's data), or by a
scan on one attribute where the data map says no key exists."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import BotoCoreError, ClientError

from supportops.runbooks.privacy.clients import AwsFailure, Clients
from supportops.runbooks.privacy.schema import EraseMode, Locate, Service
from supportops.runbooks.privacy.subject import Identifier
from supportops.runbooks.privacy.targets import Target
from supportops.stacks.functions.ticket_sync.http_client import HttpError

_DESERIALIZER = TypeDeserializer()


@dataclass(frozen=True)
class Hit:
    """One thing to erase. ``ref`` and ``content`` are personal data: journals and reports see only
    ``ref``'s keyed hash and ``checksum``."""

    store: str
    ref: str
    checksum: str
    key: dict[str, Any] | None = None  # DynamoDB key
    bucket_object: tuple[str, str, str] | None = None  # bucket, key, version id
    current: bool = False  # the object's latest version (exported)
    content: Any = None  # the item (DynamoDB), or None
    contact_ids: tuple[str, ...] = ()
    redact: tuple[str, ...] = ()  # attributes present that the store redacts
    crm_ticket: str | None = None
    profile_id: str | None = None


class NotSearched(AwsFailure):
    """The store could not be searched at all (no credential): ERROR, never nothing held."""


@dataclass
class StoreSearch:
    target: Target
    hits: list[Hit] = field(default_factory=list)
    calls: int = 0


def canonical_sha256(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def search(target: Target, identifiers: Iterable[Identifier], clients: Clients) -> StoreSearch:
    """Every hit of the identifiers in ``target`` (identifiers of kinds it is not located by are ignored)."""
    found = StoreSearch(target)
    if target.resource is None or target.store.erase is EraseMode.EXPIRE:
        return found
    wanted = sorted(set(identifiers))
    try:
        for way in target.store.locate:
            for identifier in (i for i in wanted if i.kind is way.by):
                if target.store.service is Service.DYNAMODB:
                    _dynamodb(found, way, identifier.value, clients)
                elif target.store.service is Service.PROFILES:
                    _profiles(found, way, identifier.value, clients)
                elif target.store.service is Service.CRM:
                    _crm(found, identifier.value, clients)
                else:
                    _s3(found, way, identifier.value, clients)
    except (ClientError, BotoCoreError, HttpError, OSError) as exc:
        raise AwsFailure(failure_message(exc)) from None
    unique: dict[str, Hit] = {hit.ref: hit for hit in found.hits}
    found.hits = list(unique.values())
    return found


def failure_message(exc: Exception) -> str:
    """What failed, without the request (a CRM URL carries the contact id)."""
    if isinstance(exc, HttpError):
        return f"the CRM answered HTTP {exc.status}"
    if isinstance(exc, OSError):
        return f"the CRM is unreachable ({type(exc).__name__})"
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"{error.get('Code', 'Error')} in {exc.operation_name}"
    return type(exc).__name__


def _dynamodb(found: StoreSearch, way: Locate, value: str, clients: Clients) -> None:
    store, table = found.target.store, found.target.resource
    dynamodb = clients("dynamodb")
    items: list[dict[str, Any]] = []
    if way.key is not None:
        key = {store.key_attribute: {"S": way.key.format(value=value)}}
        found.calls += 1
        item = dynamodb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")
        items = [item] if item else []
    else:
        request: dict[str, Any] = {
            "TableName": table,
            "FilterExpression": "#a = :v",
            "ConsistentRead": True,
            "ExpressionAttributeNames": {"#a": way.scan_attribute},
            "ExpressionAttributeValues": {":v": {"S": value}},
        }
        while True:
            found.calls += 1
            page = dynamodb.scan(**request)
            items += page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                break
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    for raw in items:
        item = {name: _DESERIALIZER.deserialize(v) for name, v in raw.items()}
        key_name = str(store.key_attribute)
        redact = tuple(a for a in store.redact_attributes if a in item)
        if store.erase is EraseMode.REDACT and not redact:
            continue  # already redacted: nothing erasable left
        contact_ids: tuple[str, ...] = ()
        if store.contact_ids_attribute and store.contact_ids_attribute in item:
            contact_ids = tuple(sorted(str(c) for c in item[store.contact_ids_attribute]))
        found.hits.append(
            Hit(
                store=store.name,
                ref=f"{table}/{item[key_name]}",
                checksum=canonical_sha256(item),
                key={key_name: raw[key_name]},
                content=item,
                contact_ids=contact_ids,
                redact=redact,
            )
        )


def _profiles(found: StoreSearch, way: Locate, value: str, clients: Clients) -> None:
    domain, profiles = str(found.target.resource), clients("customer-profiles")
    request: dict[str, Any] = {"DomainName": domain, "KeyName": way.search_key, "Values": [value]}
    while True:
        found.calls += 1
        page = profiles.search_profiles(**request)
        for profile in page.get("Items", []):
            found.hits.append(
                Hit(
                    store=found.target.store.name,
                    ref=f"profile:{domain}:{profile['ProfileId']}",
                    checksum=canonical_sha256(profile),
                    content=profile,
                    profile_id=str(profile["ProfileId"]),
                )
            )
        if not page.get("NextToken"):
            break
        request["NextToken"] = page["NextToken"]


def _crm(found: StoreSearch, contact_id: str, clients: Clients) -> None:
    if clients.crm is None:
        raise NotSearched("no CRM credential: set SUPPORTOPS_CRM_TOKEN (and --crm-url for a sandbox)")
    found.calls += 1
    for ticket in clients.crm.find(contact_id):
        found.hits.append(
            Hit(
                store=found.target.store.name,
                ref=f"crm:{found.target.resource}:{ticket.ticket_id}",
                checksum=canonical_sha256(ticket.content),
                content=ticket.content,
                crm_ticket=ticket.ticket_id,
            )
        )


def _s3(found: StoreSearch, way: Locate, value: str, clients: Clients) -> None:
    bucket, s3 = str(found.target.resource), clients("s3")
    prefix = str(way.prefix).format(value=value)
    request: dict[str, Any] = {"Bucket": bucket, "Prefix": prefix}
    while True:
        found.calls += 1
        page = s3.list_object_versions(**request)
        for entry in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]:
            key, version = entry["Key"], entry.get("VersionId") or "null"
            marker = "ETag" not in entry
            found.hits.append(
                Hit(
                    store=found.target.store.name,
                    ref=f"s3://{bucket}/{key}?versionId={version}",
                    checksum=canonical_sha256([entry.get("ETag", "delete-marker"), entry.get("Size", 0)]),
                    bucket_object=(bucket, key, version),
                    current=bool(entry.get("IsLatest")) and not marker,
                )
            )
        if not page.get("IsTruncated"):
            break
        request["KeyMarker"] = page.get("NextKeyMarker")
        request["VersionIdMarker"] = page.get("NextVersionIdMarker")


def read_object(hit: Hit, clients: Clients) -> dict[str, Any]:
    """The content of a current object version, for an export."""
    assert hit.bucket_object is not None
    bucket, key, version = hit.bucket_object
    try:
        response = clients("s3").get_object(Bucket=bucket, Key=key, VersionId=version)
        body = response["Body"].read()
    except (ClientError, BotoCoreError) as exc:
        raise AwsFailure(failure_message(exc)) from None
    return {
        "key": key,
        "versionId": version,
        "contentType": response.get("ContentType"),
        "base64": base64.b64encode(body).decode(),
    }
