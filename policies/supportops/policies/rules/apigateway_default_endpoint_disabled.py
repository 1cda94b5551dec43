"""HTTP/WebSocket APIs disable the default execute-api endpoint (traffic only via the TLS 1.2 domain)."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import premises
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="apigateway_default_endpoint_disabled",
    title="APIs disable the default execute-api endpoint",
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION_IN_TRANSIT,
    rationale=(
        "The custom domain carries the TLS 1.2 security policy and the certificate clients pin; the "
        "default execute-api endpoint bypasses both, so callers must be forced through the domain "
        "(PCI DSS 4.2.1)."
    ),
    remediation="aws.apigatewayv2.Api('webhook', protocol_type='HTTP', disable_execute_api_endpoint=True)",
    resource_types=("aws:apigatewayv2/api:Api", "aws:apigateway/restApi:RestApi"),
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(api: Resource) -> rel.Verdict:
        if not premises.has_custom_domain(index, api):
            return rel.not_applicable(
                "no custom domain maps to the API: the default endpoint is its only one"
            )
        value = api.prop("disableExecuteApiEndpoint", None)
        if rel.is_unknown(value):
            return rel.unknown("disableExecuteApiEndpoint")
        evidence = rel.ev("disableExecuteApiEndpoint", value, "true")
        if rel.flag(value, "disableExecuteApiEndpoint") is True:
            return rel.passed("only the custom domain serves the API", evidence)
        return rel.failed("the default execute-api endpoint is reachable", evidence)

    return rel.each(context, META, check)
