"""AWS Backup vaults are encrypted with a customer-managed KMS key."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="backup_vault_cmk_encryption",
    title="Backup vaults are encrypted with a customer-managed KMS key",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_AT_REST,
    rationale=(
        "Recovery points are full copies of the data stores; they need the same customer-managed "
        "key protection as the originals (PCI DSS 3.5.1, GDPR Art. 32)."
    ),
    remediation="aws.backup.Vault('vault', kms_key_arn=key.arn)",
    resource_types=("aws:backup/vault:Vault",),
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(resource: Resource) -> rel.Verdict:
        return rel.key_verdict(index, "kmsKeyArn", resource.prop("kmsKeyArn", None), "recovery points")

    return rel.each(context, META, check)
