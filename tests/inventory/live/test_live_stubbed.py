"""Collectors against botocore Stubber responses (validated against the real service models): paging
beyond one page, APIs moto lacks, and faults (AccessDenied, throttling, not implemented) that become
CollectionFaults naming the call and the principal, never an empty result or a verdict."""

from __future__ import annotations

from typing import Any

from botocore.stub import Stubber
from live_helpers import session, stubbed_client

from supportops.inventory.live import LiveCollection, LiveTarget, collect_live
from supportops.inventory.live.reader import Scope
from supportops.inventory.model import UNKNOWN

ACCOUNT = "123456789012"
REGION = "us-east-1"


def run(moto_server: str, service: str, client: Any, scopes: list[Scope] | None = None) -> LiveCollection:
    return collect_live(
        [LiveTarget(session(), None, (REGION,), moto_server)],
        services=[service],
        overrides={(service, REGION): client},
        scopes=scopes,
    )


def firehose_collection(moto_server: str, scopes: list[Scope]) -> LiveCollection:
    client = stubbed_client("firehose")
    names = [f"stream-{i}" for i in range(3)]
    with Stubber(client) as stub:
        stub.add_response(
            "list_delivery_streams",
            {"DeliveryStreamNames": names[:2], "HasMoreDeliveryStreams": True},
            {"Limit": 100},
        )
        stub.add_response(
            "list_delivery_streams",
            {"DeliveryStreamNames": names[2:], "HasMoreDeliveryStreams": False},
            {"Limit": 100, "ExclusiveStartDeliveryStreamName": "stream-1"},
        )
        for name in names:
            stub.add_response(
                "describe_delivery_stream",
                {
                    "DeliveryStreamDescription": {
                        "DeliveryStreamName": name,
                        "DeliveryStreamARN": f"arn:aws:firehose:{REGION}:{ACCOUNT}:deliverystream/{name}",
                        "DeliveryStreamStatus": "ACTIVE",
                        "DeliveryStreamType": "DirectPut",
                        "VersionId": "1",
                        "Destinations": [],
                        "HasMoreDestinations": False,
                        "DeliveryStreamEncryptionConfiguration": {
                            "KeyType": "CUSTOMER_MANAGED_CMK",
                            "Status": "ENABLED",
                            "KeyARN": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/k",
                        },
                    }
                },
                {"DeliveryStreamName": name},
            )
        collected = run(moto_server, "firehose", client, scopes)
        stub.assert_no_pending_responses()
    return collected


def test_firehose_pages_beyond_the_first(moto_server: str) -> None:
    scopes: list[Scope] = []
    collected = firehose_collection(moto_server, scopes)
    names = [f"stream-{i}" for i in range(3)]
    streams = collected.inventory.of_type("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream")
    assert sorted(s.id or "" for s in streams) == names
    assert streams[0].prop("serverSideEncryption.keyType") == "CUSTOMER_MANAGED_CMK"
    assert scopes[0].calls[("firehose", "ListDeliveryStreams")] == 2  # pages, not streams


def api_mapping_collection(moto_server: str, scopes: list[Scope]) -> LiveCollection:
    client = stubbed_client("apigatewayv2")
    with Stubber(client) as stub:
        stub.add_response("get_apis", {"Items": []}, {})
        stub.add_response(
            "get_domain_names",
            {
                "Items": [
                    {
                        "DomainName": "hooks.example.com",
                        "DomainNameConfigurations": [
                            {
                                "EndpointType": "REGIONAL",
                                "SecurityPolicy": "TLS_1_2",
                                "CertificateArn": f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/c",
                            }
                        ],
                    }
                ]
            },
            {},
        )
        stub.add_response(
            "get_api_mappings",
            {"Items": [{"ApiId": "a1", "Stage": "$default", "ApiMappingId": "m1"}], "NextToken": "t"},
            {"DomainName": "hooks.example.com"},
        )
        stub.add_response(
            "get_api_mappings",
            {"Items": [{"ApiId": "a2", "Stage": "$default", "ApiMappingId": "m2"}]},
            {"DomainName": "hooks.example.com", "NextToken": "t"},
        )
        collected = run(moto_server, "apigatewayv2", client, scopes)
        stub.assert_no_pending_responses()
    return collected


def test_api_mappings_of_custom_domains_page_by_token(moto_server: str) -> None:
    collected = api_mapping_collection(moto_server, [])
    domain = collected.inventory.of_type("aws:apigatewayv2/domainName:DomainName")[0]
    assert domain.prop("domainNameConfiguration.securityPolicy") == "TLS_1_2"
    mappings = collected.inventory.of_type("aws:apigatewayv2/apiMapping:ApiMapping")
    assert sorted(m.prop("apiId") for m in mappings) == ["a1", "a2"]


def test_access_denied_on_a_list_call_is_a_fault_not_an_empty_result(moto_server: str) -> None:
    client = stubbed_client("sqs")
    with Stubber(client) as stub:
        stub.add_client_error("list_queues", "AccessDenied", "not authorized to perform sqs:ListQueues", 403)
        collected = run(moto_server, "sqs", client)
    (fault,) = collected.faults
    assert (fault.service, fault.api_call, fault.error_code) == ("sqs", "ListQueues", "AccessDenied")
    assert fault.principal and fault.principal.startswith("arn:aws:sts::")
    assert fault.subject is None
    assert "aws:sqs/queue:Queue" in collected.uncollected_types
    assert "ListQueues" in collected.uncollected_types["aws:sqs/queue:Queue"]
    assert collected.inventory.of_type("aws:sqs/queue:Queue") == []


