"""Every AWS service that must use a customer-managed key to do its job is allowed to by that key's
policy: walked over every planned service -> key relation of the three phases, so that no phase needs a
manual grant after `pulumi up` (an alarm that cannot publish to its encrypted topic fails silently).

A relation is derived from what the plan says, not from a list kept beside it: an encrypted topic
that an alarm notifies needs CloudWatch on the topic's key; a queue or topic an EventBridge rule
targets needs EventBridge; an encrypted log group needs CloudWatch Logs of its region; a trail
needs CloudTrail; a Connect storage config needs Connect.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from supportops.inventory.model import Inventory, Resource

TOPIC = "aws:sns/topic:Topic"
QUEUE = "aws:sqs/queue:Queue"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"


def _key_services(inventories: list[Inventory]) -> dict[str, set[str]]:
    """Key ARN -> the service principals its key policy allows to use it."""
    allowed: dict[str, set[str]] = {}
    for inventory in inventories:
        for key in inventory.of_type("aws:kms/key:Key"):
            policy = key.prop("policy", None)
            document = json.loads(policy) if isinstance(policy, str) else policy
            services: set[str] = set()
            for statement in document["Statement"]:
                actions = (
                    statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                )
                uses = any(a in ("kms:*", "kms:GenerateDataKey*", "kms:Decrypt*") for a in actions)
                service = statement.get("Principal", {}).get("Service")
                if statement["Effect"] == "Allow" and uses and service:
                    services.update(service if isinstance(service, list) else [service])
            allowed[str(key.prop("arn"))] = services
    return allowed


def _arn(resource: Resource) -> str:
    return str(resource.prop("arn", ""))


def _relations(inventories: list[Inventory]) -> Iterator[tuple[str, str, str]]:
    """(consumer description, key ARN, service principal that must use the key)."""
    resources = [r for inventory in inventories for r in inventory]
    by_arn = {_arn(r): r for r in resources if _arn(r)}

    def key_of(resource: Resource) -> str | None:
        for path in ("kmsMasterKeyId", "kmsKeyId", "kmsKeyIdentifier"):
            value = resource.prop(path, None)
            if isinstance(value, str) and value.startswith("arn:aws:kms:"):
                return value
        return None

    def encrypted_targets(arns: Any) -> Iterator[Resource]:
        for arn in arns if isinstance(arns, list) else [arns]:
            target = by_arn.get(str(arn))
            if target is not None and target.type in (TOPIC, QUEUE) and key_of(target):
                yield target

    for resource in resources:
        if resource.type == ALARM:
            for path in ("alarmActions", "okActions", "insufficientDataActions"):
                for topic in encrypted_targets(resource.prop(path, [])):
                    yield (
                        f"alarm {resource.name} -> {topic.name}",
                        key_of(topic) or "",
                        "cloudwatch.amazonaws.com",
                    )
        elif resource.type == EVENT_TARGET:
            for target in encrypted_targets(resource.prop("arn", None)):
                yield (
                    f"event rule target {resource.name} -> {target.name}",
                    key_of(target) or "",
                    "events.amazonaws.com",
                )
        elif resource.type == SUBSCRIPTION and resource.prop("protocol", None) == "sqs":
            for queue in encrypted_targets(resource.prop("endpoint", None)):
                yield (
                    f"subscription {resource.name} -> {queue.name}",
                    key_of(queue) or "",
                    "sns.amazonaws.com",
                )
        elif resource.type == "aws:cloudwatch/logGroup:LogGroup" and key_of(resource):
            region = resource.region or str(resource.prop("region", "") or "")
            yield f"log group {resource.name}", key_of(resource) or "", f"logs.{region}.amazonaws.com"
        elif resource.type == "aws:cloudtrail/trail:Trail" and key_of(resource):
            yield f"trail {resource.name}", key_of(resource) or "", "cloudtrail.amazonaws.com"
        elif resource.type == "aws:connect/instanceStorageConfig:InstanceStorageConfig":
            config = resource.prop("storageConfig", {}) or {}
            for block in ("s3Config", "kinesisVideoStreamConfig"):
                key = ((config.get(block) or {}).get("encryptionConfig") or {}).get("keyId")
                if isinstance(key, str) and key.startswith("arn:aws:kms:"):
                    yield f"connect storage {resource.name}", key, "connect.amazonaws.com"


def test_every_service_that_uses_a_key_is_allowed_by_its_policy(
    foundation_plan: Inventory, automation_plan: Inventory, analytics_plan: Inventory
) -> None:
    inventories = [foundation_plan, automation_plan, analytics_plan]
    allowed = _key_services(inventories)
    relations = list(_relations(inventories))
    # The walk must find the relations the platform has, or it proves nothing.
    assert {service for _, _, service in relations} >= {
        "cloudwatch.amazonaws.com",
        "events.amazonaws.com",
        "cloudtrail.amazonaws.com",
        "connect.amazonaws.com",
        "logs.us-east-1.amazonaws.com",
    }
    missing = sorted(
        f"{consumer}: {service} may not use {key}"
        for consumer, key, service in relations
        if service not in allowed.get(key, set())
    )
    assert missing == []
