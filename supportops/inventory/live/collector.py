"""What a collector module is, and the output it writes into.

A collector module (one per AWS service) has ``SERVICE`` (the boto3 service name), ``CALLS`` (every
(service, operation) it may call: its declared permissions), ``TYPES`` (the type tokens it produces),
``GLOBAL`` (read once per account rather than once per region) and ``collect(read, out)``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final, Protocol

from supportops.inventory.live.model import ARN_OUTPUT, CollectionFault, live_urn
from supportops.inventory.live.reader import Call, CallFailed, Reader, Scope
from supportops.inventory.model import UNKNOWN, Resource

GLOBAL_REGION: Final = "global"


class CollectorModule(Protocol):
    SERVICE: str
    CALLS: tuple[Call, ...]
    TYPES: tuple[str, ...]
    GLOBAL: bool

    def collect(self, read: Reader, out: Out) -> None: ...


class Unread:
    """A per-resource call that failed (its fault is recorded): the property it feeds is unknown."""

    def __repr__(self) -> str:
        return "UNREAD"


UNREAD: Final = Unread()


class Out:
    """Where a collector puts resources (and the faults of its per-resource calls)."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.resources: list[Resource] = []
        self.faults: list[CollectionFault] = []

    def add(
        self,
        type_token: str,
        physical_id: str,
        inputs: Mapping[str, Any],
        *,
        arn: str | None = None,
        region: str | None = None,
        dependencies: tuple[str, ...] = (),
    ) -> Resource:
        region = region or self.scope.region
        urn = live_urn(self.scope.account_id, region, type_token, physical_id)
        resource = Resource(
            urn=urn,
            type=type_token,
            name=physical_id,
            inputs={k: v for k, v in inputs.items() if v is not None},
            outputs={ARN_OUTPUT: arn} if arn else {},
            id=physical_id,
            region=None if region == GLOBAL_REGION else region,
            dependencies=list(dependencies),
        )
        self.resources.append(resource)
        return resource

    def sub(
        self, read: Reader, operation: str, subject: str, *, absent: tuple[str, ...] = (), **params: Any
    ) -> dict[str, Any] | Unread | None:
        """A per-resource call: its response, None when absent, UNREAD when it failed (recorded)."""
        try:
            return read.call(operation, absent=absent, subject=subject, **params)
        except CallFailed as failed:
            self.faults.append(failed.fault)
            return UNREAD

    def tags(self, arn: str | None) -> Any:
        """The tags of the resource with this ARN (from the region's tag index)."""
        from supportops.inventory.live.tagging import tag_index  # tagging imports this module

        return tag_index(self.scope, self.faults).of(arn)

    def urn(self, type_token: str, physical_id: str, region: str | None = None) -> str:
        return live_urn(self.scope.account_id, region or self.scope.region, type_token, physical_id)


def or_unknown(value: Any) -> Any:
    """UNKNOWN for a value a failed call did not read."""
    return UNKNOWN if isinstance(value, Unread) else value


def pick(response: dict[str, Any] | Unread | None, key: str) -> Any:
    """A key of a per-resource response: UNKNOWN when the call failed, None when absent."""
    if isinstance(response, Unread):
        return UNKNOWN
    return (response or {}).get(key)


def tag_dict(tags: Any, key: str = "Key", value: str = "Value") -> dict[str, str]:
    """AWS tag lists ([{Key, Value}]) or maps as one dict."""
    if isinstance(tags, Mapping):
        return {str(k): str(v) for k, v in tags.items()}
    out: dict[str, str] = {}
    for item in tags or ():
        if isinstance(item, Mapping) and key in item:
            out[str(item[key])] = str(item.get(value, ""))
    return out


def policy_text(document: Any) -> str | None:
    """A policy document as JSON text (IAM returns some decoded, some URL-encoded or as dicts)."""
    if document is None:
        return None
    if isinstance(document, str):
        return document
    return json.dumps(document)


def camel(value: Any) -> Any:
    """An AWS response structure with camelCase keys (Pulumi's input naming: ``KmsKeyId`` ->
    ``kmsKeyId``, ``SSEAlgorithm`` -> ``sseAlgorithm``)."""
    if isinstance(value, Mapping):
        return {camel_key(str(k)): camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel(v) for v in value]
    return value


def camel_key(key: str) -> str:
    if not key:
        return key
    # Leading acronym (SSEAlgorithm -> sseAlgorithm, KMSMasterKeyID -> kmsMasterKeyID).
    i = 0
    while i < len(key) and key[i].isupper():
        i += 1
    if i <= 1:
        out = key[0].lower() + key[1:]
        return out[:-2] + "Id" if out.endswith("ID") else out
    if i == len(key):
        return key.lower()
    out = key[: i - 1].lower() + key[i - 1 :]
    # Pulumi writes a trailing "ID" as "Id" (KMSMasterKeyID -> kmsMasterKeyId).
    return out[:-2] + "Id" if out.endswith("ID") else out
