"""S3 buckets, split the way pulumi-aws 7 splits them: a bucket plus one resource per setting it has
(encryption, versioning, public access block, ownership, policy, lifecycle, logging, object lock,
replication, website), each naming the bucket in its ``bucket`` input as the rules' relation index
expects. A setting that is not configured is absent; a setting that could not be read is present with
unknown values (and a fault), so no rule passes or fails on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from supportops.inventory.live.collector import UNREAD, Out, Unread, camel, or_unknown, tag_dict
from supportops.inventory.live.reader import Reader
from supportops.inventory.model import UNKNOWN

SERVICE: Final = "s3"
BUCKET: Final = "aws:s3/bucket:Bucket"
ENCRYPTION: Final = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
VERSIONING: Final = "aws:s3/bucketVersioning:BucketVersioning"
PUBLIC_ACCESS_BLOCK: Final = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
OWNERSHIP: Final = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
POLICY: Final = "aws:s3/bucketPolicy:BucketPolicy"
LIFECYCLE: Final = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
LOGGING: Final = "aws:s3/bucketLogging:BucketLogging"
OBJECT_LOCK: Final = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
REPLICATION: Final = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
WEBSITE: Final = "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration"
TYPES: Final = (
    BUCKET,
    ENCRYPTION,
    VERSIONING,
    PUBLIC_ACCESS_BLOCK,
    OWNERSHIP,
    POLICY,
    LIFECYCLE,
    LOGGING,
    OBJECT_LOCK,
    REPLICATION,
    WEBSITE,
)
GLOBAL: Final = True  # one ListBuckets per account; each bucket is then read in its own region
CALLS: Final = (
    ("s3", "ListBuckets"),
    ("s3", "GetBucketLocation"),
    ("s3", "GetBucketTagging"),
    ("s3", "GetBucketEncryption"),
    ("s3", "GetBucketVersioning"),
    ("s3", "GetPublicAccessBlock"),
    ("s3", "GetBucketOwnershipControls"),
    ("s3", "GetBucketPolicy"),
    ("s3", "GetBucketLifecycleConfiguration"),
    ("s3", "GetBucketLogging"),
    ("s3", "GetObjectLockConfiguration"),
    ("s3", "GetBucketReplication"),
    ("s3", "GetBucketWebsite"),
)

Settings = Callable[[dict[str, Any]], dict[str, Any] | None]


def _encryption(response: dict[str, Any]) -> dict[str, Any] | None:
    rules = response.get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
    return {"rules": camel(rules)}


def _versioning(response: dict[str, Any]) -> dict[str, Any] | None:
    if "Status" not in response:
        return None  # never enabled: S3 has no versioning configuration for the bucket
    config = {"status": response["Status"]}
    if "MFADelete" in response:
        config["mfaDelete"] = response["MFADelete"]
    return {"versioningConfiguration": config}


def _public_access_block(response: dict[str, Any]) -> dict[str, Any] | None:
    return camel(response.get("PublicAccessBlockConfiguration", {}))  # type: ignore[no-any-return]


def _ownership(response: dict[str, Any]) -> dict[str, Any] | None:
    rules = response.get("OwnershipControls", {}).get("Rules", [])
    return {"rule": camel(rules[0])} if rules else None


def _policy(response: dict[str, Any]) -> dict[str, Any] | None:
    return {"policy": response.get("Policy")}


def _lifecycle(response: dict[str, Any]) -> dict[str, Any] | None:
    return {"rules": camel(response.get("Rules", []))}


def _logging(response: dict[str, Any]) -> dict[str, Any] | None:
    enabled = response.get("LoggingEnabled")
    if not enabled:
        return None
    return {"targetBucket": enabled.get("TargetBucket"), "targetPrefix": enabled.get("TargetPrefix")}


def _object_lock(response: dict[str, Any]) -> dict[str, Any] | None:
    config = response.get("ObjectLockConfiguration", {})
    if "Rule" not in config:
        return None  # object lock enabled without a default retention: no configuration resource
    return {"objectLockEnabled": config.get("ObjectLockEnabled"), "rule": camel(config["Rule"])}


def _replication(response: dict[str, Any]) -> dict[str, Any] | None:
    config = response.get("ReplicationConfiguration", {})
    return {"role": config.get("Role"), "rules": camel(config.get("Rules", []))}


def _website(response: dict[str, Any]) -> dict[str, Any] | None:
    body = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    return camel(body)  # type: ignore[no-any-return]


# (type, operation, error codes meaning "not configured", settings builder)
SETTINGS: Final[tuple[tuple[str, str, tuple[str, ...], Settings], ...]] = (
    (ENCRYPTION, "GetBucketEncryption", ("ServerSideEncryptionConfigurationNotFoundError",), _encryption),
    (VERSIONING, "GetBucketVersioning", (), _versioning),
    (
        PUBLIC_ACCESS_BLOCK,
        "GetPublicAccessBlock",
        ("NoSuchPublicAccessBlockConfiguration",),
        _public_access_block,
    ),
    (OWNERSHIP, "GetBucketOwnershipControls", ("OwnershipControlsNotFoundError",), _ownership),
    (POLICY, "GetBucketPolicy", ("NoSuchBucketPolicy",), _policy),
    (LIFECYCLE, "GetBucketLifecycleConfiguration", ("NoSuchLifecycleConfiguration",), _lifecycle),
    (LOGGING, "GetBucketLogging", (), _logging),
    (OBJECT_LOCK, "GetObjectLockConfiguration", ("ObjectLockConfigurationNotFoundError",), _object_lock),
    (REPLICATION, "GetBucketReplication", ("ReplicationConfigurationNotFoundError",), _replication),
    (WEBSITE, "GetBucketWebsite", ("NoSuchWebsiteConfiguration",), _website),
)

# What a setting's inputs are when its call failed: its keys, unknown.
UNREAD_SHAPE: Final = {
    ENCRYPTION: ("rules",),
    VERSIONING: ("versioningConfiguration",),
    PUBLIC_ACCESS_BLOCK: (
        "blockPublicAcls",
        "blockPublicPolicy",
        "ignorePublicAcls",
        "restrictPublicBuckets",
    ),
    OWNERSHIP: ("rule",),
    POLICY: ("policy",),
    LIFECYCLE: ("rules",),
    LOGGING: ("targetBucket", "targetPrefix"),
    OBJECT_LOCK: ("rule",),
    REPLICATION: ("role", "rules"),
    WEBSITE: ("indexDocument",),
}


def bucket_region(location: Any) -> str:
    """GetBucketLocation's answer as a region name (null is us-east-1, "EU" the old eu-west-1)."""
    constraint = location.get("LocationConstraint") if isinstance(location, dict) else None
    if not constraint:
        return "us-east-1"
    return "eu-west-1" if constraint == "EU" else str(constraint)


