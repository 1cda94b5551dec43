"""API Gateway v2 (HTTP/WebSocket) APIs and their stages, routes, integrations, authorizers, custom
domain names and API mappings (aws:apigatewayv2/*)."""

from __future__ import annotations

from typing import Any, Final

from supportops.inventory.live.collector import Out, camel
from supportops.inventory.live.reader import CallFailed, Reader

SERVICE: Final = "apigatewayv2"
API: Final = "aws:apigatewayv2/api:Api"
STAGE: Final = "aws:apigatewayv2/stage:Stage"
ROUTE: Final = "aws:apigatewayv2/route:Route"
INTEGRATION: Final = "aws:apigatewayv2/integration:Integration"
AUTHORIZER: Final = "aws:apigatewayv2/authorizer:Authorizer"
DOMAIN: Final = "aws:apigatewayv2/domainName:DomainName"
MAPPING: Final = "aws:apigatewayv2/apiMapping:ApiMapping"
TYPES: Final = (API, STAGE, ROUTE, INTEGRATION, AUTHORIZER, DOMAIN, MAPPING)
GLOBAL: Final = False
CALLS: Final = (
    ("apigatewayv2", "GetApis"),
    ("apigatewayv2", "GetStages"),
    ("apigatewayv2", "GetRoutes"),
    ("apigatewayv2", "GetIntegrations"),
    ("apigatewayv2", "GetAuthorizers"),
    ("apigatewayv2", "GetDomainNames"),
    ("apigatewayv2", "GetApiMappings"),
)


def _children(read: Reader, out: Out, operation: str, **params: Any) -> list[Any]:
    """A per-API list call: a failure is a fault for that API, not the end of the collection."""
    try:
        return _pages(read, operation, **params)
    except CallFailed as failed:
        out.faults.append(failed.fault)
        return []


def _pages(read: Reader, operation: str, **params: Any) -> list[Any]:
    """API Gateway v2 pages by NextToken without botocore paginators for these calls."""
    return read.token_pages(operation, "Items", **params)


def _arn(read: Reader, path: str) -> str:
    return f"arn:{read.scope.partition}:apigateway:{read.region}::{path}"


def _jwt(given: Any) -> dict[str, Any] | None:
    if not isinstance(given, dict):
        return None
    return {"issuer": given.get("Issuer"), "audiences": given.get("Audience")}


def collect(read: Reader, out: Out) -> None:
    for api in _pages(read, "GetApis"):
        api_id = api["ApiId"]
        tags = api.get("Tags") or {}
        out.add(
            API,
            api_id,
            {
                "name": api.get("Name"),
                "protocolType": api.get("ProtocolType"),
                "description": api.get("Description"),
                "disableExecuteApiEndpoint": api.get("DisableExecuteApiEndpoint", False),
                "apiEndpoint": api.get("ApiEndpoint"),
                "tags": tags,
                "tagsAll": tags,
            },
            arn=_arn(read, f"/apis/{api_id}"),
        )
        for stage in _children(read, out, "GetStages", ApiId=api_id):
            stage_tags = stage.get("Tags") or {}
            out.add(
                STAGE,
                f"{api_id}/{stage['StageName']}",
                {
                    "apiId": api_id,
                    "name": stage["StageName"],
                    "autoDeploy": stage.get("AutoDeploy"),
                    "accessLogSettings": camel(stage.get("AccessLogSettings")),
                    "defaultRouteSettings": camel(stage.get("DefaultRouteSettings")),
                    "tags": stage_tags,
                    "tagsAll": stage_tags,
                },
            )
        for route in _children(read, out, "GetRoutes", ApiId=api_id):
            out.add(
                ROUTE,
                f"{api_id}/{route['RouteId']}",
                {
                    "apiId": api_id,
                    "routeKey": route.get("RouteKey"),
                    "target": route.get("Target"),
                    "authorizationType": route.get("AuthorizationType"),
                    "authorizerId": route.get("AuthorizerId"),
                },
            )
        for integration in _children(read, out, "GetIntegrations", ApiId=api_id):
            out.add(
                INTEGRATION,
                f"{api_id}/{integration['IntegrationId']}",
                {
                    "apiId": api_id,
                    "integrationType": integration.get("IntegrationType"),
                    "integrationUri": integration.get("IntegrationUri"),
                    "connectionType": integration.get("ConnectionType"),
                    "payloadFormatVersion": integration.get("PayloadFormatVersion"),
                    "tlsConfig": camel(integration.get("TlsConfig")),
                },
            )
        for authorizer in _children(read, out, "GetAuthorizers", ApiId=api_id):
            out.add(
                AUTHORIZER,
                f"{api_id}/{authorizer['AuthorizerId']}",
                {
                    "apiId": api_id,
                    "name": authorizer.get("Name"),
                    "authorizerType": authorizer.get("AuthorizerType"),
                    "identitySources": authorizer.get("IdentitySource"),
                    "jwtConfiguration": _jwt(authorizer.get("JwtConfiguration")),
                    "authorizerUri": authorizer.get("AuthorizerUri"),
                },
            )
    for domain in _pages(read, "GetDomainNames"):
        name = domain["DomainName"]
        configs = domain.get("DomainNameConfigurations") or [{}]
        tags = domain.get("Tags") or {}
        out.add(
            DOMAIN,
            name,
            {
                "domainName": name,
                "domainNameConfiguration": {
                    k: v
                    for k, v in camel(configs[0]).items()
                    if k in ("endpointType", "certificateArn", "securityPolicy")
                },
                "tags": tags,
                "tagsAll": tags,
            },
            arn=_arn(read, f"/domainnames/{name}"),
        )
        for mapping in _children(read, out, "GetApiMappings", DomainName=name):
            out.add(
                MAPPING,
                f"{name}/{mapping['ApiMappingId']}",
                {
                    "domainName": name,
                    "apiId": mapping.get("ApiId"),
                    "stage": mapping.get("Stage"),
                    "apiMappingKey": mapping.get("ApiMappingKey"),
                },
            )
