"""Athena workgroups encrypt query results with a customer-managed key, enforced."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="athena_workgroup_cmk_encryption",
    title="Athena workgroups encrypt query results with a customer-managed key",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_AT_REST,
    rationale=(
        "Query results are copies of the analytics data (KPI reports over contacts); they must be "
        "SSE-KMS/CSE-KMS with a customer-managed key, enforced so clients cannot override it "
        "(PCI DSS 3.5.1, GDPR Art. 32)."
    ),
    remediation=(
        "aws.athena.Workgroup('kpi', configuration={'enforceWorkgroupConfiguration': True,\n"
        "    'resultConfiguration': {'outputLocation': f's3://{results}/',\n"
        "        'encryptionConfiguration': {'encryptionOption': 'SSE_KMS', 'kmsKeyArn': key.arn}}})"
    ),
    resource_types=("aws:athena/workgroup:Workgroup",),
    needs_stack=True,
)

RESULT = "configuration.resultConfiguration.encryptionConfiguration"


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(workgroup: Resource) -> rel.Verdict:
        option = workgroup.prop(f"{RESULT}.encryptionOption", None)
        enforced = workgroup.prop("configuration.enforceWorkgroupConfiguration", None)
        if rel.is_unknown(option) or rel.is_unknown(enforced):
            return rel.unknown(RESULT)
        option = rel.text(option, f"{RESULT}.encryptionOption")
        if option not in ("SSE_KMS", "CSE_KMS"):
            return rel.failed(
                f"query results are encrypted with {option or 'nothing'}",
                rel.ev(f"{RESULT}.encryptionOption", option, "SSE_KMS or CSE_KMS"),
            )
        if rel.flag(enforced, "configuration.enforceWorkgroupConfiguration") is False:
            return rel.failed(
                "clients may override the workgroup's result encryption",
                rel.ev("configuration.enforceWorkgroupConfiguration", enforced, "true"),
            )
        return rel.key_verdict(
            index, f"{RESULT}.kmsKeyArn", workgroup.prop(f"{RESULT}.kmsKeyArn", None), "query results"
        )

    return rel.each(context, META, check)
