"""RDS instances and clusters have deletion protection."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="rds_deletion_protection",
    title="RDS instances and clusters have deletion protection",
    # Low: a guard against an accidental delete (the final snapshot and backups are the recovery).
    severity=Severity.LOW,
    category=Category.RESILIENCE,
    rationale=(
        "Without deletion protection one API call or a replaced resource in a `pulumi up` deletes the "
        "database; with it the delete is refused until the flag is turned off."
    ),
    remediation="aws.rds.Instance('db', ..., deletion_protection=True)",
    resource_types=("aws:rds/instance:Instance", "aws:rds/cluster:Cluster"),
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(db: Resource) -> rel.Verdict:
        if db.type != "aws:rds/cluster:Cluster" and str(db.prop("engine", "")).startswith("aurora"):
            return rel.not_applicable("an Aurora instance is protected by its cluster's setting")
        value = db.prop("deletionProtection", None)
        if rel.is_unknown(value):
            return rel.unknown("deletionProtection")
        evidence = rel.ev("deletionProtection", value, "true")
        if rel.flag(value, "deletionProtection") is True:
            return rel.passed("deletion protection is on", evidence)
        return rel.failed("deletion protection is off", evidence)

    return rel.each(context, META, check)
