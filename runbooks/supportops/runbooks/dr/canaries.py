"""Canary items: the only writes a drill makes to a source table.

A canary lives at a fixed key in a dedicated range, ``<keyPrefix>#<slot>`` (slot 0..count-1), so it
is found and removed by key, never by scanning, and never collides with application keys. It carries
the drill id and its write time. Writes are conditional on the slot being empty *or holding this
drill's own canary*: botocore retries a write whose response was lost, and that retry must find its
own first attempt, not "another drill's leftover". Deletes are conditional on the canary marker
(nothing but a canary is ever deleted).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from supportops.runbooks.dr.aws import AWS_ERRORS, describe_error, error_code
from supportops.runbooks.dr.leftovers import CanarySite, SweepScope

DEFAULT_KEY_PREFIX = "supportops-dr-canary"
MARKER = "supportopsDrCanary"  # value: the drill id
WRITTEN_NS = "supportopsDrWrittenAtNs"
WRITTEN_AT = "supportopsDrWrittenAt"
MAX_SLOTS = 20  # schema bound on canaries.count; the sweep clears every slot


class CanaryConflict(Exception):
    """A slot holds another drill's canary (the step stops: ERROR, with a pointer to `dr cleanup`)."""

    def __init__(self, key: dict[str, Any], holder: str | None) -> None:
        super().__init__(
            f"a canary from drill {holder or '?'} is still in the source at {key_text(key)}: another drill "
            "is running or one crashed (run `supportops dr cleanup`)"
        )


def key_text(key: dict[str, Any]) -> str:
    return ", ".join(f"{name}={next(iter(value.values()))}" for name, value in sorted(key.items()))


def key_schema(table: dict[str, Any]) -> list[tuple[str, str]]:
    """[(attribute, type)] of the table's key, hash key first."""
    types = {a["AttributeName"]: a["AttributeType"] for a in table["AttributeDefinitions"]}
    ordered = sorted(table["KeySchema"], key=lambda k: 0 if k["KeyType"] == "HASH" else 1)
    return [(k["AttributeName"], types[k["AttributeName"]]) for k in ordered]


def canary_key(schema: list[tuple[str, str]], prefix: str, slot: int) -> dict[str, Any]:
    (hash_name, hash_type), *rest = schema
    if hash_type != "S":
        raise ValueError(f"canaries need a string partition key; {hash_name} is of type {hash_type}")
    key: dict[str, Any] = {hash_name: {"S": f"{prefix}#{slot}"}}
    for name, kind in rest:
        key[name] = {"S": f"{prefix}#{slot}"} if kind == "S" else ({"N": "0"} if kind == "N" else {"B": b"0"})
    return key


def put_canary(
    client: Any, table: str, key: dict[str, Any], drill_id: str, written: datetime, written_ns: int
) -> None:
    hash_name = next(iter(key))
    item = dict(key)
    item[MARKER] = {"S": drill_id}
    item[WRITTEN_NS] = {"N": str(written_ns)}
    item[WRITTEN_AT] = {"S": written.isoformat()}
    try:
        client.put_item(
            TableName=table,
            Item=item,
            # A retried write finds our own first attempt (same drill id): it overwrites it with the
            # same item. Only another drill's canary, or any non-canary item, refuses the write.
            ConditionExpression="attribute_not_exists(#k) OR #m = :drill",
            ExpressionAttributeNames={"#k": hash_name, "#m": MARKER},
            ExpressionAttributeValues={":drill": {"S": drill_id}},
        )
    except Exception as exc:
        if error_code(exc) == "ConditionalCheckFailedException":
            existing = client.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item", {})
            raise CanaryConflict(key, existing.get(MARKER, {}).get("S")) from None
        raise


def delete_canary(
    client: Any,
    table: str,
    key: dict[str, Any],
    *,
    drill_id: str | None = None,
    written_before_ns: int | None = None,
) -> bool:
    """Delete the canary at ``key`` if it is one (of ``drill_id`` / older than the cutoff when given).
    True when an item was deleted."""
    condition = "attribute_exists(#m)"
    values: dict[str, Any] = {}
    if drill_id is not None:
        condition += " AND #m = :drill"
        values[":drill"] = {"S": drill_id}
    if written_before_ns is not None:
        condition += " AND #t < :cutoff"
        values[":cutoff"] = {"N": str(written_before_ns)}
    names = {"#m": MARKER} | ({"#t": WRITTEN_NS} if written_before_ns is not None else {})
    kwargs: dict[str, Any] = {
        "TableName": table,
        "Key": key,
        "ConditionExpression": condition,
        "ExpressionAttributeNames": names,
    }
    if values:
        kwargs["ExpressionAttributeValues"] = values
    try:
        client.delete_item(**kwargs)
    except Exception as exc:
        if error_code(exc) == "ConditionalCheckFailedException":
            return False
        raise
    return True


def is_canary(item: dict[str, Any]) -> bool:
    return MARKER in item


def item_checksum(item: dict[str, Any]) -> str:
    """SHA-256 of an item in DynamoDB's wire format, attribute order independent."""
    return hashlib.sha256(json.dumps(item, sort_keys=True, default=_bytes).encode()).hexdigest()


def _bytes(value: object) -> str:
    if isinstance(value, bytes | bytearray):
        return value.hex()
    raise TypeError(f"cannot checksum {type(value).__name__}")


@dataclass(frozen=True)
class TableCanaries(CanarySite):
    """Canary slots ``<prefix>#0..MAX_SLOTS-1`` of a source table."""

    api_calls = ("dynamodb:DeleteItem", "dynamodb:DescribeTable", "dynamodb:GetItem")
    region: str
    table: str
    prefix: str = DEFAULT_KEY_PREFIX

    @property
    def sort_key(self) -> tuple[str, ...]:
        return ("dynamodb", self.table, self.prefix)

    def sweep(self, scope: SweepScope) -> None:
        ddb = scope.clients("dynamodb", scope.region)
        result = scope.result
        try:
            schema = key_schema(ddb.describe_table(TableName=self.table)["Table"])
            cutoff_ns = int(scope.cutoff.timestamp() * 1_000_000_000)
            for slot in range(MAX_SLOTS):
                key = canary_key(schema, self.prefix, slot)
                label = f"canary {key_text(key)} in table {self.table}"
                item = ddb.get_item(TableName=self.table, Key=key, ConsistentRead=True).get("Item")
                if item is None or not is_canary(item):
                    continue
                if scope.dry_run:
                    result.found.append(label)
                elif delete_canary(ddb, self.table, key, written_before_ns=cutoff_ns) or _gone(
                    ddb, self.table, key
                ):
                    # Gone after our delete: removed, also when botocore's retry of a delete whose
                    # response was lost was refused because the first attempt had removed it.
                    result.removed.append(label)
        except AWS_ERRORS as exc:
            if error_code(exc) == "ResourceNotFoundException":
                return  # a runbook's source that does not exist in this account/region: nothing there
            result.failed.append(f"canaries in table {self.table}: {describe_error(exc)}")
        except ValueError as exc:
            result.failed.append(f"canaries in table {self.table}: {exc}")


def _gone(client: Any, table: str, key: dict[str, Any]) -> bool:
    return client.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item") is None