def collect(read: Reader, out: Out) -> None:
    regions = set(read.scope.regions) or {read.scope.region}
    for listed in read.pages("ListBuckets", "Buckets"):
        name = listed["Name"]
        region = listed.get("BucketRegion")
        if not region:
            location = out.sub(read, "GetBucketLocation", out.urn(BUCKET, name, GLOBAL_BUCKET), Bucket=name)
            if isinstance(location, Unread):
                continue  # the fault names the bucket; its region (hence its scope) is unknown
            region = bucket_region(location)
        if region not in regions:
            continue
        _bucket(read.in_region(region), out, name, region)


GLOBAL_BUCKET: Final = "global"


def _bucket(read: Reader, out: Out, name: str, region: str) -> None:
    arn = f"arn:{read.scope.partition}:s3:::{name}"
    urn = out.urn(BUCKET, name, region)
    tagging = out.sub(read, "GetBucketTagging", urn, absent=("NoSuchTagSet",), Bucket=name)
    tags = UNKNOWN if isinstance(tagging, Unread) else tag_dict((tagging or {}).get("TagSet"))
    lock = out.sub(
        read, "GetObjectLockConfiguration", urn, absent=("ObjectLockConfigurationNotFoundError",), Bucket=name
    )
    lock_enabled: Any = or_unknown(lock)
    if not isinstance(lock, Unread):
        lock_enabled = (lock or {}).get("ObjectLockConfiguration", {}).get("ObjectLockEnabled") == "Enabled"
    out.add(
        BUCKET,
        name,
        {"bucket": name, "arn": arn, "objectLockEnabled": lock_enabled, "tags": tags, "tagsAll": tags},
        arn=arn,
        region=region,
    )
    for type_token, operation, absent, build in SETTINGS:
        subject = out.urn(type_token, name, region)
        if type_token == OBJECT_LOCK:
            response: Any = lock
        else:
            response = out.sub(read, operation, subject, absent=absent, Bucket=name)
        if response is None:
            continue
        if response is UNREAD:
            inputs: dict[str, Any] | None = dict.fromkeys(UNREAD_SHAPE[type_token], UNKNOWN)
        else:
            inputs = build(response)
        if inputs is None:
            continue
        out.add(type_token, name, {"bucket": name, **inputs}, region=region)
