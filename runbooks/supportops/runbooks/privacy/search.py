"""Find a subject's data in one store: by key or prefix (cost grows with the subject's data), by a
scan on one attribute where the data map says no key exists, or by one Athena query over the lake."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import BotoCoreError, ClientError

from supportops.errors import BadInput
from supportops.runbooks.privacy.clients import AwsFailure, Clients
from supportops.runbooks.privacy.lake import contact_day, find_records, mentions
from supportops.runbooks.privacy.schema import EraseMode, IdKind, Locate, Service
from supportops.runbooks.privacy.subject import Identifier, parse_identifier
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
    contact_days: tuple[tuple[str, dt.date], ...] = ()  # (contact id, UTC day) where the day is known
    redact: tuple[str, ...] = ()  # attributes present that the store redacts
    crm_ticket: str | None = None
    profile_id: str | None = None
    subject_values: tuple[tuple[IdKind, str], ...] = ()  # lake: what marks a record as the subject's
    identities: tuple[Identifier, ...] = ()  # the subject's other identifiers its record holds


class NotSearched(AwsFailure):
    """The store could not be searched at all (no credential): ERROR, never nothing held."""


@dataclass
class StoreSearch:
    target: Target
    hits: list[Hit] = field(default_factory=list)
    calls: int = 0
    undated_contacts: set[str] = field(default_factory=set)  # no known day: every day was listed

    def count(self) -> None:
        self.calls += 1


@dataclass(frozen=True)
class SearchContext:
    """What earlier stores of the request told about the subject: each contact's days (Connect files
    recordings under the contact's day), and lake objects an earlier run rewrote (their older versions
    may still hold the subject after a crash, and Athena reads current versions only)."""

    contact_days: Mapping[str, frozenset[dt.date]] = field(default_factory=dict)
    rewritten_objects: tuple[str, ...] = ()


def canonical_sha256(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def search(
    target: Target,
    identifiers: Iterable[Identifier],
    clients: Clients,
    context: SearchContext | None = None,
) -> StoreSearch:
    """Every hit of the identifiers in ``target`` (identifiers of kinds it is not located by are ignored)."""
    found = StoreSearch(target)
    context = context or SearchContext()
    if target.resource is None or target.store.erase is EraseMode.EXPIRE:
        return found
    wanted = sorted(set(identifiers))
    try:
        if target.store.service is Service.LAKE:
            _lake(found, wanted, clients, context)
            return found
        for way in target.store.locate:
            values = [i.value for i in wanted if i.kind is way.by]
            if target.store.service is Service.S3:
                _s3(found, way, values, clients, context)
                continue
            for value in values:
                if target.store.service is Service.DYNAMODB:
                    _dynamodb(found, way, value, clients)
                elif target.store.service is Service.PROFILES:
                    _profiles(found, way, value, clients)
                else:
                    _crm(found, value, clients)
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
                identities=_identities(store.identifier_attributes, item),
            )
        )


def _identities(attributes: Mapping[IdKind, str], item: Mapping[str, Any]) -> tuple[Identifier, ...]:
    """The subject's identifiers its item records; a malformed stored value is skipped, never trusted."""
    found = []
    for kind, attribute in sorted(attributes.items()):
        value = item.get(attribute)
        if isinstance(value, str):
            try:
                found.append(parse_identifier(f"{kind.value}:{value}", attribute))
            except BadInput:
                continue
    return tuple(found)


def _profiles(found: StoreSearch, way: Locate, value: str, clients: Clients) -> None:
    domain, profiles = str(found.target.resource), clients("customer-profiles")
    request: dict[str, Any] = {"DomainName": domain, "KeyName": way.search_key, "Values": [value]}
    while True:
        found.calls += 1
        page = profiles.search_profiles(**request)
        for profile in page.get("Items", []):
            history = _contact_history(found, domain, str(profile["ProfileId"]), profiles)
            found.hits.append(
                Hit(
                    store=found.target.store.name,
                    ref=f"profile:{domain}:{profile['ProfileId']}",
                    checksum=canonical_sha256(profile),
                    content={**profile, "contactHistory": [dict(c) for c in history]} if history else profile,
                    profile_id=str(profile["ProfileId"]),
                    contact_ids=tuple(sorted({c["ContactId"] for c in history})),
                    contact_days=tuple(
                        sorted({(c["ContactId"], c["day"]) for c in history if c["day"] is not None})
                    ),
                )
            )
        if not page.get("NextToken"):
            break
        request["NextToken"] = page["NextToken"]


def _contact_history(found: StoreSearch, domain: str, profile_id: str, profiles: Any) -> list[dict[str, Any]]:
    """The contacts Customer Profiles recorded for a profile (Connect's CTR profile objects)."""
    history = found.target.store.contact_history
    if history is None:
        return []
    request: dict[str, Any] = {
        "DomainName": domain,
        "ObjectTypeName": history.object_type,
        "ProfileId": profile_id,
        "MaxResults": 100,
    }
    contacts: list[dict[str, Any]] = []
    while True:
        found.count()
        page = profiles.list_profile_objects(**request)
        for item in page.get("Items", []):
            try:
                record = json.loads(item.get("Object") or "{}")
            except ValueError:
                continue
            contact_id = record.get("ContactId") if isinstance(record, dict) else None
            if isinstance(contact_id, str) and contact_id:
                started = record.get("InitiationTimestamp")
                day = contact_day(started) if isinstance(started, str) else None
                contacts.append({"ContactId": contact_id, "day": day})
        if not page.get("NextToken"):
            return contacts
        request["NextToken"] = page["NextToken"]


