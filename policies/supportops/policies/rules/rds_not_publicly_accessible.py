"""RDS instances are not publicly accessible."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="rds_not_publicly_accessible",
    title="RDS database instances are not publicly accessible",
    severity=Severity.CRITICAL,
    category=Category.ACCESS_CONTROL,
    rationale=(
        "A publicly accessible instance gets a public DNS name and address: with an open security "
        "group its database port is reachable from the internet (PCI DSS 1.4.4)."
    ),
    remediation="aws.rds.Instance('db', ..., publicly_accessible=False)",
    resource_types=("aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance"),
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(db: Resource) -> rel.Verdict:
        value = db.prop("publiclyAccessible", None)
        if rel.is_unknown(value):
            return rel.unknown("publiclyAccessible")
        evidence = rel.ev("publiclyAccessible", value, "false")
        if rel.flag(value, "publiclyAccessible") is True:  # "yes" or 1: ERROR, never a pass
            return rel.failed("the instance is publicly accessible", evidence)
        return rel.passed("the instance is not publicly accessible", evidence)

    return rel.each(context, META, check)
