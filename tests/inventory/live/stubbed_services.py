"""Stubber-backed collections of the services moto cannot hold, shaped from the real service models
(botocore's Stubber validates every request and response). Each list call answers in two pages."""

from __future__ import annotations

import json
from typing import Any

from botocore.stub import ANY, Stubber
from live_helpers import session, stubbed_client

from supportops.inventory.live import LiveCollection, LiveTarget, collect_live
from supportops.inventory.live.reader import Scope

ACCOUNT = "123456789012"
REGION = "us-east-1"
KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/11111111-2222-3333-4444-555555555555"
INSTANCE = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"


def collect(moto_server: str, service: str, client: Any, scopes: list[Scope] | None = None) -> LiveCollection:
    # with the stand-in stack: the account-level rules run (only us-east-1 is read: the tests say so)
    return collect_live(
        [LiveTarget(session(), None, (REGION,), moto_server)],
        services=[service],
        overrides={(service, REGION): client},
        scopes=scopes,
        account_stack=True,
    )


def customer_profiles(moto_server: str, scopes: list[Scope] | None = None) -> LiveCollection:
    client = stubbed_client("customer-profiles")
    with Stubber(client) as stub:
        stub.add_response(
            "list_domains", {"Items": [_domain_item("crm-a")], "NextToken": "t"}, {"MaxResults": 100}
        )
        stub.add_response(
            "list_domains", {"Items": [_domain_item("crm-b")]}, {"MaxResults": 100, "NextToken": "t"}
        )
        stub.add_response("get_domain", _domain("crm-a", KEY, 365), {"DomainName": "crm-a"})
        stub.add_response("get_domain", _domain("crm-b", None, 3000), {"DomainName": "crm-b"})
        collected = collect(moto_server, "customer-profiles", client, scopes)
        stub.assert_no_pending_responses()
    return collected


def _domain_item(name: str) -> dict[str, Any]:
    return {"DomainName": name, "CreatedAt": 0, "LastUpdatedAt": 0}


def _domain(name: str, key: str | None, days: int) -> dict[str, Any]:
    found: dict[str, Any] = {
        "DomainName": name,
        "DefaultExpirationDays": days,
        "CreatedAt": 0,
        "LastUpdatedAt": 0,
        "Tags": {"data-classification": "customer-profiles"},
    }
    if key:
        found["DefaultEncryptionKey"] = key
    return found


def appflow(moto_server: str, scopes: list[Scope] | None = None) -> LiveCollection:
    client = stubbed_client("appflow")
    flows = [
        {
            "flowName": f"flow-{i}",
            "flowArn": f"arn:aws:appflow:{REGION}:{ACCOUNT}:flow/flow-{i}",
            "tags": {"owner": "team"},
        }
        for i in range(2)
    ]
    with Stubber(client) as stub:
        stub.add_response("list_flows", {"flows": flows[:1], "nextToken": "t"}, {"maxResults": 100})
        stub.add_response("list_flows", {"flows": flows[1:]}, {"maxResults": 100, "nextToken": "t"})
        for i, flow in enumerate(flows):
            stub.add_response(
                "describe_flow",
                {
                    "flowName": flow["flowName"],
                    "flowArn": flow["flowArn"],
                    "flowStatus": "Active",
                    **({"kmsArn": KEY} if i == 0 else {}),
                    "sourceFlowConfig": {
                        "connectorType": "Zendesk",
                        "connectorProfileName": "zendesk",
                        "sourceConnectorProperties": {"Zendesk": {"object": "users"}},
                    },
                    "destinationFlowConfigList": [
                        {
                            "connectorType": "CustomerProfiles",
                            "destinationConnectorProperties": {"CustomerProfiles": {"domainName": "crm-a"}},
                        }
                    ],
                },
                {"flowName": flow["flowName"]},
            )
        stub.add_response(
            "describe_connector_profiles",
            {
                "connectorProfileDetails": [
                    {
                        "connectorProfileName": "zendesk",
                        "connectorType": "Zendesk",
                        "connectionMode": "Public",
                        "connectorProfileArn": f"arn:aws:appflow:{REGION}:{ACCOUNT}:connectorprofile/zendesk",
                    }
                ],
                "nextToken": "p",
            },
            {"maxResults": 100},
        )
        stub.add_response(
            "describe_connector_profiles",
            {"connectorProfileDetails": []},
            {"maxResults": 100, "nextToken": "p"},
        )
        collected = collect(moto_server, "appflow", client, scopes)
        stub.assert_no_pending_responses()
    return collected


