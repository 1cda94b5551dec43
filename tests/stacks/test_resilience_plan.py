"""Resilience properties read from planned inventories: backup plans sized from the RPO in every
phase, locked and CMK-encrypted vaults with a cross-region copy, and S3 replication with RTC."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from supportops.inventory.model import Inventory, Resource
from supportops.inventory.offline_plan import PlanRequest, plan_program
from supportops.stacks.components.resilience.schedule import backup_schedule
from supportops.stacks.config import DataClassName, StackConfig
from supportops.stacks.config.tag_keys import BACKUP, BACKUP_PROTECTED

KEY = "aws:kms/key:Key"
VAULT = "aws:backup/vault:Vault"
LOCK = "aws:backup/vaultLockConfiguration:VaultLockConfiguration"
PLAN = "aws:backup/plan:Plan"
SELECTION = "aws:backup/selection:Selection"
BUCKET = "aws:s3/bucket:Bucket"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"

PRIMARY, REPLICA = "us-east-1", "us-west-2"


def _config(phase: str) -> StackConfig:
    return StackConfig(environment="demo", phase=phase)


def _foundation_keys(foundation_plan: Inventory) -> dict[str, str]:
    return dict(foundation_plan.outputs["kmsKeyArns"])


def _interval_hours(cron: str) -> int:
    hours = cron.split()[1]
    return 1 if hours == "*" else int(hours.split("/")[1]) if "/" in hours else 24


@pytest.mark.parametrize("phase", ["foundation", "automation", "analytics"])
def test_each_phase_backs_up_its_protected_stores_within_the_rpo(
    phase: str, foundation_plan: Inventory, automation_plan: Inventory, analytics_plan: Inventory
) -> None:
    plan = {"foundation": foundation_plan, "automation": automation_plan, "analytics": analytics_plan}[phase]
    targets = _config(phase).resilience
    (backup_plan,) = plan.of_type(PLAN)
    (rule,) = backup_plan.get("rules")
    rpo_met_by_snapshots = _interval_hours(rule["schedule"]) * 60 <= targets.rpo_minutes
    assert rpo_met_by_snapshots or rule["enableContinuousBackup"] is True
    assert rule["enableContinuousBackup"] == (targets.rpo_minutes < 60)
    assert rule["lifecycle"]["deleteAfter"] == backup_schedule(targets).retention_days
    assert "coldStorageAfter" not in rule["lifecycle"]  # cold restores take hours: RTO
    (selection,) = plan.of_type(SELECTION)
    assert selection.get("planId") == backup_plan.id
    (condition,) = selection.get("conditions")
    assert {(c["key"], c["value"]) for c in condition["stringEquals"]} == {
        (f"aws:ResourceTag/{BACKUP}", BACKUP_PROTECTED),
        ("aws:ResourceTag/environment", "demo"),
        ("aws:ResourceTag/phase", phase),
    }


@pytest.mark.parametrize("phase", ["foundation", "automation", "analytics"])
def test_vaults_are_cmk_encrypted_locked_and_copied_to_the_replica_region(
    phase: str, foundation_plan: Inventory, automation_plan: Inventory, analytics_plan: Inventory
) -> None:
    plan = {"foundation": foundation_plan, "automation": automation_plan, "analytics": analytics_plan}[phase]
    keys_by_arn = {k.outputs["arn"]: k for k in plan.of_type(KEY)}
    foundation_keys = set(_foundation_keys(foundation_plan).values())
    vaults = {v.region: v for v in plan.of_type(VAULT)}
    assert set(vaults) == {PRIMARY, REPLICA}
    # The primary vault reuses a foundation key; the copy has its own key in the replica region.
    assert vaults[PRIMARY].get("kmsKeyArn") in foundation_keys
    copy_key = keys_by_arn[vaults[REPLICA].get("kmsKeyArn")]
    assert copy_key.region == REPLICA and copy_key.get("enableKeyRotation") is True
    locks = {lock.get("backupVaultName"): lock for lock in plan.of_type(LOCK)}
    (rule,) = plan.of_type(PLAN)[0].get("rules")
    retention = rule["lifecycle"]["deleteAfter"]
    for vault in vaults.values():
        lock = locks[vault.outputs["name"]]
        assert lock.get("minRetentionDays") <= retention <= lock.get("maxRetentionDays")
        assert lock.get("changeableForDays") >= 3  # compliance mode after the grace period
    (copy,) = rule["copyActions"]
    assert copy["destinationVaultArn"] == vaults[REPLICA].outputs["arn"]
    assert copy["lifecycle"]["deleteAfter"] == retention


def test_vault_lock_ceiling_is_the_class_storage_limit(foundation_plan: Inventory) -> None:
    ceiling = _config("foundation").data_class(DataClassName.TICKETS).max_days
    assert {lock.get("maxRetentionDays") for lock in foundation_plan.of_type(LOCK)} == {ceiling}


def test_data_stores_of_later_phases_opt_in_to_backups(
    automation_plan: Inventory, analytics_plan: Inventory
) -> None:
    for plan, bucket_prefix in (
        (automation_plan, "demo-knowledge-content"),
        (analytics_plan, "demo-contacts-lake"),
    ):
        tagged = [b for b in plan.of_type(BUCKET) if b.get("tags", {}).get(BACKUP) == BACKUP_PROTECTED]
        assert [b.outputs["bucket"].startswith(bucket_prefix) for b in tagged] == [True]


# --- S3 replication, planned from a small program that replicates one bucket --------------------

PROGRAM = """
from supportops.stacks.components.replication.sizing import ReplicationArgs
from supportops.stacks.components.security.secure_bucket import SecureBucket, SecureBucketArgs
from supportops.stacks.config import DataClassName