def _lake(found: StoreSearch, wanted: list[Identifier], clients: Clients, context: SearchContext) -> None:
    target = found.target
    table, query = target.store.lake, target.lake_query
    if table is None or query is None:
        raise NotSearched("the lake's Glue database and Athena workgroup outputs were not given")
    columns = {way.by: str(way.column) for way in target.store.locate}
    values: dict[IdKind, list[str]] = {}
    for identifier in wanted:
        if identifier.kind in columns:
            values.setdefault(identifier.kind, []).append(identifier.value)
    subject = tuple(sorted((i.kind, i.value) for i in wanted if i.kind in table.record_fields))
    rows = find_records(
        clients("athena"), table, query.database, query.workgroup, values, columns, found.count
    )
    by_object: dict[tuple[str, str], list[tuple[str, dt.date | None]]] = {}
    for row in rows:
        by_object.setdefault((row.bucket, row.key), []).append((row.contact_id, row.day))
    for (bucket, key), contacts in sorted(by_object.items()):
        found.hits.append(
            Hit(
                store=target.store.name,
                ref=f"s3://{bucket}/{key}",
                checksum=canonical_sha256([key, sorted(c for c, _ in contacts)]),
                bucket_object=(bucket, key, ""),
                current=True,
                contact_ids=tuple(sorted({c for c, _ in contacts if c})),
                contact_days=tuple(sorted({(c, d) for c, d in contacts if c and d is not None})),
                subject_values=subject,
            )
        )
    # Objects an earlier run rewrote: Athena no longer sees the subject there, their old versions may.
    seen = {key for _, key in by_object}
    for key in context.rewritten_objects:
        if key not in seen and _still_holds(found, str(target.resource), key, subject, clients):
            found.hits.append(
                Hit(
                    store=target.store.name,
                    ref=f"s3://{target.resource}/{key}",
                    checksum=canonical_sha256([key, "versions"]),
                    bucket_object=(str(target.resource), key, ""),
                    subject_values=subject,
                )
            )


def _still_holds(
    found: StoreSearch, bucket: str, key: str, subject: tuple[tuple[IdKind, str], ...], clients: Clients
) -> bool:
    """A rewritten object still holds the subject if it has another version than the current one, or
    if its current version mentions any of the subject's values."""
    s3 = clients("s3")
    found.count()
    page = s3.list_object_versions(Bucket=bucket, Prefix=key, MaxKeys=10)
    entries = [e for e in [*page.get("Versions", []), *page.get("DeleteMarkers", [])] if e["Key"] == key]
    if len(entries) > 1 or page.get("IsTruncated"):
        return True
    if not entries or "ETag" not in entries[0]:
        return bool(entries)  # a lone delete marker is a version to remove
    found.count()
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    return mentions(body, [value for _, value in subject])


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


def _s3(found: StoreSearch, way: Locate, values: list[str], clients: Clients, context: SearchContext) -> None:
    template = str(way.prefix)
    if "{date}" not in template:
        for value in values:
            _s3_prefix(found, template.format(value=value), clients)
        return
    undated = []
    for value in values:
        days = context.contact_days.get(value, frozenset())
        if not days:
            undated.append(value)
            continue
        # Connect files a contact's objects under the UTC day they were written: the day it started,
        # or the next one for a contact that went on past midnight.
        for day in sorted({d + dt.timedelta(days=n) for d in days for n in (0, 1)}):
            _s3_prefix(found, template.format(value=value, date=day.strftime("%Y/%m/%d")), clients)
    if undated:
        _s3_every_day(found, template, undated, clients)


def _s3_every_day(found: StoreSearch, template: str, contacts: list[str], clients: Clients) -> None:
    """Contacts whose day nothing told: list the whole prefix before ``{date}`` once and keep the keys
    filed under any day for these contacts. Complete, but it costs a listing of every day the store
    keeps: the report says so."""
    found.undated_contacts.update(contacts)
    head, _, tail = template.partition("{date}")
    starts = {tail.format(value=c) for c in contacts}
    day_part = len("YYYY/MM/DD")
    _s3_prefix(found, head, clients, lambda key: key[len(head) + day_part :].startswith(tuple(starts)))


def _s3_prefix(
    found: StoreSearch, prefix: str, clients: Clients, keep: Callable[[str], bool] = lambda _key: True
) -> None:
    bucket, s3 = str(found.target.resource), clients("s3")
    request: dict[str, Any] = {"Bucket": bucket, "Prefix": prefix}
    while True:
        found.calls += 1
        page = s3.list_object_versions(**request)
        for entry in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]:
            if not keep(entry["Key"]):
                continue
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
