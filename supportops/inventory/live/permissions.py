"""The IAM actions the collectors declare, and the read-only policy `comply --live permissions` prints.

Most API operations are authorised by the IAM action of the same name under the service's prefix; the
exceptions (S3 and API Gateway name their actions differently) are listed in ``ACTION_NAMES``."""

from __future__ import annotations

from typing import Any, Final

from supportops.inventory.live import collect, registry
from supportops.inventory.live.reader import Call

# boto3 service name -> IAM action prefix, where they differ.
IAM_PREFIX: Final = {
    "resourcegroupstaggingapi": "tag",
    "customer-profiles": "profile",
    "appintegrations": "app-integrations",
    "lexv2-models": "lex",
    "qconnect": "wisdom",
    "apigatewayv2": "apigateway",
    "accessanalyzer": "access-analyzer",
}

# Operations whose IAM action is not "<prefix>:<operation>".
ACTION_NAMES: Final[dict[Call, str]] = {
    ("s3", "ListBuckets"): "s3:ListAllMyBuckets",
    ("s3", "GetBucketEncryption"): "s3:GetEncryptionConfiguration",
    ("s3", "GetPublicAccessBlock"): "s3:GetBucketPublicAccessBlock",
    ("s3", "GetBucketLifecycleConfiguration"): "s3:GetLifecycleConfiguration",
    ("s3", "GetObjectLockConfiguration"): "s3:GetBucketObjectLockConfiguration",
    ("s3", "GetBucketReplication"): "s3:GetReplicationConfiguration",
}


def action(call: Call) -> str:
    service, operation = call
    named = ACTION_NAMES.get(call)
    if named is not None:
        return named
    if service == "apigatewayv2":
        return "apigateway:GET"  # API Gateway authorises by HTTP verb on the resource path
    return f"{IAM_PREFIX.get(service, service)}:{operation}"


def declared_calls() -> set[Call]:
    calls = set(collect.IDENTITY_CALLS)
    for module in (*registry.COLLECTORS, *registry.SUPPORT):
        calls.update(module.CALLS)
    return calls


def required_actions() -> list[str]:
    return sorted({action(call) for call in declared_calls()})


def read_only_policy() -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "SupportopsLiveRead", "Effect": "Allow", "Action": required_actions(), "Resource": "*"}
        ],
    }
