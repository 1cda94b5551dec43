"""KMS customer-managed keys (aws:kms/key:Key) and their aliases (aws:kms/alias:Alias)."""

from __future__ import annotations

from typing import Final

from supportops.inventory.live.collector import Out, Unread, pick, tag_dict
from supportops.inventory.live.reader import Reader
from supportops.inventory.model import UNKNOWN

SERVICE: Final = "kms"
KEY: Final = "aws:kms/key:Key"
ALIAS: Final = "aws:kms/alias:Alias"
TYPES: Final = (KEY, ALIAS)
GLOBAL: Final = False
CALLS: Final = (
    ("kms", "ListKeys"),
    ("kms", "DescribeKey"),
    ("kms", "GetKeyPolicy"),
    ("kms", "GetKeyRotationStatus"),
    ("kms", "ListResourceTags"),
    ("kms", "ListAliases"),
)


def collect(read: Reader, out: Out) -> None:
    customer_keys: set[str] = set()
    for listed in read.pages("ListKeys", "Keys"):
        key_id = listed["KeyId"]
        subject = out.urn(KEY, key_id)
        described = out.sub(read, "DescribeKey", subject, KeyId=key_id)
        if described is None or isinstance(described, Unread):
            continue  # a failed read is a fault naming the key
        meta = described["KeyMetadata"]
        if meta.get("KeyManager") != "CUSTOMER" or meta.get("KeyState") == "PendingDeletion":
            continue
        customer_keys.add(key_id)
        policy = out.sub(read, "GetKeyPolicy", subject, KeyId=key_id, PolicyName="default")
        rotation = out.sub(read, "GetKeyRotationStatus", subject, KeyId=key_id)
        tags = out.sub(read, "ListResourceTags", subject, KeyId=key_id)
        tag_map = UNKNOWN if isinstance(tags, Unread) else tag_dict(pick(tags, "Tags"), "TagKey", "TagValue")
        out.add(
            KEY,
            key_id,
            {
                "keyId": key_id,
                "arn": meta.get("Arn"),
                "description": meta.get("Description"),
                "keyUsage": meta.get("KeyUsage"),
                "customerMasterKeySpec": meta.get("KeySpec") or meta.get("CustomerMasterKeySpec"),
                "multiRegion": meta.get("MultiRegion"),
                "policy": pick(policy, "Policy"),
                "enableKeyRotation": pick(rotation, "KeyRotationEnabled"),
                "rotationPeriodInDays": pick(rotation, "RotationPeriodInDays"),
                # Only set while a deletion is pending (the stack's window is not readable otherwise).
                "deletionWindowInDays": meta.get("PendingDeletionWindowInDays"),
                "tags": tag_map,
                "tagsAll": tag_map,
            },
            arn=meta.get("Arn"),
        )
    for alias in read.pages("ListAliases", "Aliases"):
        target = alias.get("TargetKeyId")
        if target not in customer_keys:
            continue  # aliases of AWS-managed keys (alias/aws/...) are not the account's resources
        out.add(
            ALIAS,
            alias["AliasName"],
            {"name": alias["AliasName"], "targetKeyId": target, "arn": alias.get("AliasArn")},
            arn=alias.get("AliasArn"),
        )
