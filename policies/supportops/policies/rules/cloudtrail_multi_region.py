"""CloudTrail trails record every region."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="cloudtrail_multi_region",
    title="CloudTrail trails are multi-region",
    severity=Severity.HIGH,
    category=Category.AUDIT_LOGGING,
    rationale=(
        "Activity in a region the platform does not use (an attacker's favourite) is only recorded "
        "by a multi-region trail (PCI DSS 10.2.1, HIPAA 164.312(b))."
    ),
    remediation=(
        "aws.cloudtrail.Trail('audit', ..., is_multi_region_trail=True,\n"
        "    include_global_service_events=True)"
    ),
    resource_types=("aws:cloudtrail/trail:Trail",),
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(resource: Resource) -> rel.Verdict:
        value = resource.prop("isMultiRegionTrail", None)
        if rel.is_unknown(value):
            return rel.unknown("isMultiRegionTrail")
        evidence = rel.ev("isMultiRegionTrail", value, "true")
        if rel.flag(value, "isMultiRegionTrail") is True:
            return rel.passed("the trail records every region", evidence)
        return rel.failed("the trail records one region only", evidence)

    return rel.each(context, META, check)
