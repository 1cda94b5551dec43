"""DynamoDB tables (aws:dynamodb/table:Table) with their encryption, point-in-time recovery and TTL."""

from __future__ import annotations

from typing import Any, Final

from supportops.inventory.live.collector import Out, Unread
from supportops.inventory.live.reader import Reader
from supportops.inventory.model import UNKNOWN

SERVICE: Final = "dynamodb"
TABLE: Final = "aws:dynamodb/table:Table"
TYPES: Final = (TABLE,)
GLOBAL: Final = False
CALLS: Final = (
    ("dynamodb", "ListTables"),
    ("dynamodb", "DescribeTable"),
    ("dynamodb", "DescribeContinuousBackups"),
    ("dynamodb", "DescribeTimeToLive"),
)


def collect(read: Reader, out: Out) -> None:
    for name in read.pages("ListTables", "TableNames"):
        urn = out.urn(TABLE, name)
        got = out.sub(read, "DescribeTable", urn, absent=("ResourceNotFoundException",), TableName=name)
        if got is None:
            continue
        table: dict[str, Any] = {} if isinstance(got, Unread) else got["Table"]
        arn = (
            table.get("TableArn")
            or f"arn:{read.scope.partition}:dynamodb:{read.region}:{read.scope.account_id}:table/{name}"
        )
        inputs: dict[str, Any] = {"name": name, "arn": arn}
        if isinstance(got, Unread):
            inputs["serverSideEncryption"] = UNKNOWN
        else:
            sse = table.get("SSEDescription") or {}
            inputs["serverSideEncryption"] = {
                "enabled": sse.get("Status") in ("ENABLED", "ENABLING", "UPDATING")
                and sse.get("SSEType") == "KMS",
                "kmsKeyArn": sse.get("KMSMasterKeyArn"),
            }
            key_schema = {k["KeyType"]: k["AttributeName"] for k in table.get("KeySchema", [])}
            inputs["hashKey"] = key_schema.get("HASH")
            inputs["rangeKey"] = key_schema.get("RANGE")
            inputs["billingMode"] = (table.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")
            inputs["deletionProtectionEnabled"] = table.get("DeletionProtectionEnabled")
            inputs["attributes"] = [
                {"name": a["AttributeName"], "type": a["AttributeType"]}
                for a in table.get("AttributeDefinitions", [])
            ]
        backups = out.sub(read, "DescribeContinuousBackups", urn, TableName=name)
        if isinstance(backups, Unread):
            inputs["pointInTimeRecovery"] = UNKNOWN
        else:
            pitr = ((backups or {}).get("ContinuousBackupsDescription") or {}).get(
                "PointInTimeRecoveryDescription"
            ) or {}
            inputs["pointInTimeRecovery"] = {"enabled": pitr.get("PointInTimeRecoveryStatus") == "ENABLED"}
        ttl = out.sub(read, "DescribeTimeToLive", urn, TableName=name)
        if isinstance(ttl, Unread):
            inputs["ttl"] = UNKNOWN
        else:
            description = (ttl or {}).get("TimeToLiveDescription") or {}
            status = description.get("TimeToLiveStatus")
            inputs["ttl"] = {
                "enabled": status in ("ENABLED", "ENABLING"),
                "attributeName": description.get("AttributeName"),
            }
        tags = out.tags(arn)
        inputs["tags"] = tags
        inputs["tagsAll"] = tags
        out.add(TABLE, name, inputs, arn=arn)
