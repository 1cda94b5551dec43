"""Secrets Manager secrets (aws:secretsmanager/secret:Secret) and their rotation
(aws:secretsmanager/secretRotation:SecretRotation): ListSecrets returns key, rotation and tags, so
only the resource policy costs a call per secret. Secret values are never read."""

from __future__ import annotations

from typing import Any, Final

from supportops.inventory.live.collector import Out, Unread, tag_dict
from supportops.inventory.live.reader import Reader
from supportops.inventory.model import UNKNOWN

SERVICE: Final = "secretsmanager"
SECRET: Final = "aws:secretsmanager/secret:Secret"
ROTATION: Final = "aws:secretsmanager/secretRotation:SecretRotation"
TYPES: Final = (SECRET, ROTATION)
GLOBAL: Final = False
CALLS: Final = (("secretsmanager", "ListSecrets"), ("secretsmanager", "GetResourcePolicy"))


def collect(read: Reader, out: Out) -> None:
    for secret in read.pages("ListSecrets", "SecretList"):
        arn = secret["ARN"]
        name = secret["Name"]
        urn = out.urn(SECRET, arn)
        policy = out.sub(read, "GetResourcePolicy", urn, absent=("ResourceNotFoundException",), SecretId=arn)
        tags = tag_dict(secret.get("Tags"))
        out.add(
            SECRET,
            arn,
            {
                "name": name,
                "arn": arn,
                "description": secret.get("Description"),
                "kmsKeyId": secret.get("KmsKeyId"),
                "policy": UNKNOWN if isinstance(policy, Unread) else (policy or {}).get("ResourcePolicy"),
                "tags": tags,
                "tagsAll": tags,
            },
            arn=arn,
        )
        if secret.get("RotationEnabled"):
            rules: dict[str, Any] = {}
            given = secret.get("RotationRules") or {}
            if "AutomaticallyAfterDays" in given:
                rules["automaticallyAfterDays"] = given["AutomaticallyAfterDays"]
            if "ScheduleExpression" in given:
                rules["scheduleExpression"] = given["ScheduleExpression"]
            if "Duration" in given:
                rules["duration"] = given["Duration"]
            out.add(
                ROTATION,
                arn,
                {
                    "secretId": arn,
                    "rotationLambdaArn": secret.get("RotationLambdaARN"),
                    "rotationRules": rules,
                },
            )