def qconnect(moto_server: str, scopes: list[Scope] | None = None) -> LiveCollection:
    client = stubbed_client("qconnect")
    assistants = [
        {
            "assistantId": f"as-{i}",
            "assistantArn": f"arn:aws:wisdom:{REGION}:{ACCOUNT}:assistant/as-{i}",
            "name": f"assistant-{i}",
            "type": "AGENT",
            "status": "ACTIVE",
            **({"serverSideEncryptionConfiguration": {"kmsKeyId": KEY}} if i == 0 else {}),
        }
        for i in range(2)
    ]
    bases = [
        {
            "knowledgeBaseId": f"kb-{i}",
            "knowledgeBaseArn": f"arn:aws:wisdom:{REGION}:{ACCOUNT}:knowledge-base/kb-{i}",
            "name": f"kb-{i}",
            "knowledgeBaseType": "EXTERNAL",
            "status": "ACTIVE",
            "serverSideEncryptionConfiguration": {"kmsKeyId": KEY},
        }
        for i in range(2)
    ]
    with Stubber(client) as stub:
        stub.add_response("list_assistants", {"assistantSummaries": assistants[:1], "nextToken": "t"}, {})
        stub.add_response("list_assistants", {"assistantSummaries": assistants[1:]}, {"nextToken": "t"})
        stub.add_response("list_knowledge_bases", {"knowledgeBaseSummaries": bases[:1], "nextToken": "k"}, {})
        stub.add_response("list_knowledge_bases", {"knowledgeBaseSummaries": bases[1:]}, {"nextToken": "k"})
        collected = collect(moto_server, "qconnect", client, scopes)
        stub.assert_no_pending_responses()
    return collected


def appintegrations(moto_server: str, scopes: list[Scope] | None = None) -> LiveCollection:
    client = stubbed_client("appintegrations")
    items = [
        {
            "Arn": f"arn:aws:app-integrations:{REGION}:{ACCOUNT}:data-integration/di-{i}",
            "Name": f"di-{i}",
            "SourceURI": "s3://bucket",
        }
        for i in range(2)
    ]
    with Stubber(client) as stub:
        stub.add_response("list_data_integrations", {"DataIntegrations": items[:1], "NextToken": "t"}, {})
        stub.add_response("list_data_integrations", {"DataIntegrations": items[1:]}, {"NextToken": "t"})
        for i, item in enumerate(items):
            stub.add_response(
                "get_data_integration",
                {
                    "Arn": item["Arn"],
                    "Id": f"id-{i}",
                    "Name": item["Name"],
                    "SourceURI": "s3://bucket",
                    **({"KmsKey": KEY} if i == 0 else {}),
                    "Tags": {"owner": "team"},
                },
                {"Identifier": item["Arn"]},
            )
        collected = collect(moto_server, "appintegrations", client, scopes)
        stub.assert_no_pending_responses()
    return collected


def lex(moto_server: str, scopes: list[Scope] | None = None) -> LiveCollection:
    client = stubbed_client("lexv2-models")
    log_group = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:bot-conversations"
    with Stubber(client) as stub:
        stub.add_response(
            "list_bots", {"botSummaries": [{"botId": "BOTAAAAAA1"}], "nextToken": "t"}, {"maxResults": 1000}
        )
        stub.add_response(
            "list_bots", {"botSummaries": [{"botId": "BOTAAAAAA2"}]}, {"maxResults": 1000, "nextToken": "t"}
        )
        stub.add_response(
            "list_bot_aliases",
            {
                "botId": "BOTAAAAAA1",
                "botAliasSummaries": [
                    {"botAliasId": "ALIASAAAA1", "botAliasName": "live", "botVersion": "1"}
                ],
            },
            {"botId": "BOTAAAAAA1", "maxResults": 1000},
        )
        stub.add_response(
            "describe_bot_alias",
            {
                "botId": "BOTAAAAAA1",
                "botAliasId": "ALIASAAAA1",
                "botAliasName": "live",
                "conversationLogSettings": {
                    "textLogSettings": [
                        {
                            "enabled": True,
                            "destination": {
                                "cloudWatch": {"cloudWatchLogGroupArn": log_group, "logPrefix": "live/"}
                            },
                        }
                    ],
                    "audioLogSettings": [
                        {
                            "enabled": True,
                            "destination": {
                                "s3Bucket": {
                                    "kmsKeyArn": KEY,
                                    "s3BucketArn": "arn:aws:s3:::bot-audio",
                                    "logPrefix": "live/",
                                }
                            },
                        }
                    ],
                },
            },
            {"botId": "BOTAAAAAA1", "botAliasId": "ALIASAAAA1"},
        )
        stub.add_response(
            "list_bot_aliases",
            {"botId": "BOTAAAAAA2", "botAliasSummaries": []},
            {"botId": "BOTAAAAAA2", "maxResults": 1000},
        )
        collected = collect(moto_server, "lexv2-models", client, scopes)
        stub.assert_no_pending_responses()
    return collected


