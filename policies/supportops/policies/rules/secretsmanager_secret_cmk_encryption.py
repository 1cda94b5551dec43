"""Secrets Manager secrets are encrypted with a customer-managed KMS key."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="secretsmanager_secret_cmk_encryption",
    title="Secrets are encrypted with a customer-managed KMS key",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_AT_REST,
    rationale=(
        "CRM credentials protected by aws/secretsmanager can be decrypted by any principal allowed "
        "to call GetSecretValue; a customer-managed key adds an independent key-policy gate (PCI "
        "DSS 3.5.1, 8.3.2)."
    ),
    remediation="aws.secretsmanager.Secret('crm-token', kms_key_id=key.arn)",
    resource_types=("aws:secretsmanager/secret:Secret",),
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(resource: Resource) -> rel.Verdict:
        return rel.key_verdict(index, "kmsKeyId", resource.prop("kmsKeyId", None), "the secret")

    return rel.each(context, META, check)
