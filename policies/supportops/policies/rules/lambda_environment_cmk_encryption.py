"""Lambda functions with environment variables encrypt them with a customer-managed key."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="lambda_environment_cmk_encryption",
    title="Lambda environment variables are encrypted with a customer-managed key",
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION_AT_REST,
    rationale=(
        "Environment variables name tables, queues and secrets of the CRM integration; without "
        "kms_key_arn they are encrypted with the AWS-managed aws/lambda key that every function "
        "role can use (GDPR Art. 32)."
    ),
    remediation="aws.lambda_.Function('lookup', ..., environment={'variables': {...}}, kms_key_arn=key.arn)",
    resource_types=("aws:lambda/function:Function",),
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(function: Resource) -> rel.Verdict:
        variables = function.prop("environment.variables", None)
        if rel.is_unknown(variables):
            return rel.unknown("environment.variables")
        if not variables:
            return rel.not_applicable("the function has no environment variables")
        return rel.key_verdict(index, "kmsKeyArn", function.prop("kmsKeyArn", None), "environment variables")

    return rel.each(context, META, check)
