"""Security properties of the planned foundation baseline, read from the recorded inventory."""

from __future__ import annotations

import json

from supportops.inventory.model import Inventory
from supportops.stacks.components.security.log_group import ALLOWED_RETENTION_DAYS
from supportops.stacks.config import DataClassName, StackConfig

BUCKET = "aws:s3/bucket:Bucket"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"
KEY = "aws:kms/key:Key"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"


def _by_bucket(inventory: Inventory, type_token: str) -> dict[str, dict]:
    return {r.get("bucket"): r.inputs for r in inventory.of_type(type_token)}


def test_every_bucket_is_encrypted_with_a_planned_customer_managed_key(foundation_plan: Inventory) -> None:
    key_arns = {r.outputs["arn"] for r in foundation_plan.of_type(KEY)}
    encryption = _by_bucket(foundation_plan, SSE)
    buckets = {r.outputs["bucket"]: r for r in foundation_plan.of_type(BUCKET)}
    assert buckets, "the foundation plans buckets"
    assert set(encryption) == set(buckets)
    for name, config in encryption.items():
        default = config["rules"][0]["applyServerSideEncryptionByDefault"]
        if name.startswith("demo-access-logs"):
            # S3 server access logs can only be delivered to SSE-S3 buckets.
            assert default == {"sseAlgorithm": "AES256"}
        else:
            assert default["sseAlgorithm"] == "aws:kms"
            assert default["kmsMasterKeyId"] in key_arns
            assert config["rules"][0]["bucketKeyEnabled"] is True


def test_every_bucket_is_private_versioned_and_tls_only(foundation_plan: Inventory) -> None:
    buckets = {r.outputs["bucket"] for r in foundation_plan.of_type(BUCKET)}
    blocks = _by_bucket(foundation_plan, PAB)
    versioning = _by_bucket(foundation_plan, VERSIONING)
    policies = _by_bucket(foundation_plan, POLICY)
    assert set(blocks) == set(versioning) == set(policies) == buckets
    for block in blocks.values():
        assert all(
            block[flag] is True
            for flag in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
        )
    assert all(v["versioningConfiguration"]["status"] == "Enabled" for v in versioning.values())
    for policy in policies.values():
        statements = json.loads(policy["policy"])["Statement"]
        deny = [s for s in statements if s["Effect"] == "Deny"]
        assert {"Bool": {"aws:SecureTransport": "false"}} in [s["Condition"] for s in deny]
        assert {"NumericLessThan": {"s3:TlsVersion": "1.2"}} in [s["Condition"] for s in deny]


def test_keys_rotate_keep_a_30_day_window_and_name_their_principals(foundation_plan: Inventory) -> None:
    keys = foundation_plan.of_type(KEY)
    # One key per data class in the primary region; replicas and backup copies add their own there.
    assert len([k for k in keys if k.region == "us-east-1"]) == len(DataClassName)
    for key in keys:
        assert key.get("enableKeyRotation") is True
        assert key.get("deletionWindowInDays") >= 30
        for statement in json.loads(key.get("policy"))["Statement"]:
            assert statement["Principal"] != "*"
            assert "*" not in statement["Principal"].values()


def test_log_groups_use_a_key_and_a_retention_inside_their_class_bounds(foundation_plan: Inventory) -> None:
    config = StackConfig(environment="demo", phase="foundation")
    key_arns = {r.outputs["arn"] for r in foundation_plan.of_type(KEY)}
    groups = foundation_plan.of_type(LOG_GROUP)
    assert groups
    for group in groups:
        data_class = next(c for c in DataClassName if c.tag_value == group.get("tags")["data-classification"])
        bounds = config.data_class(data_class)
        assert group.get("kmsKeyId") in key_arns
        assert group.get("retentionInDays") in ALLOWED_RETENTION_DAYS
        assert bounds.min_days <= group.get("retentionInDays") <= bounds.max_days


def test_audit_trail_is_multi_region_validated_encrypted_and_delivered(foundation_plan: Inventory) -> None:
    (trail,) = foundation_plan.of_type("aws:cloudtrail/trail:Trail")
    assert trail.get("isMultiRegionTrail") is True
    assert trail.get("enableLogFileValidation") is True
    assert trail.get("kmsKeyId") in {r.outputs["arn"] for r in foundation_plan.of_type(KEY)}
    assert trail.get("cloudWatchLogsGroupArn").endswith(":*")
    lock = _by_bucket(foundation_plan, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")
    assert lock[trail.get("s3BucketName")]["rule"]["defaultRetention"]["mode"] == "COMPLIANCE"


def test_default_tags_are_set_once_on_the_provider(foundation_plan: Inventory) -> None:
    (provider,) = foundation_plan.of_type("pulumi:providers:aws")
    tags = json.loads(provider.get("defaultTags"))["tags"]
    assert tags["owner"] == "support-platform-team"
    assert tags["environment"] == "demo"
    assert tags["phase"] == "foundation"
    for resource in foundation_plan:
        if resource.custom and resource.type.startswith("aws:"):
            assert resource.provider == provider.urn, resource.urn
