"""Amazon Connect instances and the resources inside them (aws:connect/*): the instance with its
contact-flow-log and Contact Lens attributes, storage configs per resource type, contact flows and
modules with their content, security profiles with their permissions, and queues, hours of operation,
quick connects and routing profiles (which rules read for their tags only: those come from the
region's tag index, not a call each)."""

from __future__ import annotations

from typing import Any, Final

from supportops.inventory.live.collector import Out, Unread, camel
from supportops.inventory.live.reader import CallFailed, Reader
from supportops.inventory.model import UNKNOWN

SERVICE: Final = "connect"
INSTANCE: Final = "aws:connect/instance:Instance"
STORAGE: Final = "aws:connect/instanceStorageConfig:InstanceStorageConfig"
FLOW: Final = "aws:connect/contactFlow:ContactFlow"
MODULE: Final = "aws:connect/contactFlowModule:ContactFlowModule"
SECURITY_PROFILE: Final = "aws:connect/securityProfile:SecurityProfile"
QUEUE: Final = "aws:connect/queue:Queue"
HOURS: Final = "aws:connect/hoursOfOperation:HoursOfOperation"
QUICK_CONNECT: Final = "aws:connect/quickConnect:QuickConnect"
ROUTING_PROFILE: Final = "aws:connect/routingProfile:RoutingProfile"
TYPES: Final = (
    INSTANCE,
    STORAGE,
    FLOW,
    MODULE,
    SECURITY_PROFILE,
    QUEUE,
    HOURS,
    QUICK_CONNECT,
    ROUTING_PROFILE,
)
GLOBAL: Final = False
CALLS: Final = (
    ("connect", "ListInstances"),
    ("connect", "DescribeInstance"),
    ("connect", "DescribeInstanceAttribute"),
    ("connect", "ListInstanceStorageConfigs"),
    ("connect", "ListContactFlows"),
    ("connect", "DescribeContactFlow"),
    ("connect", "ListContactFlowModules"),
    ("connect", "DescribeContactFlowModule"),
    ("connect", "ListSecurityProfiles"),
    ("connect", "DescribeSecurityProfile"),
    ("connect", "ListSecurityProfilePermissions"),
    ("connect", "ListQueues"),
    ("connect", "ListHoursOfOperations"),
    ("connect", "ListQuickConnects"),
    ("connect", "ListRoutingProfiles"),
)
# The storage resource types an instance can have (ListInstanceStorageConfigs takes one at a time).
STORAGE_TYPES: Final = (
    "CALL_RECORDINGS",
    "CHAT_TRANSCRIPTS",
    "SCHEDULED_REPORTS",
    "CONTACT_TRACE_RECORDS",
    "AGENT_EVENTS",
    "MEDIA_STREAMS",
    "REAL_TIME_CONTACT_ANALYSIS_SEGMENTS",
    "ATTACHMENTS",
    "CONTACT_EVALUATIONS",
    "SCREEN_RECORDINGS",
)
# (type, list operation, list key, id key) of the resources rules read for tags only.
TAGGED_ONLY: Final = (
    (QUEUE, "ListQueues", "QueueSummaryList"),
    (HOURS, "ListHoursOfOperations", "HoursOfOperationSummaryList"),
    (QUICK_CONNECT, "ListQuickConnects", "QuickConnectSummaryList"),
    (ROUTING_PROFILE, "ListRoutingProfiles", "RoutingProfileSummaryList"),
)


def _attribute(read: Reader, out: Out, subject: str, instance_id: str, attribute: str) -> Any:
    got = out.sub(read, "DescribeInstanceAttribute", subject, InstanceId=instance_id, AttributeType=attribute)
    if isinstance(got, Unread):
        return UNKNOWN
    value = ((got or {}).get("Attribute") or {}).get("Value")
    return None if value is None else str(value).lower() == "true"


