"""The Terraform type of a pulumi-aws resource token.

The bridge names a resource ``aws:<module>/<camelName>:<Name>`` from its Terraform type
``aws_<prefix>_<snake_name>``, the prefix being the module's (``aws_cloudwatch_event_rule`` ->
``aws:cloudwatch/eventRule:EventRule``). :func:`terraform_name` inverts that rule; the tables below
hold what the rule does not give, as the bridge metadata of pulumi-aws (``bridge-metadata.json``,
``renames.resources``) shows it.
"""

from __future__ import annotations

import re
from typing import Final

# Modules whose Terraform prefix is not their Pulumi name (bridge metadata, renames.resources).
MODULE_PREFIXES: Final = {
    "amp": "prometheus",
    "apigateway": "api_gateway",
    "cfg": "config",
    "cloudcontrol": "cloudcontrolapi",
    "cloudhsmv2": "cloudhsm_v2",
    "costexplorer": "ce",
    "directconnect": "dx",
    "directoryservice": "directory_service",
    "ec2clientvpn": "ec2_client_vpn",
    "ec2transitgateway": "ec2_transit_gateway",
    "elasticbeanstalk": "elastic_beanstalk",
    "mediaconvert": "media_convert",
    "mediapackage": "media_package",
    "mediastore": "media_store",
    "resourceexplorer": "resourceexplorer2",
    "route53recoverycontrol": "route53recoverycontrolconfig",
    "serverlessrepository": "serverlessapplicationrepository",
    "servicediscovery": "service_discovery",
}

