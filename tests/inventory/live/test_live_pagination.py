"""Every collector reads past the first page: each list call answers in two pages (Stubber responses,
validated against the service models), and the collection holds the items of both."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.stub import Stubber
from live_helpers import stubbed_client
from stubbed_services import ACCOUNT, KEY, REGION, collect

from supportops.inventory.live import LiveCollection
from supportops.inventory.live.reader import Scope

Stub = Callable[[Stubber], None]
POLICY = json.dumps({"Version": "2012-10-17", "Statement": []})


def _two_pages(
    stub: Stubber,
    operation: str,
    key: str,
    items: list[Any],
    params: dict[str, Any],
    token_in: str,
    token_out: str,
    more: dict[str, Any] | None = None,
) -> None:
    first = {key: items[:1], token_out: "page-2", **(more or {})}
    last = {key: items[1:], **(dict.fromkeys(more, False) if more else {})}
    stub.add_response(operation, first, params)
    stub.add_response(operation, last, {**params, token_in: "page-2"})


def kms(stub: Stubber) -> None:
    keys = [{"KeyId": f"key-{i}"} for i in range(2)]
    stub.add_response("list_keys", {"Keys": keys[:1], "NextMarker": "page-2", "Truncated": True}, {})
    stub.add_response("list_keys", {"Keys": keys[1:], "Truncated": False}, {"Marker": "page-2"})
    for key in keys:
        stub.add_response(
            "describe_key",
            {
                "KeyMetadata": {
                    "KeyId": key["KeyId"],
                    "KeyManager": "CUSTOMER",
                    "KeyState": "Enabled",
                    "Arn": f"{KEY[:-36]}{key['KeyId']}",
                }
            },
            {"KeyId": key["KeyId"]},
        )
        stub.add_response(
            "get_key_policy", {"Policy": POLICY}, {"KeyId": key["KeyId"], "PolicyName": "default"}
        )
        stub.add_response("get_key_rotation_status", {"KeyRotationEnabled": True}, {"KeyId": key["KeyId"]})
        stub.add_response("list_resource_tags", {"Tags": []}, {"KeyId": key["KeyId"]})
    aliases = [{"AliasName": f"alias/a-{i}", "TargetKeyId": f"key-{i}"} for i in range(2)]
    stub.add_response("list_aliases", {"Aliases": aliases[:1], "NextMarker": "page-2", "Truncated": True}, {})
    stub.add_response("list_aliases", {"Aliases": aliases[1:], "Truncated": False}, {"Marker": "page-2"})


def s3(stub: Stubber) -> None:
    buckets = [{"Name": f"bucket-{i}", "BucketRegion": REGION} for i in range(2)]
    stub.add_response("list_buckets", {"Buckets": buckets[:1], "ContinuationToken": "page-2"}, {})
    stub.add_response("list_buckets", {"Buckets": buckets[1:]}, {"ContinuationToken": "page-2"})
    for bucket in buckets:
        name = {"Bucket": bucket["Name"]}
        stub.add_client_error("get_bucket_tagging", "NoSuchTagSet", expected_params=name)
        stub.add_client_error(
            "get_object_lock_configuration", "ObjectLockConfigurationNotFoundError", expected_params=name
        )
        stub.add_response(
            "get_bucket_encryption",
            {
                "ServerSideEncryptionConfiguration": {
                    "Rules": [
                        {
                            "ApplyServerSideEncryptionByDefault": {
                                "SSEAlgorithm": "aws:kms",
                                "KMSMasterKeyID": KEY,
                            }
                        }
                    ]
                }
            },
            name,
        )
        stub.add_response("get_bucket_versioning", {"Status": "Enabled"}, name)
        for operation, code in (
            ("get_public_access_block", "NoSuchPublicAccessBlockConfiguration"),
            ("get_bucket_ownership_controls", "OwnershipControlsNotFoundError"),
            ("get_bucket_policy", "NoSuchBucketPolicy"),
            ("get_bucket_lifecycle_configuration", "NoSuchLifecycleConfiguration"),
        ):
            stub.add_client_error(operation, code, expected_params=name)
        stub.add_response("get_bucket_logging", {}, name)
        stub.add_client_error(
            "get_bucket_replication", "ReplicationConfigurationNotFoundError", expected_params=name
        )
        stub.add_client_error("get_bucket_website", "NoSuchWebsiteConfiguration", expected_params=name)


def iam(stub: Stubber) -> None:
    roles = [
        {
            "RoleName": f"role-{i}",
            "Arn": f"arn:aws:iam::{ACCOUNT}:role/role-{i}",
            "AssumeRolePolicyDocument": POLICY,
            "RolePolicyList": [],
            "AttachedManagedPolicies": [],
        }
        for i in range(2)
    ]
    stub.add_response(
        "get_account_authorization_details",
        {"RoleDetailList": roles[:1], "IsTruncated": True, "Marker": "page-2"},
        {"Filter": ["Role"]},
    )
    stub.add_response(
        "get_account_authorization_details",
        {"RoleDetailList": roles[1:], "IsTruncated": False},
        {"Filter": ["Role"], "Marker": "page-2"},
    )
    stub.add_response(
        "get_account_authorization_details",
        {"Policies": [], "IsTruncated": False},
        {"Filter": ["LocalManagedPolicy"]},
    )


def sqs(stub: Stubber) -> None:
    urls = [f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/queue-{i}" for i in range(2)]
    _two_pages(stub, "list_queues", "QueueUrls", urls, {"MaxResults": 1000}, "NextToken", "NextToken")
    for i, url in enumerate(urls):
        stub.add_response(
            "get_queue_attributes",
            {"Attributes": {"QueueArn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:queue-{i}", "KmsMasterKeyId": KEY}},
            {"QueueUrl": url, "AttributeNames": ["All"]},
        )


def sns(stub: Stubber) -> None:
    arns = [f"arn:aws:sns:{REGION}:{ACCOUNT}:topic-{i}" for i in range(2)]
    _two_pages(stub, "list_topics", "Topics", [{"TopicArn": a} for a in arns], {}, "NextToken", "NextToken")
    for arn in arns:
        stub.add_response("get_topic_attributes", {"Attributes": {"KmsMasterKeyId": KEY}}, {"TopicArn": arn})


def logs(stub: Stubber) -> None:
    groups = [
        {
            "logGroupName": f"group-{i}",
            "arn": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:group-{i}:*",
            "kmsKeyId": KEY,
            "retentionInDays": 365,
        }
        for i in range(2)
    ]
    _two_pages(stub, "describe_log_groups", "logGroups", groups, {}, "nextToken", "nextToken")


def dynamodb(stub: Stubber) -> None:
    stub.add_response("list_tables", {"TableNames": ["table-0"], "LastEvaluatedTableName": "table-0"}, {})
    stub.add_response("list_tables", {"TableNames": ["table-1"]}, {"ExclusiveStartTableName": "table-0"})
    for i in range(2):
        name = {"TableName": f"table-{i}"}
        stub.add_response(
            "describe_table",
            {
                "Table": {
                    "TableName": f"table-{i}",
                    "SSEDescription": {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": KEY},
                }
            },
            name,
        )
        stub.add_response(
            "describe_continuous_backups",
            {
                "ContinuousBackupsDescription": {
                    "ContinuousBackupsStatus": "ENABLED",
                    "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "ENABLED"},
                }
            },
            name,
        )
        stub.add_response(
            "describe_time_to_live", {"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}, name
        )


def kinesis(stub: Stubber) -> None:
    streams = [
        {
            "StreamName": f"stream-{i}",
            "StreamARN": f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/s-{i}",
            "StreamStatus": "ACTIVE",
        }
        for i in range(2)
    ]
    stub.add_response(
        "list_streams",
        {
            "StreamNames": ["stream-0"],
            "StreamSummaries": streams[:1],
            "HasMoreStreams": True,
            "NextToken": "page-2",
        },
        {},
    )
    stub.add_response(
        "list_streams",
        {"StreamNames": ["stream-1"], "StreamSummaries": streams[1:], "HasMoreStreams": False},
        {"NextToken": "page-2"},
    )
    for stream in streams:
        name = {"StreamName": stream["StreamName"]}
        stub.add_response(
            "describe_stream_summary",
            {
                "StreamDescriptionSummary": {
                    "StreamName": stream["StreamName"],
                    "StreamARN": stream["StreamARN"],
                    "StreamStatus": "ACTIVE",
                    "RetentionPeriodHours": 168,
                    "StreamCreationTimestamp": 0,
                    "EnhancedMonitoring": [],
                    "EncryptionType": "KMS",
                    "KeyId": KEY,
                    "OpenShardCount": 1,
                }
            },
            name,
        )
        stub.add_response("list_tags_for_stream", {"Tags": [], "HasMoreTags": False}, name)


def secretsmanager(stub: Stubber) -> None:
    secrets = [
        {"ARN": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:s-{i}", "Name": f"s-{i}", "KmsKeyId": KEY}
        for i in range(2)
    ]
    _two_pages(stub, "list_secrets", "SecretList", secrets, {}, "NextToken", "NextToken")
    for secret in secrets:
        stub.add_client_error(
            "get_resource_policy", "ResourceNotFoundException", expected_params={"SecretId": secret["ARN"]}
        )


def lambda_(stub: Stubber) -> None:
    functions = [
        {
            "FunctionName": f"fn-{i}",
            "FunctionArn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:fn-{i}",
            "KMSKeyArn": KEY,
        }
        for i in range(2)
    ]
    stub.add_response("list_functions", {"Functions": functions[:1], "NextMarker": "page-2"}, {})
    stub.add_response("list_functions", {"Functions": functions[1:]}, {"Marker": "page-2"})
    for function in functions:
        stub.add_client_error(
            "get_policy",
            "ResourceNotFoundException",
            expected_params={"FunctionName": function["FunctionName"]},
        )
    mappings = [
        {
            "UUID": f"00000000-0000-0000-0000-00000000000{i}",
            "EventSourceArn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:q",
        }
        for i in range(2)
    ]
    stub.add_response(
        "list_event_source_mappings", {"EventSourceMappings": mappings[:1], "NextMarker": "page-2"}, {}
    )
    stub.add_response(
        "list_event_source_mappings", {"EventSourceMappings": mappings[1:]}, {"Marker": "page-2"}
    )


def cloudtrail(stub: Stubber) -> None:
    # DescribeTrails is one answer; ListTags takes 20 trails a call: 21 trails make two calls.
    trails = [
        {
            "Name": f"trail-{i}",
            "TrailARN": f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/trail-{i}",
            "HomeRegion": REGION,
        }
        for i in range(21)
    ]
    stub.add_response("describe_trails", {"trailList": trails}, {"includeShadowTrails": False})
    for start in (0, 20):
        batch = [t["TrailARN"] for t in trails[start : start + 20]]
        stub.add_response(
            "list_tags",
            {"ResourceTagList": [{"ResourceId": a, "TagsList": []} for a in batch]},
            {"ResourceIdList": batch},
        )


def events(stub: Stubber) -> None:
    buses = [
        {"Name": f"bus-{i}", "Arn": f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/bus-{i}"} for i in range(2)
    ]
    _two_pages(stub, "list_event_buses", "EventBuses", buses, {"Limit": 100}, "NextToken", "NextToken")
    for bus in buses:
        stub.add_response(
            "describe_event_bus", {"Name": bus["Name"], "KmsKeyIdentifier": KEY}, {"Name": bus["Name"]}
        )
        rules = [{"Name": f"{bus['Name']}-rule-{i}", "Arn": f"{bus['Arn']}/rule-{i}"} for i in range(2)]
        _two_pages(
            stub, "list_rules", "Rules", rules, {"EventBusName": bus["Name"]}, "NextToken", "NextToken"
        )
        for rule in rules:
            stub.add_response("list_tags_for_resource", {"Tags": []}, {"ResourceARN": rule["Arn"]})
            targets = [{"Id": f"t-{i}", "Arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:q"} for i in range(2)]
            _two_pages(
                stub,
                "list_targets_by_rule",
                "Targets",
                targets,
                {"Rule": rule["Name"], "EventBusName": bus["Name"]},
                "NextToken",
                "NextToken",
            )


def cloudwatch(stub: Stubber) -> None:
    alarms = [
        {
            "AlarmName": f"alarm-{i}",
            "AlarmArn": f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:a-{i}",
            "ActionsEnabled": True,
        }
        for i in range(2)
    ]
    _two_pages(
        stub,
        "describe_alarms",
        "MetricAlarms",
        alarms,
        {"AlarmTypes": ["MetricAlarm"]},
        "NextToken",
        "NextToken",
    )


def glue(stub: Stubber) -> None:
    _two_pages(
        stub,
        "get_databases",
        "DatabaseList",
        [{"Name": "db_0"}, {"Name": "db_1"}],
        {},
        "NextToken",
        "NextToken",
    )
    stub.add_response(
        "get_data_catalog_encryption_settings",
        {
            "DataCatalogEncryptionSettings": {
                "EncryptionAtRest": {"CatalogEncryptionMode": "SSE-KMS", "SseAwsKmsKeyId": KEY}
            }
        },
        {},
    )


def athena(stub: Stubber) -> None:
    groups = [{"Name": f"wg-{i}", "State": "ENABLED"} for i in range(2)]
    _two_pages(stub, "list_work_groups", "WorkGroups", groups, {"MaxResults": 50}, "NextToken", "NextToken")
    for group in groups:
        stub.add_response(
            "get_work_group",
            {
                "WorkGroup": {
                    "Name": group["Name"],
                    "Configuration": {
                        "ResultConfiguration": {
                            "EncryptionConfiguration": {"EncryptionOption": "SSE_KMS", "KmsKey": KEY}
                        }
                    },
                }
            },
            {"WorkGroup": group["Name"]},
        )


def backup(stub: Stubber) -> None:
    vaults = [
        {
            "BackupVaultName": f"vault-{i}",
            "BackupVaultArn": f"arn:aws:backup:{REGION}:{ACCOUNT}:backup-vault:v-{i}",
            "EncryptionKeyArn": KEY,
            "Locked": True,
            "MaxRetentionDays": 35,
        }
        for i in range(2)
    ]
    _two_pages(stub, "list_backup_vaults", "BackupVaultList", vaults, {}, "NextToken", "NextToken")
    for vault in vaults:
        stub.add_response("list_tags", {"Tags": {}}, {"ResourceArn": vault["BackupVaultArn"]})
    plans = [
        {
            "BackupPlanId": f"plan-{i}",
            "BackupPlanArn": f"arn:aws:backup:{REGION}:{ACCOUNT}:backup-plan:p-{i}",
            "BackupPlanName": f"plan-{i}",
        }
        for i in range(2)
    ]
    _two_pages(stub, "list_backup_plans", "BackupPlansList", plans, {}, "NextToken", "NextToken")
    for plan in plans:
        stub.add_response(
            "get_backup_plan",
            {
                "BackupPlan": {
                    "BackupPlanName": plan["BackupPlanName"],
                    "Rules": [
                        {
                            "RuleName": "hourly",
                            "TargetBackupVaultName": "vault-0",
                            "ScheduleExpression": "cron(0 * * * ? *)",
                            "Lifecycle": {"DeleteAfterDays": 35},
                        }
                    ],
                }
            },
            {"BackupPlanId": plan["BackupPlanId"]},
        )
        stub.add_response("list_tags", {"Tags": {}}, {"ResourceArn": plan["BackupPlanArn"]})


def apigatewayv2(stub: Stubber) -> None:
    apis = [
        {"ApiId": f"api{i}", "Name": f"api-{i}", "ProtocolType": "HTTP", "RouteSelectionExpression": "x"}
        for i in range(2)
    ]
    _two_pages(stub, "get_apis", "Items", apis, {}, "NextToken", "NextToken")
    for api in apis:
        for operation in ("get_stages", "get_routes", "get_integrations", "get_authorizers"):
            stub.add_response(operation, {"Items": []}, {"ApiId": api["ApiId"]})
    stub.add_response("get_domain_names", {"Items": []}, {})


def acm(stub: Stubber) -> None:
    certificates = [
        {"CertificateArn": f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/c-{i}", "DomainName": "x.example"}
        for i in range(2)
    ]
    _two_pages(
        stub, "list_certificates", "CertificateSummaryList", certificates, {}, "NextToken", "NextToken"
    )


# service -> (stub script, type token, number of resources of that type the two pages hold)
CASES: dict[str, tuple[Stub, str, int]] = {
    "kms": (kms, "aws:kms/key:Key", 2),
    "s3": (s3, "aws:s3/bucket:Bucket", 2),
    "iam": (iam, "aws:iam/role:Role", 2),
    "sqs": (sqs, "aws:sqs/queue:Queue", 2),
    "sns": (sns, "aws:sns/topic:Topic", 2),
    "logs": (logs, "aws:cloudwatch/logGroup:LogGroup", 2),
    "dynamodb": (dynamodb, "aws:dynamodb/table:Table", 2),
    "kinesis": (kinesis, "aws:kinesis/stream:Stream", 2),
    "secretsmanager": (secretsmanager, "aws:secretsmanager/secret:Secret", 2),
    "lambda": (lambda_, "aws:lambda/function:Function", 2),
    "cloudtrail": (cloudtrail, "aws:cloudtrail/trail:Trail", 21),
    "events": (events, "aws:cloudwatch/eventTarget:EventTarget", 8),
    "cloudwatch": (cloudwatch, "aws:cloudwatch/metricAlarm:MetricAlarm", 2),
    "glue": (glue, "aws:glue/catalogDatabase:CatalogDatabase", 2),
    "athena": (athena, "aws:athena/workgroup:Workgroup", 2),
    "backup": (backup, "aws:backup/plan:Plan", 2),
    "apigatewayv2": (apigatewayv2, "aws:apigatewayv2/api:Api", 2),
    "acm": (acm, "aws:acm/certificate:Certificate", 2),
}


def paged(moto_server: str, service: str, scopes: list[Scope] | None = None) -> LiveCollection:
    script, _type, _count = CASES[service]
    client = stubbed_client(service)
    with Stubber(client) as stub:
        script(stub)
        collected = collect(moto_server, service, client, scopes)
        stub.assert_no_pending_responses()
    return collected


@pytest.mark.parametrize("service", sorted(CASES))
def test_collector_reads_the_second_page(service: str, moto_server: str) -> None:
    collected = paged(moto_server, service)
    assert collected.faults == ()
    _script, type_token, count = CASES[service]
    assert len(collected.inventory.of_type(type_token)) == count


def test_every_collector_is_paged_here_or_in_the_service_tests() -> None:
    from stubbed_services import STUBBED

    from supportops.inventory.live import registry

    assert set(registry.services()) == set(CASES) | set(STUBBED) | {"firehose"}


def test_pages_over_http_against_moto(moto_server: str) -> None:
    # moto honours DescribeLogGroups' limit: three groups in a region of their own, one per page.
    from live_helpers import session

    from supportops.inventory.live import LiveTarget, collect_live

    logs = session().client("logs", region_name="eu-central-1", endpoint_url=moto_server)
    for i in range(3):
        logs.create_log_group(logGroupName=f"paged-{i}")
    scopes: list[Scope] = []
    collected = collect_live(
        [LiveTarget(session(), None, ("eu-central-1",), moto_server)],
        services=["logs"],
        scopes=scopes,
        page_size=1,
    )
    groups = collected.inventory.of_type("aws:cloudwatch/logGroup:LogGroup")
    assert sorted(g.id or "" for g in groups) == ["paged-0", "paged-1", "paged-2"]
    assert scopes[0].calls[("logs", "DescribeLogGroups")] >= 3