FLOW_CONTENT = json.dumps(
    {
        "Version": "2019-10-30",
        "StartAction": "log",
        "Actions": [
            {
                "Identifier": "log",
                "Type": "UpdateFlowLoggingBehavior",
                "Parameters": {"FlowLoggingBehavior": "Enabled"},
                "Transitions": {},
            }
        ],
    }
)


def connect(moto_server: str, scopes: list[Scope] | None = None) -> LiveCollection:
    from supportops.inventory.live.collectors.connect import STORAGE_TYPES

    client = stubbed_client("connect")
    arn = f"arn:aws:connect:{REGION}:{ACCOUNT}:instance/{INSTANCE}"
    with Stubber(client) as stub:
        stub.add_response("list_instances", {"InstanceSummaryList": [], "NextToken": "t"}, {})
        stub.add_response(
            "list_instances",
            {
                "InstanceSummaryList": [
                    {
                        "Id": INSTANCE,
                        "Arn": arn,
                        "IdentityManagementType": "SAML",
                        "InstanceAlias": "support",
                        "InboundCallsEnabled": True,
                        "OutboundCallsEnabled": True,
                        "InstanceStatus": "ACTIVE",
                    }
                ]
            },
            {"NextToken": "t"},
        )
        stub.add_response(
            "describe_instance",
            {"Instance": {"Id": INSTANCE, "Arn": arn, "Tags": {"owner": "team"}}},
            {"InstanceId": INSTANCE},
        )
        stub.add_response(
            "describe_instance_attribute",
            {"Attribute": {"AttributeType": "CONTACTFLOW_LOGS", "Value": "true"}},
            {"InstanceId": INSTANCE, "AttributeType": "CONTACTFLOW_LOGS"},
        )
        stub.add_response(
            "describe_instance_attribute",
            {"Attribute": {"AttributeType": "CONTACT_LENS", "Value": "false"}},
            {"InstanceId": INSTANCE, "AttributeType": "CONTACT_LENS"},
        )
        for resource_type in STORAGE_TYPES:
            configs: list[dict[str, Any]] = []
            if resource_type == "CALL_RECORDINGS":
                configs = [
                    {
                        "AssociationId": "assoc-1",
                        "StorageType": "S3",
                        "S3Config": {
                            "BucketName": "recordings",
                            "BucketPrefix": "calls",
                            "EncryptionConfig": {"EncryptionType": "KMS", "KeyId": KEY},
                        },
                    }
                ]
            if resource_type == "AGENT_EVENTS":
                configs = [
                    {
                        "AssociationId": "assoc-2",
                        "StorageType": "KINESIS_STREAM",
                        "KinesisStreamConfig": {
                            "StreamArn": f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/agent-events"
                        },
                    }
                ]
            stub.add_response(
                "list_instance_storage_configs",
                {"StorageConfigs": configs},
                {"InstanceId": INSTANCE, "ResourceType": resource_type},
            )
        flows = [
            {
                "Id": f"flow-{i}",
                "Arn": f"{arn}/contact-flow/flow-{i}",
                "Name": f"Flow {i}",
                "ContactFlowType": "CONTACT_FLOW",
            }
            for i in range(2)
        ]
        stub.add_response(
            "list_contact_flows",
            {"ContactFlowSummaryList": flows[:1], "NextToken": "f"},
            {"InstanceId": INSTANCE},
        )
        stub.add_response(
            "list_contact_flows",
            {"ContactFlowSummaryList": flows[1:]},
            {"InstanceId": INSTANCE, "NextToken": "f"},
        )
        for flow in flows:
            stub.add_response(
                "describe_contact_flow",
                {
                    "ContactFlow": {
                        "Id": flow["Id"],
                        "Name": flow["Name"],
                        "Type": "CONTACT_FLOW",
                        "Content": FLOW_CONTENT,
                        "Tags": {"owner": "team"},
                    }
                },
                {"InstanceId": INSTANCE, "ContactFlowId": flow["Id"]},
            )
        stub.add_response(
            "list_contact_flow_modules",
            {
                "ContactFlowModulesSummaryList": [
                    {"Id": "mod-1", "Arn": f"{arn}/flow-module/mod-1", "Name": "Card payment"}
                ]
            },
            {"InstanceId": INSTANCE},
        )
        stub.add_response(
            "describe_contact_flow_module",
            {"ContactFlowModule": {"Id": "mod-1", "Name": "Card payment", "Content": FLOW_CONTENT}},
            {"InstanceId": INSTANCE, "ContactFlowModuleId": "mod-1"},
        )
        stub.add_response(
            "list_security_profiles",
            {
                "SecurityProfileSummaryList": [
                    {"Id": "sp-1", "Arn": f"{arn}/security-profile/sp-1", "Name": "Agent"}
                ]
            },
            {"InstanceId": INSTANCE},
        )
        stub.add_response(
            "describe_security_profile",
            {
                "SecurityProfile": {
                    "Id": "sp-1",
                    "SecurityProfileName": "Agent",
                    "Tags": {"rbac-role": "agent"},
                }
            },
            {"InstanceId": INSTANCE, "SecurityProfileId": "sp-1"},
        )
        stub.add_response(
            "list_security_profile_permissions",
            {"Permissions": ["BasicAgentAccess"], "NextToken": "p"},
            {"InstanceId": INSTANCE, "SecurityProfileId": "sp-1"},
        )
        stub.add_response(
            "list_security_profile_permissions",
            {"Permissions": ["ContactSearch.View"]},
            {"InstanceId": INSTANCE, "SecurityProfileId": "sp-1", "NextToken": "p"},
        )
        for operation, key in (
            ("list_queues", "QueueSummaryList"),
            ("list_hours_of_operations", "HoursOfOperationSummaryList"),
            ("list_quick_connects", "QuickConnectSummaryList"),
            ("list_routing_profiles", "RoutingProfileSummaryList"),
        ):
            stub.add_response(
                operation,
                {key: [{"Id": f"{operation}-1", "Arn": f"{arn}/x/{operation}-1", "Name": "one"}]},
                {"InstanceId": INSTANCE},
            )
        collected = collect(moto_server, "connect", client, scopes)
        stub.assert_no_pending_responses()
    assert ANY is not None
    return collected