# Tokens whose Terraform type the prefix rule does not give (bridge metadata, renames.resources).
# Module "ec2" resources are mostly unprefixed in Terraform (aws_instance, aws_vpc, ...): listed
# by name below; the aws_ec2_* ones are the rule.
TERRAFORM_NAMES: Final = {
    "aws:account/alternativeContact:AlternativeContact": "aws_account_alternate_contact",
    "aws:alb/loadBalancer:LoadBalancer": "aws_alb",
    "aws:apigateway/response:Response": "aws_api_gateway_gateway_response",
    "aws:appconfig/eventIntegration:EventIntegration": "aws_appintegrations_event_integration",
    "aws:appsync/dataSource:DataSource": "aws_appsync_datasource",
    "aws:appsync/graphQLApi:GraphQLApi": "aws_appsync_graphql_api",
    "aws:autoscaling/tag:Tag": "aws_autoscaling_group_tag",
    "aws:cfg/rule:Rule": "aws_config_config_rule",
    "aws:cfg/recorder:Recorder": "aws_config_configuration_recorder",
    "aws:cfg/recorderStatus:RecorderStatus": "aws_config_configuration_recorder_status",
    "aws:chime/voiceConnectorOrganization:VoiceConnectorOrganization": (
        "aws_chime_voice_connector_origination"
    ),
    "aws:cloudformation/cloudFormationType:CloudFormationType": "aws_cloudformation_type",
    "aws:cloudtrail/trail:Trail": "aws_cloudtrail",
    "aws:codeartifact/domainPermissions:DomainPermissions": "aws_codeartifact_domain_permissions_policy",
    "aws:codedeploy/application:Application": "aws_codedeploy_app",
    "aws:codepipeline/pipeline:Pipeline": "aws_codepipeline",
    "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment": (
        "aws_cognito_identity_pool_roles_attachment"
    ),
    "aws:cognito/userPoolUICustomization:UserPoolUICustomization": "aws_cognito_user_pool_ui_customization",
    "aws:controltower/controlTowerControl:ControlTowerControl": "aws_controltower_control",
    "aws:datasync/efsLocation:EfsLocation": "aws_datasync_location_efs",
    "aws:datasync/fsxOpenZfsFileSystem:FsxOpenZfsFileSystem": "aws_datasync_location_fsx_openzfs_file_system",
    "aws:datasync/locationFsxLustre:LocationFsxLustre": "aws_datasync_location_fsx_lustre_file_system",
    "aws:datasync/locationFsxWindows:LocationFsxWindows": "aws_datasync_location_fsx_windows_file_system",
    "aws:datasync/nfsLocation:NfsLocation": "aws_datasync_location_nfs",
    "aws:datasync/s3Location:S3Location": "aws_datasync_location_s3",
    "aws:directconnect/hostedTransitVirtualInterfaceAcceptor:HostedTransitVirtualInterfaceAcceptor": (
        "aws_dx_hosted_transit_virtual_interface_accepter"
    ),
    "aws:directconnect/linkAggregationGroup:LinkAggregationGroup": "aws_dx_lag",
    "aws:directoryservice/conditionalForwader:ConditionalForwader": (
        "aws_directory_service_conditional_forwarder"
    ),
    "aws:directoryservice/logService:LogService": "aws_directory_service_log_subscription",
    "aws:directoryservice/serviceRegion:ServiceRegion": "aws_directory_service_region",
    "aws:ec2/dedicatedHost:DedicatedHost": "aws_ec2_host",
    "aws:ec2/networkInterfaceSecurityGroupAttachment:NetworkInterfaceSecurityGroupAttachment": (
        "aws_network_interface_sg_attachment"
    ),
    "aws:ec2/peeringConnectionOptions:PeeringConnectionOptions": "aws_vpc_peering_connection_options",
    "aws:ec2/securityGroupAssociation:SecurityGroupAssociation": (
        "aws_vpc_endpoint_security_group_association"
    ),
    "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple": (
        "aws_vpc_endpoint_service_allowed_principal"
    ),
    "aws:ec2transitgateway/instanceState:InstanceState": "aws_ec2_instance_state",
    "aws:ec2transitgateway/instanceConnectEndpoint:InstanceConnectEndpoint": (
        "aws_ec2_instance_connect_endpoint"
    ),
    "aws:elb/appCookieStickinessPolicy:AppCookieStickinessPolicy": "aws_app_cookie_stickiness_policy",
    "aws:elb/attachment:Attachment": "aws_elb_attachment",
    "aws:elb/listenerPolicy:ListenerPolicy": "aws_load_balancer_listener_policy",
    "aws:elb/loadBalancer:LoadBalancer": "aws_elb",
    "aws:elb/loadBalancerBackendServerPolicy:LoadBalancerBackendServerPolicy": (
        "aws_load_balancer_backend_server_policy"
    ),
    "aws:elb/loadBalancerCookieStickinessPolicy:LoadBalancerCookieStickinessPolicy": (
        "aws_lb_cookie_stickiness_policy"
    ),
    "aws:elb/loadBalancerPolicy:LoadBalancerPolicy": "aws_load_balancer_policy",
    "aws:elb/sslNegotiationPolicy:SslNegotiationPolicy": "aws_lb_ssl_negotiation_policy",
    "aws:glue/mLTransform:MLTransform": "aws_glue_ml_transform",
    "aws:guardduty/iPSet:IPSet": "aws_guardduty_ipset",
    "aws:guardduty/threatIntelSet:ThreatIntelSet": "aws_guardduty_threatintelset",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "aws_iam_openid_connect_provider",
    "aws:iam/sshKey:SshKey": "aws_iam_user_ssh_key",
    "aws:lb/loadBalancer:LoadBalancer": "aws_lb",
    "aws:licensemanager/licenseGrant:LicenseGrant": "aws_licensemanager_grant",
    "aws:licensemanager/licenseGrantAccepter:LicenseGrantAccepter": "aws_licensemanager_grant_accepter",
    "aws:lightsail/disk_attachment:Disk_attachment": "aws_lightsail_disk_attachment",
    "aws:location/routeCalculation:RouteCalculation": "aws_location_route_calculator",
    "aws:macie/customDataIdentifier:CustomDataIdentifier": "aws_macie2_custom_data_identifier",
    "aws:macie/findingsFilter:FindingsFilter": "aws_macie2_findings_filter",
    "aws:route53/hostedZoneDnsSec:HostedZoneDnsSec": "aws_route53_hosted_zone_dnssec",
    "aws:route53/resolverDnsSecConfig:ResolverDnsSecConfig": "aws_route53_resolver_dnssec_config",
    "aws:sagemaker/humanTaskUI:HumanTaskUI": "aws_sagemaker_human_task_ui",
    "aws:s3/analyticsConfiguration:AnalyticsConfiguration": "aws_s3_bucket_analytics_configuration",
    "aws:s3/bucketObjectv2:BucketObjectv2": "aws_s3_object",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": "aws_s3_bucket_replication_configuration",
    "aws:s3/inventory:Inventory": "aws_s3_bucket_inventory",
    "aws:serverlessrepository/cloudFormationStack:CloudFormationStack": (
        "aws_serverlessapplicationrepository_cloudformation_stack"
    ),
    "aws:ses/mailFrom:MailFrom": "aws_ses_domain_mail_from",
    "aws:sns/dataProtectionPolicy:DataProtectionPolicy": "aws_sns_topic_data_protection_policy",
    "aws:storagegateway/cachesIscsiVolume:CachesIscsiVolume": "aws_storagegateway_cached_iscsi_volume",
    "aws:ec2transitgateway/transitGateway:TransitGateway": "aws_ec2_transit_gateway",
    "aws:fsx/openZfsFileSystem:OpenZfsFileSystem": "aws_fsx_openzfs_file_system",
    "aws:fsx/openZfsSnapshot:OpenZfsSnapshot": "aws_fsx_openzfs_snapshot",
    "aws:fsx/openZfsVolume:OpenZfsVolume": "aws_fsx_openzfs_volume",
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": "aws_sqs_queue_redrive_allow_policy",
    "aws:sqs/redrivePolicy:RedrivePolicy": "aws_sqs_queue_redrive_policy",
    "aws:waf/ipSet:IpSet": "aws_waf_ipset",
    "aws:wafregional/ipSet:IpSet": "aws_wafregional_ipset",
}

