"""AppSync GraphQL APIs log requests to CloudWatch Logs."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="appsync_graphql_api_logging",
    title="AppSync GraphQL APIs have field-level logging",
    severity=Severity.MEDIUM,
    category=Category.AUDIT_LOGGING,
    rationale=(
        "Without a log config an API's resolver errors and request traces are not recorded, so abuse "
        "and failures cannot be investigated (PCI DSS 10.2)."
    ),
    remediation=(
        "aws.appsync.GraphQLApi('api', ..., log_config={'cloudwatch_logs_role_arn': role.arn,\n"
        "    'field_log_level': 'ERROR'})"
    ),
    resource_types=("aws:appsync/graphQLApi:GraphQLApi",),
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(api: Resource) -> rel.Verdict:
        level = api.prop("logConfig.fieldLogLevel", None)
        if rel.is_unknown(level):
            return rel.unknown("logConfig.fieldLogLevel")
        evidence = rel.ev("logConfig.fieldLogLevel", level, "ERROR, INFO, DEBUG or ALL")
        if level in (None, "", "NONE"):
            return rel.failed("field-level logging is off (no logConfig or level NONE)", evidence)
        return rel.passed(f"field-level logging at {level}", evidence)

    return rel.each(context, META, check)