STUBBED = {
    "customer-profiles": customer_profiles,
    "appflow": appflow,
    "qconnect": qconnect,
    "appintegrations": appintegrations,
    "lexv2-models": lex,
    "connect": connect,
}


DETECTOR = "12abc34d567e8fa901bc2d34e56789f0"


def guardduty(moto_server: str, scopes: list[Scope] | None = None) -> LiveCollection:
    client = stubbed_client("guardduty")
    with Stubber(client) as stub:
        stub.add_response("list_detectors", {"DetectorIds": [DETECTOR], "NextToken": "t"}, {})
        stub.add_response("list_detectors", {"DetectorIds": []}, {"NextToken": "t"})
        stub.add_response(
            "get_detector",
            {
                "ServiceRole": "r",
                "Status": "ENABLED",
                "FindingPublishingFrequency": "FIFTEEN_MINUTES",
                "Features": [
                    {"Name": "S3_DATA_EVENTS", "Status": "ENABLED"},
                    {"Name": "LAMBDA_NETWORK_LOGS", "Status": "DISABLED"},
                ],
            },
            {"DetectorId": DETECTOR},
        )
        stub.add_client_error(
            "describe_organization_configuration",
            "BadRequestException",
            "not the delegated administrator",
            expected_params={"DetectorId": DETECTOR},
        )
        collected = collect(moto_server, "guardduty", client, scopes)
        stub.assert_no_pending_responses()
    return collected


