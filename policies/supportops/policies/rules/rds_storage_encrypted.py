"""RDS instances and clusters encrypt their storage (any KMS key)."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="rds_storage_encrypted",
    title="RDS instances and clusters encrypt their storage",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_AT_REST,
    rationale=(
        "An unencrypted database keeps its data, automated backups, snapshots and replicas in clear "
        "on disk; encryption can only be chosen at creation (PCI DSS 3.5.1, GDPR Art. 32)."
    ),
    remediation="aws.rds.Instance('db', ..., storage_encrypted=True)",
    resource_types=("aws:rds/instance:Instance", "aws:rds/cluster:Cluster"),
)

CLUSTER = "aws:rds/cluster:Cluster"


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(db: Resource) -> rel.Verdict | None:
        if db.type != CLUSTER and db.prop("replicateSourceDb", None) not in (None, ""):
            return rel.not_applicable("a read replica takes its encryption from its source database")
        if db.type != CLUSTER and str(db.prop("engine", "")).startswith("aurora"):
            return rel.not_applicable("an Aurora instance is encrypted by its cluster")
        value = db.prop("storageEncrypted", None)
        if rel.is_unknown(value):
            return rel.unknown("storageEncrypted")
        evidence = rel.ev("storageEncrypted", value, "true")
        if rel.flag(value, "storageEncrypted") is True:
            return rel.passed("storage is encrypted", evidence)
        if db.type == CLUSTER and str(db.prop("engineMode", "")) == "serverless":
            return rel.passed("Aurora Serverless v1 storage is always encrypted", evidence)
        return rel.failed("storage is not encrypted (storageEncrypted is not true)", evidence)

    return rel.each(context, META, check)
