"""CRM contacts into an Amazon Connect Customer Profiles domain through AppFlow: the domain is
encrypted with the customer-profiles CMK, expires profiles after the class's retention and parks
failed ingestions in a KMS-encrypted dead-letter queue."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from supportops.stacks.components.crm.messaging import DLQ_RETENTION_SECONDS, encrypted_queue
from supportops.stacks.config import CrmConfig, CrmProvider, DataClassName
from supportops.stacks.policy_documents import document, service_principal
from supportops.stacks.tags import classification

# AppFlow connector type and the CRM object holding contacts, per provider.
CONNECTORS: dict[CrmProvider, tuple[str, str]] = {
    CrmProvider.ZENDESK: ("Zendesk", "users"),
    CrmProvider.SALESFORCE: ("Salesforce", "Contact"),
    CrmProvider.SERVICENOW: ("Servicenow", "sys_user"),
}
SYNC_SCHEDULE = "rate(1hours)"


@dataclass(frozen=True)
class CustomerProfiles:
    domain: aws.customerprofiles.Domain
    dead_letter_queue: aws.sqs.Queue
    flow: aws.appflow.Flow


def instance_url(crm: CrmConfig) -> str:
    if crm.provider is CrmProvider.ZENDESK:
        return f"https://{crm.instance}.zendesk.com"
    if crm.provider is CrmProvider.SALESFORCE:
        host = crm.instance if "." in crm.instance else f"{crm.instance}.my.salesforce.com"
        return f"https://{host}"
    host = crm.instance if "." in crm.instance else f"{crm.instance}.service-now.com"
    return f"https://{host}"


def _connector_config(
    crm: CrmConfig, token: pulumi.Output[str]
) -> aws.appflow.ConnectorProfileConnectorProfileConfigArgs:
    ns = aws.appflow
    url = instance_url(crm)
    if crm.provider is CrmProvider.ZENDESK:
        credentials = ns.ConnectorProfileConnectorProfileConfigConnectorProfileCredentialsArgs(
            zendesk=ns.ConnectorProfileConnectorProfileConfigConnectorProfileCredentialsZendeskArgs(
                client_id=crm.api_user, client_secret=token, access_token=token
            )
        )
        properties = ns.ConnectorProfileConnectorProfileConfigConnectorProfilePropertiesArgs(
            zendesk=ns.ConnectorProfileConnectorProfileConfigConnectorProfilePropertiesZendeskArgs(
                instance_url=url
            )
        )
    elif crm.provider is CrmProvider.SALESFORCE:
        credentials = ns.ConnectorProfileConnectorProfileConfigConnectorProfileCredentialsArgs(
            salesforce=ns.ConnectorProfileConnectorProfileConfigConnectorProfileCredentialsSalesforceArgs(
                access_token=token
            )
        )
        properties = ns.ConnectorProfileConnectorProfileConfigConnectorProfilePropertiesArgs(
            salesforce=ns.ConnectorProfileConnectorProfileConfigConnectorProfilePropertiesSalesforceArgs(
                instance_url=url
            )
        )
    else:
        credentials = ns.ConnectorProfileConnectorProfileConfigConnectorProfileCredentialsArgs(
            service_now=ns.ConnectorProfileConnectorProfileConfigConnectorProfileCredentialsServiceNowArgs(
                username=crm.api_user, password=token
            )
        )
        properties = ns.ConnectorProfileConnectorProfileConfigConnectorProfilePropertiesArgs(
            service_now=ns.ConnectorProfileConnectorProfileConfigConnectorProfilePropertiesServiceNowArgs(
                instance_url=url
            )
        )
    return ns.ConnectorProfileConnectorProfileConfigArgs(
        connector_profile_credentials=credentials, connector_profile_properties=properties
    )


def _source_properties(crm: CrmConfig) -> aws.appflow.FlowSourceFlowConfigSourceConnectorPropertiesArgs:
    ns = aws.appflow
    _, entity = CONNECTORS[crm.provider]
    if crm.provider is CrmProvider.ZENDESK:
        return ns.FlowSourceFlowConfigSourceConnectorPropertiesArgs(
            zendesk=ns.FlowSourceFlowConfigSourceConnectorPropertiesZendeskArgs(object=entity)
        )
    if crm.provider is CrmProvider.SALESFORCE:
        return ns.FlowSourceFlowConfigSourceConnectorPropertiesArgs(
            salesforce=ns.FlowSourceFlowConfigSourceConnectorPropertiesSalesforceArgs(object=entity)
        )
    return ns.FlowSourceFlowConfigSourceConnectorPropertiesArgs(
        service_now=ns.FlowSourceFlowConfigSourceConnectorPropertiesServiceNowArgs(object=entity)
    )


def build_customer_profiles(
    name: str,
    crm: CrmConfig,
    token: pulumi.Output[str],
    kms_key_arn: pulumi.Input[str],
    expiration_days: int,
    parent: pulumi.Resource,
) -> CustomerProfiles:
    opts = pulumi.ResourceOptions(parent=parent)
    dead_letters = encrypted_queue(
        f"{name}-profiles-dlq",
        kms_key_arn,
        opts,
        data_class=DataClassName.CUSTOMER_PROFILES,
        retention_seconds=DLQ_RETENTION_SECONDS,
    )
    aws.sqs.QueuePolicy(
        f"{name}-profiles-dlq-policy",
        queue_url=dead_letters.url,
        policy=document(
            [
                {
                    "Sid": "CustomerProfilesDeadLetters",
                    "Effect": "Allow",
                    "Principal": service_principal("profile"),
                    "Action": "sqs:SendMessage",
                    "Resource": dead_letters.arn,
                }
            ]
        ),
        opts=opts,
    )
    domain = aws.customerprofiles.Domain(
        f"{name}-profiles",
        domain_name=f"{name}-customers",
        default_expiration_days=expiration_days,
        default_encryption_key=kms_key_arn,
        dead_letter_queue_url=dead_letters.url,
        tags=classification(DataClassName.CUSTOMER_PROFILES),
        opts=opts,
    )
    connector_type, _ = CONNECTORS[crm.provider]
    profile = aws.appflow.ConnectorProfile(
        f"{name}-crm",
        name=f"{name}-crm-{crm.provider.value}",
        connector_type=connector_type,
        connection_mode="Public",
        kms_arn=kms_key_arn,
        connector_profile_config=_connector_config(crm, token),
        opts=opts,
    )
    flow = aws.appflow.Flow(
        f"{name}-crm-contacts",
        name=f"{name}-crm-contacts",
        description=f"{crm.provider.value} contacts into Customer Profiles",
        kms_arn=kms_key_arn,
        source_flow_config=aws.appflow.FlowSourceFlowConfigArgs(
            connector_type=connector_type,
            connector_profile_name=profile.name,
            source_connector_properties=_source_properties(crm),
        ),
        destination_flow_configs=[
            aws.appflow.FlowDestinationFlowConfigArgs(
                connector_type="CustomerProfiles",
                destination_connector_properties=aws.appflow.FlowDestinationFlowConfigDestinationConnectorPropertiesArgs(
                    customer_profiles=aws.appflow.FlowDestinationFlowConfigDestinationConnectorPropertiesCustomerProfilesArgs(
                        domain_name=domain.domain_name
                    )
                ),
            )
        ],
        tasks=[aws.appflow.FlowTaskArgs(task_type="Map_all", source_fields=[], task_properties={})],
        trigger_config=aws.appflow.FlowTriggerConfigArgs(
            trigger_type="Scheduled",
            trigger_properties=aws.appflow.FlowTriggerConfigTriggerPropertiesArgs(
                scheduled=aws.appflow.FlowTriggerConfigTriggerPropertiesScheduledArgs(
                    schedule_expression=SYNC_SCHEDULE, data_pull_mode="Incremental"
                )
            ),
        ),
        tags=classification(DataClassName.CUSTOMER_PROFILES),
        opts=opts,
    )
    return CustomerProfiles(domain=domain, dead_letter_queue=dead_letters, flow=flow)
