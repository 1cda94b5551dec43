"""AWS Backup vaults (aws:backup/vault:Vault) with their lock
(aws:backup/vaultLockConfiguration:VaultLockConfiguration) and plans (aws:backup/plan:Plan)."""

from __future__ import annotations

from typing import Any, Final

from supportops.inventory.live.collector import Out, Unread
from supportops.inventory.live.reader import Reader
from supportops.inventory.model import UNKNOWN

SERVICE: Final = "backup"
VAULT: Final = "aws:backup/vault:Vault"
VAULT_LOCK: Final = "aws:backup/vaultLockConfiguration:VaultLockConfiguration"
PLAN: Final = "aws:backup/plan:Plan"
TYPES: Final = (VAULT, VAULT_LOCK, PLAN)
GLOBAL: Final = False
CALLS: Final = (
    ("backup", "ListBackupVaults"),
    ("backup", "ListBackupPlans"),
    ("backup", "GetBackupPlan"),
    ("backup", "ListTags"),
)


def _tags(read: Reader, out: Out, subject: str, arn: str | None) -> Any:
    """Backup's own tag call (plans and vaults are not always in the tagging API)."""
    if not arn:
        return {}
    listed = out.sub(read, "ListTags", subject, ResourceArn=arn)
    return UNKNOWN if isinstance(listed, Unread) else dict((listed or {}).get("Tags") or {})


def lifecycle(given: Any) -> dict[str, Any] | None:
    """The API's lifecycle (DeleteAfterDays) in Pulumi's names (deleteAfter)."""
    if not isinstance(given, dict):
        return None
    names = {
        "DeleteAfterDays": "deleteAfter",
        "MoveToColdStorageAfterDays": "coldStorageAfter",
        "OptInToArchiveForSupportedResources": "optInToArchiveForSupportedResources",
    }
    return {names[k]: v for k, v in given.items() if k in names} or None


def _rule(rule: dict[str, Any]) -> dict[str, Any]:
    return {
        "ruleName": rule.get("RuleName"),
        "targetVaultName": rule.get("TargetBackupVaultName"),
        "schedule": rule.get("ScheduleExpression"),
        "scheduleExpressionTimezone": rule.get("ScheduleExpressionTimezone"),
        "startWindow": rule.get("StartWindowMinutes"),
        "completionWindow": rule.get("CompletionWindowMinutes"),
        "enableContinuousBackup": rule.get("EnableContinuousBackup"),
        "lifecycle": lifecycle(rule.get("Lifecycle")),
        "copyActions": [
            {
                "destinationVaultArn": c.get("DestinationBackupVaultArn"),
                "lifecycle": lifecycle(c.get("Lifecycle")),
            }
            for c in rule.get("CopyActions") or []
        ]
        or None,
    }


def collect(read: Reader, out: Out) -> None:
    for vault in read.pages("ListBackupVaults", "BackupVaultList"):
        name = vault["BackupVaultName"]
        arn = vault.get("BackupVaultArn")
        tags = _tags(read, out, out.urn(VAULT, name), arn)
        out.add(
            VAULT,
            name,
            {
                "name": name,
                "arn": arn,
                "kmsKeyArn": vault.get("EncryptionKeyArn"),
                "tags": tags,
                "tagsAll": tags,
            },
            arn=arn,
        )
        if vault.get("Locked") or "MinRetentionDays" in vault or "MaxRetentionDays" in vault:
            out.add(
                VAULT_LOCK,
                name,
                {
                    "backupVaultName": name,
                    "minRetentionDays": vault.get("MinRetentionDays"),
                    "maxRetentionDays": vault.get("MaxRetentionDays"),
                    "backupVaultArn": arn,
                },
            )
    for listed in read.pages("ListBackupPlans", "BackupPlansList"):
        plan_id = listed["BackupPlanId"]
        arn = listed.get("BackupPlanArn")
        got = out.sub(read, "GetBackupPlan", out.urn(PLAN, plan_id), BackupPlanId=plan_id)
        rules: Any = UNKNOWN
        if not isinstance(got, Unread):
            rules = [_rule(r) for r in ((got or {}).get("BackupPlan") or {}).get("Rules", [])]
        tags = _tags(read, out, out.urn(PLAN, plan_id), arn)
        out.add(
            PLAN,
            plan_id,
            {"name": listed.get("BackupPlanName"), "arn": arn, "rules": rules, "tags": tags, "tagsAll": tags},
            arn=arn,
        )
