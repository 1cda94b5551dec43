"""EventBridge buses (aws:cloudwatch/eventBus:EventBus), rules (aws:cloudwatch/eventRule:EventRule)
and their targets (aws:cloudwatch/eventTarget:EventTarget)."""

from __future__ import annotations

from typing import Any, Final

from supportops.inventory.live.collector import Out, Unread, camel, tag_dict
from supportops.inventory.live.reader import Reader
from supportops.inventory.model import UNKNOWN

SERVICE: Final = "events"
BUS: Final = "aws:cloudwatch/eventBus:EventBus"
RULE: Final = "aws:cloudwatch/eventRule:EventRule"
TARGET: Final = "aws:cloudwatch/eventTarget:EventTarget"
TYPES: Final = (BUS, RULE, TARGET)
GLOBAL: Final = False
CALLS: Final = (
    ("events", "ListEventBuses"),
    ("events", "DescribeEventBus"),
    ("events", "ListRules"),
    ("events", "ListTargetsByRule"),
    ("events", "ListTagsForResource"),
)


def _pages(read: Reader, operation: str, key: str, **params: Any) -> list[Any]:
    """ListEventBuses pages by NextToken without a botocore paginator."""
    return read.token_pages(operation, key, **params)


def collect(read: Reader, out: Out) -> None:
    for bus in _pages(read, "ListEventBuses", "EventBuses", Limit=100):
        name = bus["Name"]
        arn = bus.get("Arn")
        urn = out.urn(BUS, name)
        described = out.sub(read, "DescribeEventBus", urn, Name=name)
        kms = UNKNOWN if isinstance(described, Unread) else (described or {}).get("KmsKeyIdentifier")
        tags = out.tags(arn)
        out.add(
            BUS,
            name,
            {
                "name": name,
                "arn": arn,
                "kmsKeyIdentifier": kms,
                "policy": None if isinstance(described, Unread) else (described or {}).get("Policy"),
                "tags": tags,
                "tagsAll": tags,
            },
            arn=arn,
        )
        for rule in read.pages("ListRules", "Rules", EventBusName=name):
            rule_name = rule["Name"]
            rule_arn = rule.get("Arn")
            listed = out.sub(
                read, "ListTagsForResource", out.urn(RULE, f"{name}/{rule_name}"), ResourceARN=rule_arn
            )
            rule_tags = UNKNOWN if isinstance(listed, Unread) else tag_dict((listed or {}).get("Tags"))
            out.add(
                RULE,
                f"{name}/{rule_name}",
                {
                    "name": rule_name,
                    "arn": rule_arn,
                    "eventBusName": name,
                    "eventPattern": rule.get("EventPattern"),
                    "scheduleExpression": rule.get("ScheduleExpression"),
                    "state": rule.get("State"),
                    "description": rule.get("Description"),
                    "tags": rule_tags,
                    "tagsAll": rule_tags,
                },
                arn=rule_arn,
            )
            for target in read.pages("ListTargetsByRule", "Targets", Rule=rule_name, EventBusName=name):
                out.add(
                    TARGET,
                    f"{name}/{rule_name}/{target['Id']}",
                    {
                        "rule": rule_name,
                        "eventBusName": name,
                        "targetId": target["Id"],
                        "arn": target.get("Arn"),
                        "roleArn": target.get("RoleArn"),
                        "deadLetterConfig": camel(target.get("DeadLetterConfig")),
                        "retryPolicy": camel(target.get("RetryPolicy")),
                    },
                )
