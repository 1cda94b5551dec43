"""RDS instances and clusters keep automated backups (retention above 0 days)."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="rds_backup_retention_enabled",
    title="RDS instances and clusters keep automated backups",
    severity=Severity.HIGH,
    category=Category.RESILIENCE,
    rationale=(
        "A retention period of 0 turns automated backups off: no point-in-time recovery, so any "
        "RPO is missed after a bad write or a lost volume (GDPR Art. 32(1)(c))."
    ),
    remediation="aws.rds.Instance('db', ..., backup_retention_period=7)",
    resource_types=("aws:rds/instance:Instance", "aws:rds/cluster:Cluster"),
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(db: Resource) -> rel.Verdict:
        if db.type != "aws:rds/cluster:Cluster" and str(db.prop("engine", "")).startswith("aurora"):
            return rel.not_applicable("an Aurora instance is backed up by its cluster")
        value = db.prop("backupRetentionPeriod", None)
        if rel.is_unknown(value):
            return rel.unknown("backupRetentionPeriod")
        days = rel.whole_number(value, "backupRetentionPeriod", minimum=0, maximum=35)  # RDS: 0..35
        evidence = rel.ev("backupRetentionPeriod", value, "at least 1 day")
        if days is None:
            return rel.passed("automated backups are kept for AWS's default of 1 day", evidence)
        if days <= 0:
            return rel.failed("automated backups are off (backupRetentionPeriod is 0)", evidence)
        return rel.passed(f"automated backups are kept for {days:g} days", evidence)

    return rel.each(context, META, check)