SecureBucket(
    "recordings",
    SecureBucketArgs(
        data_class=DataClassName.CALL_RECORDINGS,
        retention_days=90,
        kms_key_arn="arn:aws:kms:us-east-1:111122223333:key/source",
        access_log_bucket="access-logs",
        replication=ReplicationArgs(
            region="us-west-2",
            account_root_arn="arn:aws:iam::111122223333:root",
            rpo_minutes=15,
            access_log_bucket="access-logs-us-west-2",
        ),
    ),
)
"""


@pytest.fixture(scope="module")
def replicated(tmp_path_factory: pytest.TempPathFactory) -> Inventory:
    project = tmp_path_factory.mktemp("replicated")
    (project / "Pulumi.yaml").write_text("name: replicated\nruntime: python\nmain: __main__.py\n")
    (project / "Pulumi.test.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (project / "__main__.py").write_text(textwrap.dedent(PROGRAM))
    return plan_program(PlanRequest(Path(project), "test"))


def _one(inventory: Inventory, type_token: str) -> Resource:
    (resource,) = inventory.of_type(type_token)
    return resource


def test_replica_bucket_lives_in_the_replica_region_with_its_own_key(replicated: Inventory) -> None:
    buckets = {b.region: b for b in replicated.of_type(BUCKET)}
    assert set(buckets) == {PRIMARY, REPLICA}
    key = _one(replicated, KEY)
    assert key.region == REPLICA and key.get("enableKeyRotation") is True
    sse = {s.get("bucket"): s for s in replicated.of_type(SSE)}
    replica_name = buckets[REPLICA].outputs["bucket"]
    default = sse[replica_name].get("rules")[0]["applyServerSideEncryptionByDefault"]
    assert default == {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": key.outputs["arn"]}
    versioned = {v.get("bucket") for v in replicated.of_type(VERSIONING)}
    assert versioned == {b.outputs["bucket"] for b in buckets.values()}
    logging = {
        x.get("bucket"): x.get("targetBucket")
        for x in replicated.of_type("aws:s3/bucketLogging:BucketLogging")
    }
    assert logging[replica_name] == "access-logs-us-west-2"


def test_replication_rule_uses_rtc_within_the_rpo_and_kms_replicas(replicated: Inventory) -> None:
    buckets = {b.region: b for b in replicated.of_type(BUCKET)}
    config = _one(replicated, REPLICATION)
    assert config.get("bucket") == buckets[PRIMARY].outputs["bucket"]
    (rule,) = config.get("rules")
    assert rule["status"] == "Enabled"
    destination = rule["destination"]
    assert destination["bucket"] == buckets[REPLICA].outputs["arn"]
    assert destination["replicationTime"] == {"status": "Enabled", "time": {"minutes": 15}}
    assert destination["metrics"] == {"status": "Enabled", "eventThreshold": {"minutes": 15}}
    assert destination["encryptionConfiguration"]["replicaKmsKeyId"] == _one(replicated, KEY).outputs["arn"]
    assert rule["sourceSelectionCriteria"]["sseKmsEncryptedObjects"]["status"] == "Enabled"
    assert rule["deleteMarkerReplication"]["status"] == "Enabled"
    # S3 refuses a rule before both buckets are versioned: the rule waits for both.
    versioning_urns = {v.urn for v in replicated.of_type(VERSIONING)}
    assert len(versioning_urns) == 2
    assert versioning_urns <= set(config.dependencies)


def test_replication_role_reads_the_source_key_and_writes_only_the_replica(replicated: Inventory) -> None:
    buckets = {b.region: b for b in replicated.of_type(BUCKET)}
    statements = {s["Sid"]: s for s in json.loads(_one(replicated, ROLE_POLICY).get("policy"))["Statement"]}
    assert statements["DecryptSource"]["Resource"] == "arn:aws:kms:us-east-1:111122223333:key/source"
    assert statements["EncryptReplica"]["Resource"] == _one(replicated, KEY).outputs["arn"]
    assert statements["WriteReplicas"]["Resource"] == buckets[REPLICA].outputs["arn"] + "/*"
    assert all("*" not in s["Action"] for s in statements.values())
