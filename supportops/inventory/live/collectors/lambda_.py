"""Lambda functions (aws:lambda/function:Function), the statements of their resource policies
(aws:lambda/permission:Permission) and event source mappings
(aws:lambda/eventSourceMapping:EventSourceMapping)."""

from __future__ import annotations

import json
from typing import Any, Final

from supportops.inventory.live.collector import Out, Unread
from supportops.inventory.live.reader import Reader

SERVICE: Final = "lambda"
FUNCTION: Final = "aws:lambda/function:Function"
PERMISSION: Final = "aws:lambda/permission:Permission"
EVENT_SOURCE_MAPPING: Final = "aws:lambda/eventSourceMapping:EventSourceMapping"
TYPES: Final = (FUNCTION, PERMISSION, EVENT_SOURCE_MAPPING)
GLOBAL: Final = False
CALLS: Final = (
    ("lambda", "ListFunctions"),
    ("lambda", "GetPolicy"),
    ("lambda", "ListEventSourceMappings"),
)


def _principal(value: Any) -> Any:
    if isinstance(value, dict):
        for key in ("Service", "AWS", "Federated"):
            if key in value:
                found = value[key]
                return found[0] if isinstance(found, list) and len(found) == 1 else found
    return value


def _source_arn(condition: Any) -> Any:
    if not isinstance(condition, dict):
        return None
    for operator in ("ArnLike", "ArnEquals", "StringEquals"):
        block = condition.get(operator) or {}
        if "AWS:SourceArn" in block:
            return block["AWS:SourceArn"]
    return None


def collect(read: Reader, out: Out) -> None:
    for function in read.pages("ListFunctions", "Functions"):
        name = function["FunctionName"]
        arn = function["FunctionArn"]
        variables = (function.get("Environment") or {}).get("Variables")
        tags = out.tags(arn)
        out.add(
            FUNCTION,
            name,
            {
                "name": name,
                "arn": arn,
                "runtime": function.get("Runtime"),
                "role": function.get("Role"),
                "handler": function.get("Handler"),
                "description": function.get("Description"),
                "kmsKeyArn": function.get("KMSKeyArn"),
                "environment": {"variables": variables} if variables else None,
                "memorySize": function.get("MemorySize"),
                "timeout": function.get("Timeout"),
                "tags": tags,
                "tagsAll": tags,
            },
            arn=arn,
        )
        policy = out.sub(
            read,
            "GetPolicy",
            out.urn(FUNCTION, name),
            absent=("ResourceNotFoundException",),
            FunctionName=name,
        )
        if isinstance(policy, Unread) or policy is None:
            continue
        try:
            statements = json.loads(policy.get("Policy") or "{}").get("Statement", [])
        except ValueError:
            statements = []
        for statement in statements if isinstance(statements, list) else []:
            sid = str(statement.get("Sid", ""))
            action = statement.get("Action")
            out.add(
                PERMISSION,
                f"{name}/{sid}",
                {
                    "function": name,
                    "statementId": sid,
                    "action": action[0] if isinstance(action, list) and len(action) == 1 else action,
                    "principal": _principal(statement.get("Principal")),
                    "sourceArn": _source_arn(statement.get("Condition")),
                },
            )
    for mapping in read.pages("ListEventSourceMappings", "EventSourceMappings"):
        uuid = mapping["UUID"]
        destination = ((mapping.get("DestinationConfig") or {}).get("OnFailure") or {}).get("Destination")
        out.add(
            EVENT_SOURCE_MAPPING,
            uuid,
            {
                "uuid": uuid,
                "eventSourceArn": mapping.get("EventSourceArn"),
                "functionName": mapping.get("FunctionArn"),
                "functionArn": mapping.get("FunctionArn"),
                "batchSize": mapping.get("BatchSize"),
                "functionResponseTypes": mapping.get("FunctionResponseTypes") or None,
                "destinationConfig": {"onFailure": {"destinationArn": destination}} if destination else None,
            },
            arn=mapping.get("EventSourceMappingArn"),
        )
