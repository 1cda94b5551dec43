"""Customer Profiles domains are encrypted with a customer-managed KMS key."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="customer_profiles_domain_cmk_encryption",
    title="Customer Profiles domains are encrypted with a customer-managed KMS key",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_AT_REST,
    rationale=(
        "Customer Profiles hold the unified personal data of every caller; the domain's default "
        "encryption key must be customer-managed (GDPR Art. 32, PCI DSS 3.5.1)."
    ),
    remediation=(
        "aws.customerprofiles.Domain('profiles', domain_name='support',\n"
        "    default_encryption_key=key.arn, default_expiration_days=365)"
    ),
    resource_types=("aws:customerprofiles/domain:Domain",),
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(resource: Resource) -> rel.Verdict:
        key = resource.prop("defaultEncryptionKey", None)
        return rel.key_verdict(index, "defaultEncryptionKey", key, "profiles")

    return rel.each(context, META, check)