def _instance(read: Reader, out: Out, summary: dict[str, Any]) -> None:
    instance_id = summary["Id"]
    urn = out.urn(INSTANCE, instance_id)
    described = out.sub(read, "DescribeInstance", urn, InstanceId=instance_id)
    tags: Any = (
        UNKNOWN
        if isinstance(described, Unread)
        else dict(((described or {}).get("Instance") or {}).get("Tags") or {})
    )
    out.add(
        INSTANCE,
        instance_id,
        {
            "arn": summary.get("Arn"),
            "instanceAlias": summary.get("InstanceAlias"),
            "identityManagementType": summary.get("IdentityManagementType"),
            "inboundCallsEnabled": summary.get("InboundCallsEnabled"),
            "outboundCallsEnabled": summary.get("OutboundCallsEnabled"),
            "contactFlowLogsEnabled": _attribute(read, out, urn, instance_id, "CONTACTFLOW_LOGS"),
            "contactLensEnabled": _attribute(read, out, urn, instance_id, "CONTACT_LENS"),
            "tags": tags,
            "tagsAll": tags,
        },
        arn=summary.get("Arn"),
    )
    for resource_type in STORAGE_TYPES:
        try:
            configs = list(
                read.pages(
                    "ListInstanceStorageConfigs",
                    "StorageConfigs",
                    subject=urn,
                    InstanceId=instance_id,
                    ResourceType=resource_type,
                )
            )
        except CallFailed as failed:
            out.faults.append(failed.fault)
            continue
        for config in configs:
            association = config.get("AssociationId", "")
            body = {k: v for k, v in config.items() if k != "AssociationId"}
            out.add(
                STORAGE,
                f"{instance_id}:{association}:{resource_type}",
                {
                    "instanceId": instance_id,
                    "resourceType": resource_type,
                    "associationId": association,
                    "storageConfig": camel(body),
                },
            )
    for flow in read.pages("ListContactFlows", "ContactFlowSummaryList", InstanceId=instance_id):
        physical = f"{instance_id}:{flow['Id']}"
        got = out.sub(
            read,
            "DescribeContactFlow",
            out.urn(FLOW, physical),
            InstanceId=instance_id,
            ContactFlowId=flow["Id"],
        )
        body = {} if isinstance(got, Unread) else (got or {}).get("ContactFlow") or {}
        flow_tags = UNKNOWN if isinstance(got, Unread) else dict(body.get("Tags") or {})
        out.add(
            FLOW,
            physical,
            {
                "instanceId": instance_id,
                "name": flow.get("Name"),
                "type": flow.get("ContactFlowType"),
                "description": body.get("Description"),
                "content": UNKNOWN if isinstance(got, Unread) else body.get("Content"),
                "tags": flow_tags,
                "tagsAll": flow_tags,
            },
            arn=flow.get("Arn"),
        )
    for module in read.pages(
        "ListContactFlowModules", "ContactFlowModulesSummaryList", InstanceId=instance_id
    ):
        physical = f"{instance_id}:{module['Id']}"
        got = out.sub(
            read,
            "DescribeContactFlowModule",
            out.urn(MODULE, physical),
            InstanceId=instance_id,
            ContactFlowModuleId=module["Id"],
        )
        body = {} if isinstance(got, Unread) else (got or {}).get("ContactFlowModule") or {}
        module_tags = UNKNOWN if isinstance(got, Unread) else dict(body.get("Tags") or {})
        out.add(
            MODULE,
            physical,
            {
                "instanceId": instance_id,
                "name": module.get("Name"),
                "description": body.get("Description"),
                "content": UNKNOWN if isinstance(got, Unread) else body.get("Content"),
                "tags": module_tags,
                "tagsAll": module_tags,
            },
            arn=module.get("Arn"),
        )
    for profile in read.pages("ListSecurityProfiles", "SecurityProfileSummaryList", InstanceId=instance_id):
        physical = f"{instance_id}:{profile['Id']}"
        subject = out.urn(SECURITY_PROFILE, physical)
        got = out.sub(
            read, "DescribeSecurityProfile", subject, InstanceId=instance_id, SecurityProfileId=profile["Id"]
        )
        body = {} if isinstance(got, Unread) else (got or {}).get("SecurityProfile") or {}
        try:
            permissions: Any = list(
                read.pages(
                    "ListSecurityProfilePermissions",
                    "Permissions",
                    subject=subject,
                    InstanceId=instance_id,
                    SecurityProfileId=profile["Id"],
                )
            )
        except CallFailed as failed:
            out.faults.append(failed.fault)
            permissions = UNKNOWN
        profile_tags = UNKNOWN if isinstance(got, Unread) else dict(body.get("Tags") or {})
        out.add(
            SECURITY_PROFILE,
            physical,
            {
                "instanceId": instance_id,
                "name": profile.get("Name"),
                "description": body.get("Description"),
                "permissions": permissions,
                "tags": profile_tags,
                "tagsAll": profile_tags,
            },
            arn=profile.get("Arn"),
        )
    for type_token, operation, key in TAGGED_ONLY:
        for item in read.pages(operation, key, InstanceId=instance_id):
            arn = item.get("Arn")
            item_tags = out.tags(arn)
            out.add(
                type_token,
                f"{instance_id}:{item['Id']}",
                {
                    "instanceId": instance_id,
                    "name": item.get("Name"),
                    "tags": item_tags,
                    "tagsAll": item_tags,
                },
                arn=arn,
            )


def collect(read: Reader, out: Out) -> None:
    for summary in read.pages("ListInstances", "InstanceSummaryList"):
        if summary.get("InstanceStatus") not in (None, "ACTIVE"):
            continue
        _instance(read, out, summary)
