"""API Gateway stages write access logs."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="apigateway_stage_access_logging",
    title="API Gateway stages have access logging",
    severity=Severity.MEDIUM,
    category=Category.AUDIT_LOGGING,
    rationale=(
        "Every call to the webhook API (who, when, which route, which status) must be traceable "
        "(PCI DSS 10.2.1); stages log nothing unless access_log_settings names a destination."
    ),
    remediation=(
        "aws.apigatewayv2.Stage('live', api_id=api.id, name='$default', auto_deploy=True,\n"
        "    access_log_settings={'destinationArn': access_logs.arn, 'format': json.dumps(FIELDS)})"
    ),
    resource_types=("aws:apigatewayv2/stage:Stage", "aws:apigateway/stage:Stage"),
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(stage: Resource) -> rel.Verdict:
        destination = stage.prop("accessLogSettings.destinationArn", None)
        if rel.is_unknown(destination):
            return rel.unknown("accessLogSettings.destinationArn")
        evidence = rel.ev("accessLogSettings.destinationArn", destination, "a log destination")
        if destination:
            return rel.passed(f"access logs go to {destination}", evidence)
        return rel.failed("the stage writes no access logs", evidence)

    return rel.each(context, META, check)
