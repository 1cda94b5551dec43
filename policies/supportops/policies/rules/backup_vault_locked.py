"""AWS Backup vaults have a vault lock (recovery points cannot be deleted early, nor kept forever)."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="backup_vault_locked",
    title="Backup vaults have a vault lock with a maximum retention",
    severity=Severity.MEDIUM,
    category=Category.RESILIENCE,
    rationale=(
        "A vault lock stops anyone, including a compromised administrator, from deleting recovery "
        "points before their minimum retention (ransomware resilience), and its maximum retention "
        "caps how long personal data survives in backups (GDPR storage limitation)."
    ),
    remediation=(
        "aws.backup.VaultLockConfiguration('lock', backup_vault_name=vault.name,\n"
        "    min_retention_days=35, max_retention_days=bounds.max_days, changeable_for_days=3)"
    ),
    resource_types=("aws:backup/vault:Vault",),
    needs_stack=True,
)

LOCK = "aws:backup/vaultLockConfiguration:VaultLockConfiguration"


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)
    locks: dict[str, Resource] = {}
    pending: set[str] = set()  # vaults a lock naming an unknown vault may belong to (preview)
    for lock in context.inventory.of_type(LOCK):
        name = lock.prop("backupVaultName", None)
        if rel.is_unknown(name):
            pending.update(lock.dependencies)
        elif isinstance(name, str):
            locks[name] = lock

    def check(vault: Resource) -> rel.Verdict:
        lock = next(
            (locks[r] for r in (vault.prop("name", None), vault.id) if isinstance(r, str) and r in locks),
            None,
        )
        if lock is None and vault.urn in pending:
            return rel.unknown("backupVaultName of a vault lock")
        if lock is None:
            return rel.failed(
                "the vault has no vault lock", rel.ev("vaultLock", None, "a VaultLockConfiguration")
            )
        value = lock.prop("maxRetentionDays", None)
        if rel.is_unknown(value):
            return rel.unknown(f"{lock.name}.maxRetentionDays")
        days = rel.whole_number(value, f"{lock.name}.maxRetentionDays", minimum=1)
        data_class = index.data_class(vault)
        maximum = context.config.data_class(data_class).max_days if data_class else None
        evidence = rel.ev(f"{lock.name}.maxRetentionDays", days, f"<= {maximum}" if maximum else "set")
        if days is None:
            return rel.failed("the vault lock sets no maximum retention", evidence)
        if maximum is not None and days > maximum:
            return rel.failed(f"the lock allows {days:g} days, above the class maximum", evidence)
        return rel.passed(f"locked, at most {days:g} days", evidence)

    return rel.each(context, META, check)
