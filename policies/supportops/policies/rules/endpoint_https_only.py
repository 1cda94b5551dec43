"""Outbound endpoints (SNS subscriptions, EventBridge API destinations, Firehose HTTP endpoints, API
Gateway HTTP integrations and JWT issuers) use HTTPS."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="endpoint_https_only",
    title="Outbound HTTP endpoints use HTTPS",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_IN_TRANSIT,
    rationale=(
        "Alarms, contact events and analytics leave the account over HTTP endpoints; plain http:// "
        "sends them unencrypted across public networks (PCI DSS 4.2.1, GDPR Art. 32)."
    ),
    remediation=(
        "aws.cloudwatch.EventApiDestination('crm', invocation_endpoint='https://crm.example.com/hook', ...)\n"
        "aws.sns.TopicSubscription('ops', topic=topic.arn, protocol='https', endpoint='https://...')"
    ),
    resource_types=(
        "aws:sns/topicSubscription:TopicSubscription",
        "aws:cloudwatch/eventApiDestination:EventApiDestination",
        rel.FIREHOSE,
        "aws:apigatewayv2/authorizer:Authorizer",
        "aws:apigatewayv2/integration:Integration",
    ),
)

PATHS = {
    "aws:sns/topicSubscription:TopicSubscription": "endpoint",
    "aws:cloudwatch/eventApiDestination:EventApiDestination": "invocationEndpoint",
    rel.FIREHOSE: "httpEndpointConfiguration.url",
    "aws:apigatewayv2/authorizer:Authorizer": "jwtConfiguration.issuer",
    "aws:apigatewayv2/integration:Integration": "integrationUri",
}


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(resource: Resource) -> rel.Verdict | None:
        if resource.type == "aws:sns/topicSubscription:TopicSubscription":
            protocol = resource.prop("protocol", None)
            if rel.is_unknown(protocol):
                return rel.unknown("protocol")
            if (rel.text(protocol, "protocol") or "").lower() not in ("http", "https"):
                return None  # sqs, lambda, firehose ... stay inside AWS
        if (
            resource.type == "aws:apigatewayv2/authorizer:Authorizer"
            and rel.text(resource.prop("authorizerType", None), "authorizerType") != "JWT"
        ):
            return None  # Lambda authorizers call no URL
        if resource.type == "aws:apigatewayv2/integration:Integration":
            kind = resource.prop("integrationType", None)
            if rel.is_unknown(kind):
                return rel.unknown("integrationType")
            kind = rel.text(kind, "integrationType")
            connection = rel.text(resource.prop("connectionType", None), "connectionType")
            if kind not in ("HTTP", "HTTP_PROXY") or connection == "VPC_LINK":
                return None  # AWS service / Lambda integrations, private VPC links: no public URL
        path = PATHS[resource.type]
        url = resource.prop(path, None)
        if url is None and resource.type == rel.FIREHOSE:
            return None  # no HTTP endpoint destination
        if rel.is_unknown(url):
            return rel.unknown(path)
        evidence = rel.ev(path, url, "https://...")
        if isinstance(url, str) and url.lower().startswith("https://"):
            return rel.passed("the endpoint uses HTTPS", evidence)
        return rel.failed("the endpoint is not HTTPS", evidence)

    return rel.each(context, META, check)
