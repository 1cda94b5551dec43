"""BackupProtection: an AWS Backup vault (customer-managed key, vault lock), a plan sized from the
RPO/RTO targets, a selection of the phase's data stores tagged ``backup=rpo-protected``, the role
AWS Backup assumes, and, with a replica region, a copy of every recovery point into a vault there."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from supportops.stacks.components.resilience.schedule import BackupSchedule, backup_schedule
from supportops.stacks.components.security.data_key import DataKey, DataKeyArgs
from supportops.stacks.config import DataClassName, ResilienceTargets
from supportops.stacks.config.tag_keys import BACKUP, BACKUP_PROTECTED, ENVIRONMENT, PHASE
from supportops.stacks.context import PlatformContext
from supportops.stacks.policy_documents import assume_role_policy
from supportops.stacks.tags import classification

MIN_LOCK_GRACE_DAYS = 3  # AWS Backup's shortest grace period before a compliance lock is final
BACKUP_MANAGED_POLICIES = (
    "service-role/AWSBackupServiceRolePolicyForBackup",
    "service-role/AWSBackupServiceRolePolicyForRestores",
    "AWSBackupServiceRolePolicyForS3Backup",
    "AWSBackupServiceRolePolicyForS3Restore",
)


@dataclass(frozen=True)
class BackupProtectionArgs:
    kms_key_arn: pulumi.Input[str]
    data_class: DataClassName  # the class of the vault key; tags the vaults
    targets: ResilienceTargets
    environment: str
    phase: str
    region: str
    account_root_arn: pulumi.Input[str]
    # Vault lock ceiling: no recovery point may be kept longer (GDPR storage limitation).
    max_retention_days: int
    # Compliance-mode lock becomes immutable after this many days; None keeps a governance lock.
    lock_grace_days: int | None = MIN_LOCK_GRACE_DAYS
    partition: str = "aws"

    def __post_init__(self) -> None:
        if self.lock_grace_days is not None and self.lock_grace_days < MIN_LOCK_GRACE_DAYS:
            raise ValueError(f"lock_grace_days must be at least {MIN_LOCK_GRACE_DAYS}")


class BackupProtection(pulumi.ComponentResource):
    schedule: BackupSchedule
    vault: aws.backup.Vault
    copy_vault: aws.backup.Vault | None
    plan: aws.backup.Plan
    selection: aws.backup.Selection
    role: aws.iam.Role

    def __init__(
        self, name: str, args: BackupProtectionArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("supportops:resilience:BackupProtection", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.schedule = schedule = backup_schedule(args.targets)
        if schedule.retention_days > args.max_retention_days:
            raise ValueError(
                f"recovery points are kept {schedule.retention_days} days, above the "
                f"{args.max_retention_days}-day ceiling"
            )
        self.vault = self._locked_vault(name, args, args.kms_key_arn, args.region)
        self.copy_vault = None
        replica_region = args.targets.replica_region
        if replica_region is not None:
            copy_key = DataKey(
                f"{name}-copy-key",
                DataKeyArgs(
                    data_class=args.data_class,
                    account_root_arn=args.account_root_arn,
                    region=replica_region,
                    service_principals=("backup.amazonaws.com",),
                ),
                opts=child,
            )
            self.copy_vault = self._locked_vault(f"{name}-copy", args, copy_key.arn, replica_region)

        self.role = aws.iam.Role(
            f"{name}-role",
            assume_role_policy=assume_role_policy("backup"),
            opts=child,
        )
        for policy in BACKUP_MANAGED_POLICIES:
            aws.iam.RolePolicyAttachment(
                f"{name}-role-{policy.rsplit('/', 1)[-1].removeprefix('AWSBackupServiceRolePolicy')}",
                role=self.role.name,
                policy_arn=f"arn:{args.partition}:iam::aws:policy/{policy}",
                opts=child,
            )

        copy_actions = (
            [
                aws.backup.PlanRuleCopyActionArgs(
                    destination_vault_arn=self.copy_vault.arn,
                    lifecycle=aws.backup.PlanRuleCopyActionLifecycleArgs(
                        delete_after=schedule.retention_days
                    ),
                )
            ]
            if self.copy_vault is not None
            else None
        )
        self.plan = aws.backup.Plan(
            f"{name}-plan",
            rules=[
                aws.backup.PlanRuleArgs(
                    rule_name="rpo-sized",
                    target_vault_name=self.vault.name,
                    schedule=schedule.cron,
                    schedule_expression_timezone="Etc/UTC",
                    start_window=schedule.start_window_minutes,
                    completion_window=schedule.completion_window_minutes,
                    enable_continuous_backup=schedule.continuous,
                    lifecycle=aws.backup.PlanRuleLifecycleArgs(delete_after=schedule.retention_days),
                    copy_actions=copy_actions,
                )
            ],
            opts=child,
        )
        # Conditions are ANDed: only this environment's and this phase's protected stores, so the
        # plans of the three phases never back the same resource up twice.
        self.selection = aws.backup.Selection(
            f"{name}-selection",
            iam_role_arn=self.role.arn,
            plan_id=self.plan.id,
            resources=["*"],
            conditions=[
                aws.backup.SelectionConditionArgs(
                    string_equals=[
                        aws.backup.SelectionConditionStringEqualArgs(
                            key=f"aws:ResourceTag/{BACKUP}", value=BACKUP_PROTECTED
                        ),
                        aws.backup.SelectionConditionStringEqualArgs(
                            key=f"aws:ResourceTag/{ENVIRONMENT}", value=args.environment
                        ),
                        aws.backup.SelectionConditionStringEqualArgs(
                            key=f"aws:ResourceTag/{PHASE}", value=args.phase
                        ),
                    ]
                )
            ],
            opts=child,
        )
        self.register_outputs(
            {
                "vaultName": self.vault.name,
                "vaultArn": self.vault.arn,
                "copyVaultArn": self.copy_vault.arn if self.copy_vault is not None else None,
                "planId": self.plan.id,
            }
        )

    def _locked_vault(
        self, name: str, args: BackupProtectionArgs, kms_key_arn: pulumi.Input[str], region: str
    ) -> aws.backup.Vault:
        child = pulumi.ResourceOptions(parent=self)
        vault = aws.backup.Vault(
            f"{name}-vault",
            kms_key_arn=kms_key_arn,
            tags=classification(args.data_class),
            region=region,
            opts=child,
        )
        aws.backup.VaultLockConfiguration(
            f"{name}-vault-lock",
            backup_vault_name=vault.name,
            min_retention_days=self.schedule.retention_days,
            max_retention_days=args.max_retention_days,
            changeable_for_days=args.lock_grace_days,
            region=region,
            opts=child,
        )
        return vault


def build_backup_protection(
    context: PlatformContext, kms_key_arn: pulumi.Input[str], data_class: DataClassName
) -> BackupProtection:
    """The phase's backup protection, sized from the stack's resilience targets."""
    config = context.config
    # Named per phase: KMS alias names (of the copy key) are unique per account and region.
    return BackupProtection(
        context.name("backup", config.phase.value),
        BackupProtectionArgs(
            kms_key_arn=kms_key_arn,
            data_class=data_class,
            targets=config.resilience,
            environment=config.environment,
            phase=config.phase.value,
            region=context.region,
            account_root_arn=context.root_principal(),
            max_retention_days=config.data_class(data_class).max_days,
            partition=context.partition,
        ),
        opts=context.component_opts(),
    )
