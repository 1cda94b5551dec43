"""The ticketing callback endpoint: API Gateway HTTP API on a custom domain (TLS 1.2 security
policy), JWT authorizer, access logs to a KMS-encrypted log group, execute-api endpoint disabled."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from supportops.stacks.components.security import SecureLogGroup, SecureLogGroupArgs
from supportops.stacks.config import DataClassName
from supportops.stacks.config.model import WebhookAuth, WebhookConfig
from supportops.stacks.functions.ticket_sync.webhook_auth import SIGNATURE_HEADER, TIMESTAMP_HEADER

TLS_POLICY = "TLS_1_2"
ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "requestTime": "$context.requestTime",
        "httpMethod": "$context.httpMethod",
        "routeKey": "$context.routeKey",
        "status": "$context.status",
        "protocol": "$context.protocol",
        "responseLength": "$context.responseLength",
        "authorizerError": "$context.authorizer.error",
        "principal": "$context.authorizer.claims.sub",
    },
    sort_keys=True,
)


@dataclass(frozen=True)
class Webhook:
    api: aws.apigatewayv2.Api
    domain: aws.apigatewayv2.DomainName
    url: pulumi.Output[str]


def build_webhook(
    name: str,
    settings: WebhookConfig,
    function: aws.lambda_.Function,
    log_key_arn: pulumi.Input[str],
    log_retention_days: int,
    parent: pulumi.Resource,
    signature_authorizer: aws.lambda_.Function | None = None,
) -> Webhook:
    """``signature_authorizer`` (HMAC mode): the Lambda that admits only freshly signed requests."""
    opts = pulumi.ResourceOptions(parent=parent)
    api = aws.apigatewayv2.Api(
        f"{name}-webhook",
        name=f"{name}-webhook",
        protocol_type="HTTP",
        description="Ticketing-system callbacks",
        disable_execute_api_endpoint=True,
        opts=opts,
    )
    if settings.certificate_arn is not None:
        certificate_arn: pulumi.Input[str] = settings.certificate_arn
    else:
        certificate = aws.acm.Certificate(
            f"{name}-webhook",
            domain_name=settings.domain_name,
            validation_method="DNS",
            opts=opts,
        )
        # Waits until the DNS validation record (see the certificate's domainValidationOptions) exists.
        certificate_arn = aws.acm.CertificateValidation(
            f"{name}-webhook", certificate_arn=certificate.arn, opts=opts
        ).certificate_arn
    domain = aws.apigatewayv2.DomainName(
        f"{name}-webhook",
        domain_name=settings.domain_name,
        domain_name_configuration=aws.apigatewayv2.DomainNameDomainNameConfigurationArgs(
            certificate_arn=certificate_arn, endpoint_type="REGIONAL", security_policy=TLS_POLICY
        ),
        opts=opts,
    )
    if settings.auth is WebhookAuth.HMAC:
        if signature_authorizer is None:
            raise ValueError("HMAC webhook auth needs the signature authorizer function")
        authorizer = _signature_authorizer(name, api, signature_authorizer, opts)
        authorization_type = "CUSTOM"
    else:
        authorizer = aws.apigatewayv2.Authorizer(
            f"{name}-webhook-jwt",
            api_id=api.id,
            name="ticketing-jwt",
            authorizer_type="JWT",
            identity_sources=["$request.header.Authorization"],
            jwt_configuration=aws.apigatewayv2.AuthorizerJwtConfigurationArgs(
                issuer=settings.jwt_issuer, audiences=settings.jwt_audience
            ),
            opts=opts,
        )
        authorization_type = "JWT"
    integration = aws.apigatewayv2.Integration(
        f"{name}-webhook",
        api_id=api.id,
        integration_type="AWS_PROXY",
        integration_uri=function.arn,
        payload_format_version="2.0",
        opts=opts,
    )
    aws.apigatewayv2.Route(
        f"{name}-webhook-callbacks",
        api_id=api.id,
        route_key="POST /callbacks",
        authorization_type=authorization_type,
        authorizer_id=authorizer.id,
        target=pulumi.Output.concat("integrations/", integration.id),
        opts=opts,
    )
    logs = SecureLogGroup(
        f"{name}-webhook-access",
        SecureLogGroupArgs(
            data_class=DataClassName.APPLICATION_LOGS,
            retention_days=log_retention_days,
            kms_key_arn=log_key_arn,
        ),
        opts=opts,
    )
    stage = aws.apigatewayv2.Stage(
        f"{name}-webhook",
        api_id=api.id,
        name="$default",
        auto_deploy=True,
        access_log_settings=aws.apigatewayv2.StageAccessLogSettingsArgs(
            destination_arn=logs.arn, format=ACCESS_LOG_FORMAT
        ),
        default_route_settings=aws.apigatewayv2.StageDefaultRouteSettingsArgs(
            throttling_burst_limit=50, throttling_rate_limit=20
        ),
        opts=opts,
    )
    aws.apigatewayv2.ApiMapping(
        f"{name}-webhook", api_id=api.id, domain_name=domain.id, stage=stage.id, opts=opts
    )
    aws.lambda_.Permission(
        f"{name}-webhook-invoke",
        action="lambda:InvokeFunction",
        function=function.name,
        principal="apigateway.amazonaws.com",
        source_arn=pulumi.Output.concat(api.execution_arn, "/*/*/callbacks"),
        opts=opts,
    )
    return Webhook(
        api=api, domain=domain, url=pulumi.Output.concat("https://", domain.domain_name, "/callbacks")
    )


def _signature_authorizer(
    name: str, api: aws.apigatewayv2.Api, function: aws.lambda_.Function, opts: pulumi.ResourceOptions
) -> aws.apigatewayv2.Authorizer:
    """A REQUEST authorizer: requests without both signature headers are refused by API Gateway
    itself; the function refuses stale timestamps (no caching: every request is checked)."""
    aws.lambda_.Permission(
        f"{name}-webhook-authorizer-invoke",
        action="lambda:InvokeFunction",
        function=function.name,
        principal="apigateway.amazonaws.com",
        source_arn=pulumi.Output.concat(api.execution_arn, "/authorizers/*"),
        opts=opts,
    )
    return aws.apigatewayv2.Authorizer(
        f"{name}-webhook-signature",
        api_id=api.id,
        name="ticketing-signature",
        authorizer_type="REQUEST",
        authorizer_uri=function.invoke_arn,
        authorizer_payload_format_version="2.0",
        enable_simple_responses=True,
        authorizer_result_ttl_in_seconds=0,
        identity_sources=[f"$request.header.{SIGNATURE_HEADER}", f"$request.header.{TIMESTAMP_HEADER}"],
        opts=opts,
    )