def test_throttling_after_retries_is_a_fault(moto_server: str) -> None:
    client = stubbed_client("kms")
    with Stubber(client) as stub:
        stub.add_client_error("list_keys", "ThrottlingException", "Rate exceeded", 400)
        collected = run(moto_server, "kms", client)
    assert [(f.api_call, f.error_code) for f in collected.faults] == [("ListKeys", "ThrottlingException")]


def test_a_setting_that_cannot_be_read_is_unknown_with_a_fault_naming_the_bucket(moto_server: str) -> None:
    client = stubbed_client("s3")
    bucket = "stubbed-bucket"
    absent = {
        "get_bucket_tagging": "NoSuchTagSet",
        "get_object_lock_configuration": "ObjectLockConfigurationNotFoundError",
        "get_public_access_block": "NoSuchPublicAccessBlockConfiguration",
        "get_bucket_ownership_controls": "OwnershipControlsNotFoundError",
        "get_bucket_policy": "NoSuchBucketPolicy",
        "get_bucket_lifecycle_configuration": "NoSuchLifecycleConfiguration",
        "get_bucket_replication": "ReplicationConfigurationNotFoundError",
        "get_bucket_website": "NoSuchWebsiteConfiguration",
    }
    with Stubber(client) as stub:
        stub.add_response("list_buckets", {"Buckets": [{"Name": bucket, "BucketRegion": REGION}]})
        stub.add_client_error("get_bucket_tagging", absent["get_bucket_tagging"])
        stub.add_client_error("get_object_lock_configuration", absent["get_object_lock_configuration"])
        stub.add_client_error("get_bucket_encryption", "AccessDenied", "denied", 403)
        stub.add_response("get_bucket_versioning", {})
        for operation in (
            "get_public_access_block",
            "get_bucket_ownership_controls",
            "get_bucket_policy",
            "get_bucket_lifecycle_configuration",
        ):
            stub.add_client_error(operation, absent[operation], http_status_code=404)
        stub.add_response("get_bucket_logging", {})
        for operation in ("get_bucket_replication", "get_bucket_website"):
            stub.add_client_error(operation, absent[operation], http_status_code=404)
        collected = run(moto_server, "s3", client)
        stub.assert_no_pending_responses()
    types = sorted(r.type.rsplit(":", 1)[-1] for r in collected.inventory if r.custom)
    # absent settings are absent; the unreadable one is present with unknown rules
    assert types == ["Bucket", "BucketServerSideEncryptionConfiguration"]
    encryption = collected.inventory.of_type(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    )[0]
    assert encryption.inputs["rules"] == UNKNOWN
    (fault,) = collected.faults
    assert (fault.api_call, fault.error_code, fault.subject) == (
        "GetBucketEncryption",
        "AccessDenied",
        encryption.urn,
    )


def test_a_disabled_region_is_a_fault_for_that_region(moto_server: str) -> None:
    # An opt-in region the account has not enabled refuses the credentials.
    client = stubbed_client("logs", "ap-east-1")
    with Stubber(client) as stub:
        stub.add_client_error(
            "describe_log_groups", "UnrecognizedClientException", "The security token is invalid", 400
        )
        collected = collect_live(
            [LiveTarget(session(), None, ("ap-east-1",), moto_server)],
            services=["logs"],
            overrides={("logs", "ap-east-1"): client},
        )
    (fault,) = collected.faults
    assert (fault.region, fault.api_call, fault.error_code) == (
        "ap-east-1",
        "DescribeLogGroups",
        "UnrecognizedClientException",
    )


def test_credentials_of_another_account_read_nothing(moto_server: str) -> None:
    collected = collect_live(
        [LiveTarget(session(), "999999999999", (REGION,), moto_server)], services=["sqs"]
    )
    (fault,) = collected.faults
    assert (fault.api_call, fault.error_code) == ("GetCallerIdentity", "WrongAccount")
    assert len(collected.inventory) == 0
    assert "identity" in collected.uncollected_types["aws:sqs/queue:Queue"]


def test_unknown_service_names_are_refused() -> None:
    import pytest

    from supportops.errors import BadInput

    with pytest.raises(BadInput, match="unknown service"):
        collect_live([], services=["sqs", "nope"])


def test_progress_names_account_region_and_service(moto_server: str) -> None:
    seen: list[str] = []
    collect_live(
        [LiveTarget(session(), None, (REGION,), moto_server)], services=["sns"], on_progress=seen.append
    )
    assert seen == [f"{ACCOUNT} {REGION}: sns"]


def test_no_stand_in_stack_unless_asked(moto_server: str) -> None:
    # Account-level rules judge what is absent: without a stand-in stack they are not run at all,
    # and the collection says so (a caller that read every service and region may ask for one).
    plain = collect_live([LiveTarget(session(), None, (REGION,), moto_server)], services=["sns"])
    assert plain.inventory.of_type("pulumi:pulumi:Stack") == []
    assert "not judged" in plain.uncollected_types["pulumi:pulumi:Stack"]
    asked = collect_live(
        [LiveTarget(session(), None, (REGION,), moto_server)], services=["sns"], account_stack=True
    )
    (stack,) = asked.inventory.of_type("pulumi:pulumi:Stack")
    assert not stack.custom and "pulumi:pulumi:Stack" not in asked.uncollected_types
