"""IAM role trust policies never let anyone assume the role."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="iam_role_trust_no_wildcard_principal",
    title="IAM role trust policies have no unconstrained wildcard principal",
    severity=Severity.CRITICAL,
    category=Category.ACCESS_CONTROL,
    rationale=(
        "A trust policy allowing Principal '*' (or AWS '*') without a condition on the caller's "
        "account, organization or source lets any AWS account assume the role (PCI DSS 7.2.1)."
    ),
    remediation=(
        "assume_role_policy=document([{'Effect': 'Allow', 'Action': 'sts:AssumeRole',\n"
        "    'Principal': {'Service': 'lambda.amazonaws.com'}}])"
    ),
    resource_types=("aws:iam/role:Role",),
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(role: Resource) -> rel.Verdict:
        try:
            document = index.policy(role, "assumeRolePolicy")
        except rel.PolicyUnknown:
            return rel.unknown("assumeRolePolicy")
        if document is None:
            return rel.errored("the role has no trust policy", rel.ev("assumeRolePolicy", None))
        return rel.principals_verdict(
            document,
            "assumeRolePolicy",
            "any AWS principal may assume this role",
            "the trust policy names its principals",
        )

    return rel.each(context, META, check)
