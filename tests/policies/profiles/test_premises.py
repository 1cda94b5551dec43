"""Premises about one resource (hand-built inventories; the corpus covers the planned forms)."""

from __future__ import annotations

from supportops.findings import Status
from supportops.inventory.model import UNKNOWN, Inventory, Resource, Source, SourceKind
from supportops.policies.catalog import rule_by_id
from supportops.policies.engine import evaluate
from supportops.policies.stack_config import DEFAULT_CONFIG

API = "aws:apigatewayv2/api:Api"


def _resource(type_token: str, name: str, inputs: dict[str, object], **fields: object) -> Resource:
    return Resource(urn=f"urn:pulumi:dev::p::{type_token}::{name}", type=type_token, name=name,
                    inputs=dict(inputs), **fields)  # type: ignore[arg-type]


def _verdicts(rule_id: str, resources: list[Resource]) -> dict[str, tuple[Status, str]]:
    inventory = Inventory("p", "dev", Source(SourceKind.STACK_EXPORT), resources)
    result = evaluate(inventory, DEFAULT_CONFIG, [rule_by_id(rule_id)])
    return {f.subject.rsplit("::", 1)[-1]: (f.status, f.message) for f in result.findings}


def test_an_inline_website_block_makes_a_website_bucket() -> None:
    site = _resource("aws:s3/bucket:Bucket", "site", {"website": {"indexDocument": "index.html"}})
    plain = _resource("aws:s3/bucket:Bucket", "plain", {})
    verdicts = _verdicts("s3_bucket_policy_denies_insecure_transport", [site, plain])
    assert verdicts["site"] == (
        Status.NOT_APPLICABLE,
        "the bucket serves a static website (website configuration), whose endpoint speaks plain HTTP only",
    )
    assert verdicts["plain"][0] is Status.FAIL


def test_a_domain_mapping_whose_api_id_is_unknown_counts_through_its_dependency() -> None:
    api = _resource(API, "api", {"protocolType": "HTTP"}, id=UNKNOWN)
    mapping = _resource("aws:apigatewayv2/apiMapping:ApiMapping", "map", {"apiId": UNKNOWN},
                        dependencies=[api.urn])
    lone = _resource(API, "lone", {"protocolType": "HTTP"}, id="lone-id")
    verdicts = _verdicts("apigateway_default_endpoint_disabled", [api, mapping, lone])
    assert verdicts["api"] == (Status.FAIL, "the default execute-api endpoint is reachable")
    assert verdicts["lone"] == (
        Status.NOT_APPLICABLE, "no custom domain maps to the API: the default endpoint is its only one"
    )


def test_a_bucket_without_ownership_controls_takes_the_aws_default() -> None:
    bucket = _resource("aws:s3/bucket:Bucket", "b", {})
    status, message = _verdicts("s3_bucket_ownership_enforced", [bucket])["b"]
    assert status is Status.NOT_APPLICABLE
    assert "BucketOwnerEnforced" in message and "April 2023" in message
