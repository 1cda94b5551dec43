"""API Gateway routes require authorization."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="apigateway_route_authorization",
    title="API Gateway routes require an authorizer",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    rationale=(
        "The webhook routes write tickets and customer context; a route with authorization NONE "
        "lets anyone on the internet call them (PCI DSS 7.2.1, 8.2)."
    ),
    remediation=(
        "aws.apigatewayv2.Route('hook', api_id=api.id, route_key='POST /hook',\n"
        "    authorization_type='JWT', authorizer_id=jwt.id, target=f'integrations/{integration.id}')"
    ),
    resource_types=("aws:apigatewayv2/route:Route", "aws:apigateway/method:Method"),
)


V2_TYPES = frozenset({"NONE", "AWS_IAM", "CUSTOM", "JWT"})
REST_TYPES = frozenset({"NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS"})


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(route: Resource) -> rel.Verdict:
        path = "authorizationType" if route.type.startswith("aws:apigatewayv2/") else "authorization"
        value = route.prop(path, None)
        if rel.is_unknown(value):
            return rel.unknown(path)
        # An allow-list: 0, "none" or a typo is never read as "some authorization".
        value = rel.choice(value, path, V2_TYPES if path == "authorizationType" else REST_TYPES)
        evidence = rel.ev(path, value, "JWT, AWS_IAM, CUSTOM or COGNITO_USER_POOLS")
        if value in (None, "NONE"):
            return rel.failed("the route is callable without authorization", evidence)
        return rel.passed(f"authorization {value}", evidence)

    return rel.each(context, META, check)