def securityhub(moto_server: str, scopes: list[Scope] | None = None) -> LiveCollection:
    client = stubbed_client("securityhub")
    standard = f"arn:aws:securityhub:{REGION}::standards/pci-dss/v/4.0.1"
    aggregator = f"arn:aws:securityhub:{REGION}:{ACCOUNT}:finding-aggregator/agg-1"
    with Stubber(client) as stub:
        stub.add_response(
            "describe_hub",
            {
                "HubArn": f"arn:aws:securityhub:{REGION}:{ACCOUNT}:hub/default",
                "AutoEnableControls": True,
                "ControlFindingGenerator": "SECURITY_CONTROL",
            },
            {},
        )
        subscriptions = [
            {
                "StandardsSubscriptionArn": f"arn:aws:securityhub:{REGION}:{ACCOUNT}:subscription/{name}",
                "StandardsArn": arn,
                "StandardsInput": {},
                "StandardsStatus": "READY",
            }
            for name, arn in (("pci", standard), ("fsbp", standard.replace("pci-dss/v/4.0.1", "fsbp/v/1")))
        ]
        stub.add_response(
            "get_enabled_standards", {"StandardsSubscriptions": subscriptions[:1], "NextToken": "t"}, {}
        )
        stub.add_response(
            "get_enabled_standards", {"StandardsSubscriptions": subscriptions[1:]}, {"NextToken": "t"}
        )
        stub.add_response(
            "list_finding_aggregators", {"FindingAggregators": [{"FindingAggregatorArn": aggregator}]}, {}
        )
        stub.add_response(
            "get_finding_aggregator",
            {
                "FindingAggregatorArn": aggregator,
                "RegionLinkingMode": "SPECIFIED_REGIONS",
                "Regions": ["us-west-2"],
            },
            {"FindingAggregatorArn": aggregator},
        )
        collected = collect(moto_server, "securityhub", client, scopes)
        stub.assert_no_pending_responses()
    return collected


def config(moto_server: str, scopes: list[Scope] | None = None) -> LiveCollection:
    client = stubbed_client("config")
    with Stubber(client) as stub:
        stub.add_response(
            "describe_configuration_recorders",
            {
                "ConfigurationRecorders": [
                    {
                        "name": "default",
                        "roleARN": f"arn:aws:iam::{ACCOUNT}:role/config",
                        "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
                    }
                ]
            },
            {},
        )
        stub.add_response(
            "describe_configuration_recorder_status",
            {"ConfigurationRecordersStatus": [{"name": "default", "recording": True}]},
            {},
        )
        stub.add_response(
            "describe_delivery_channels",
            {"DeliveryChannels": [{"name": "default", "s3BucketName": "audit-logs", "s3KmsKeyArn": KEY}]},
            {},
        )
        collected = collect(moto_server, "config", client, scopes)
        stub.assert_no_pending_responses()
    return collected


def accessanalyzer(moto_server: str, scopes: list[Scope] | None = None) -> LiveCollection:
    client = stubbed_client("accessanalyzer")
    analyzers = [
        {
            "arn": f"arn:aws:access-analyzer:{REGION}:{ACCOUNT}:analyzer/{name}",
            "name": name,
            "type": kind,
            "createdAt": 0,
            "status": "ACTIVE",
        }
        for name, kind in (("org", "ORGANIZATION"), ("account", "ACCOUNT"))
    ]
    with Stubber(client) as stub:
        stub.add_response("list_analyzers", {"analyzers": analyzers[:1], "nextToken": "t"}, {})
        stub.add_response("list_analyzers", {"analyzers": analyzers[1:]}, {"nextToken": "t"})
        collected = collect(moto_server, "accessanalyzer", client, scopes)
        stub.assert_no_pending_responses()
    return collected


def inspector2(moto_server: str, scopes: list[Scope] | None = None) -> LiveCollection:
    client = stubbed_client("inspector2")
    enabled, disabled = {"status": "ENABLED"}, {"status": "DISABLED"}
    with Stubber(client) as stub:
        stub.add_response(
            "batch_get_account_status",
            {
                "accounts": [
                    {
                        "accountId": ACCOUNT,
                        "state": {
                            "status": "ENABLED",
                            "errorCode": "ALREADY_ENABLED",
                            "errorMessage": "none",
                        },
                        "resourceState": {
                            "ec2": {**disabled, "errorCode": "ALREADY_ENABLED", "errorMessage": "none"},
                            "ecr": {**enabled, "errorCode": "ALREADY_ENABLED", "errorMessage": "none"},
                            "lambda": {**enabled, "errorCode": "ALREADY_ENABLED", "errorMessage": "none"},
                        },
                    }
                ],
                "failedAccounts": [],
            },
            {"accountIds": [ACCOUNT]},
        )
        collected = collect(moto_server, "inspector2", client, scopes)
        stub.assert_no_pending_responses()
    return collected


STUBBED.update(
    {
        "guardduty": guardduty,
        "securityhub": securityhub,
        "config": config,
        "accessanalyzer": accessanalyzer,
        "inspector2": inspector2,
    }
)
