"""AppFlow flows encrypt transferred data with a customer-managed KMS key."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="appflow_flow_cmk_encryption",
    title="AppFlow flows use a customer-managed KMS key",
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION_AT_REST,
    rationale=(
        "CRM records staged by AppFlow are personal data; without kms_arn AppFlow uses the AWS- "
        "managed aws/appflow key (GDPR Art. 32)."
    ),
    remediation="aws.appflow.Flow('crm-sync', kms_arn=key.arn, ...)",
    resource_types=("aws:appflow/flow:Flow", "aws:appflow/connectorProfile:ConnectorProfile"),
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(resource: Resource) -> rel.Verdict:
        return rel.key_verdict(index, "kmsArn", resource.prop("kmsArn", None), "flow data")

    return rel.each(context, META, check)
