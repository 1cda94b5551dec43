"""Customer Profiles expire within the customer-profiles data class bounds (GDPR erasure)."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta
from supportops.stacks.config import DataClassName

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="customer_profiles_domain_expiration",
    title="Customer Profiles domains expire profiles within the class minimum and maximum",
    severity=Severity.HIGH,
    category=Category.PRIVACY,
    rationale=(
        "default_expiration_days is how long Customer Profiles keeps a profile after its last "
        "update: the domain's erasure mechanism. It must not exceed the customer-profiles maximum "
        "(GDPR Art. 5(1)(e), Art. 17) nor fall below the contractual minimum."
    ),
    remediation=(
        "aws.customerprofiles.Domain('profiles', domain_name='support', default_encryption_key=key.arn,\n"
        "    default_expiration_days=config.data_class(DataClassName.CUSTOMER_PROFILES).retention_days)"
    ),
    resource_types=("aws:customerprofiles/domain:Domain",),
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    bounds = context.config.data_class(DataClassName.CUSTOMER_PROFILES)

    def check(domain: Resource) -> rel.Verdict:
        value = domain.prop("defaultExpirationDays", None)
        if rel.is_unknown(value):
            return rel.unknown("defaultExpirationDays")
        days = rel.whole_number(value, "defaultExpirationDays", minimum=1)
        evidence = rel.ev("defaultExpirationDays", days, f"{bounds.min_days}..{bounds.max_days}")
        if days is None:
            return rel.failed("profiles never expire", evidence)
        if days > bounds.max_days:
            return rel.failed(
                f"profiles are kept {days:g} days, above the {bounds.max_days}-day maximum", evidence
            )
        if days < bounds.min_days:
            return rel.failed(
                f"profiles expire after {days:g} days, below the {bounds.min_days}-day minimum", evidence
            )
        return rel.passed(f"profiles expire {days:g} days after their last update", evidence)

    return rel.each(context, META, check)