# Modules that hold several Terraform services: a name prefix selects the Terraform prefix
# (aws:bedrock/agentAgent:AgentAgent is aws_bedrockagent_agent; aws:lex/v2modelsBot:V2modelsBot is
# aws_lexv2models_bot), longest first.
NAME_PREFIXES: Final = {
    "bedrock": (("agentcore", "bedrockagentcore"), ("agent", "bedrockagent")),
    "docdb": (("elastic", "docdbelastic"),),
    "lex": (("v2models", "lexv2models"),),
    "opensearch": (("serverless", "opensearchserverless"),),
    "s3": (("vectors", "s3vectors"),),
}

# Module "rds": aws_db_* unless listed here as aws_rds_* (bridge metadata, renames.resources).
RDS_PREFIXED: Final = frozenset(
    {
        "cluster",
        "clusterActivityStream",
        "clusterEndpoint",
        "clusterInstance",
        "clusterParameterGroup",
        "clusterRoleAssociation",
        "exportTask",
        "globalCluster",
        "reservedInstance",
        "clusterSnapshotCopy",
        "customDbEngineVersion",
        "integration",
        "instanceDesiredState",
        "shardGroup",
    }
)
RDS_RENAMED: Final = {"instance": "instance", "roleAssociation": "instance_role_association"}
# Module "ec2": the aws_ec2_* resources (the others are unprefixed; bridge metadata).
EC2_PREFIXED: Final = frozenset(
    {
        "availabilityZoneGroup",
        "capacityReservation",
        "carrierGateway",
        "fleet",
        "localGatewayRoute",
        "localGatewayRouteTableVpcAssociation",
        "managedPrefixList",
        "managedPrefixListEntry",
        "networkInsightsAnalysis",
        "networkInsightsPath",
        "serialConsoleAccess",
        "subnetCidrReservation",
        "tag",
        "trafficMirrorFilter",
        "trafficMirrorFilterRule",
        "trafficMirrorSession",
        "trafficMirrorTarget",
        "instanceMetadataDefaults",
        "capacityBlockReservation",
        "defaultCreditSpecification",
        "imageBlockPublicAccess",
        "allowedImagesSettings",
        "instanceConnectEndpoint",
        "ebsFastSnapshotRestore",
    }
)

_WORD_BOUNDARY: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def snake(camel: str) -> str:
    return _WORD_BOUNDARY.sub("_", camel).lower()


def terraform_name(token: str) -> str:
    """The Terraform type of a pulumi-aws resource token."""
    known = TERRAFORM_NAMES.get(token)
    if known:
        return known
    module, camel = token.split(":")[1].split("/")
    name = snake(camel)
    if module == "ec2":
        return f"aws_ec2_{name}" if camel in EC2_PREFIXED else f"aws_{name}"
    if module == "rds":
        if camel in RDS_RENAMED:
            return f"aws_db_{RDS_RENAMED[camel]}"
        return f"aws_rds_{name}" if camel in RDS_PREFIXED else f"aws_db_{name}"
    for prefix, terraform in NAME_PREFIXES.get(module, ()):
        if camel.startswith(prefix) and camel[len(prefix) : len(prefix) + 1].isupper():
            return f"aws_{terraform}_{snake(camel[len(prefix) :])}"
    if module == "s3" and camel.endswith("V2"):  # deprecated aliases of the unsuffixed resources
        name = snake(camel[:-2])
    return f"aws_{MODULE_PREFIXES.get(module, module)}_{name}"
