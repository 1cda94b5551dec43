"""KMS key policies never grant use of the key to everyone."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="kms_key_policy_no_wildcard_principal",
    title="KMS key policies have no unconstrained wildcard principal",
    severity=Severity.CRITICAL,
    category=Category.ACCESS_CONTROL,
    rationale=(
        "The key policy is the root of access to everything the key encrypts; an Allow to "
        "Principal '*' without a condition on the caller's account or service opens the data to any "
        "AWS account (PCI DSS 3.6.1.2, 7.2.1)."
    ),
    remediation=(
        "aws.kms.Key('data', enable_key_rotation=True, policy=document([\n"
        "    {'Effect': 'Allow', 'Principal': {'AWS': root_arn}, 'Action': 'kms:*', 'Resource': '*'},\n"
        "    {'Effect': 'Allow', 'Principal': {'Service': 'logs.us-east-1.amazonaws.com'},\n"
        "     'Action': ['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*'], 'Resource': '*'}]))"
    ),
    resource_types=(rel.KMS_KEY, "aws:kms/keyPolicy:KeyPolicy"),
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(key: Resource) -> rel.Verdict:
        try:
            document = index.policy(key, "policy")
        except rel.PolicyUnknown:
            return rel.unknown("policy")
        if document is None:
            return rel.passed("the default key policy (the account only)", rel.ev("policy", None))
        return rel.principals_verdict(
            document,
            "policy",
            "the key policy lets any AWS principal use the key",
            "every grant names its principals or constrains the caller",
        )

    return rel.each(context, META, check)
