"""Which properties of a resource are security-relevant, per type: what drift compares.

The table is the set of top-level properties the policy rules read on the demo phases' resources
(tests/drift/test_drift_properties.py records the rules' reads and fails on one missing here), minus
what cannot or must not be compared, each with its reason in :data:`NOT_COMPARED`. ``tags`` is
compared for every taggable type: classification and ownership tags decide which rules apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

#: The pseudo-property compared on every resource that carries tags (``tagsAll``, else ``tags``).
TAGS: Final = "tags"

_S3_BUCKET = "aws:s3/bucket:Bucket"

SECURITY_PROPERTIES: Final[Mapping[str, tuple[str, ...]]] = {
    "aws:accessanalyzer/analyzer:Analyzer": ("type",),
    "aws:apigatewayv2/api:Api": ("disableExecuteApiEndpoint",),
    "aws:apigatewayv2/authorizer:Authorizer": ("authorizerType", "jwtConfiguration"),
    "aws:apigatewayv2/domainName:DomainName": ("domainNameConfiguration",),
    "aws:apigatewayv2/integration:Integration": ("connectionType", "integrationType"),
    "aws:apigatewayv2/route:Route": ("authorizationType",),
    "aws:apigatewayv2/stage:Stage": ("accessLogSettings",),
    "aws:appflow/connectorProfile:ConnectorProfile": ("kmsArn",),
    "aws:appflow/flow:Flow": ("kmsArn",),
    "aws:athena/workgroup:Workgroup": ("configuration",),
    "aws:backup/plan:Plan": ("rules",),
    "aws:backup/vault:Vault": ("kmsKeyArn",),
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration": ("maxRetentionDays",),
    "aws:cfg/deliveryChannel:DeliveryChannel": ("s3BucketName", "s3KmsKeyArn"),
    "aws:cfg/recorder:Recorder": ("recordingGroup",),
    "aws:cfg/recorderStatus:RecorderStatus": ("isEnabled",),
    "aws:cloudtrail/trail:Trail": (
        "cloudWatchLogsGroupArn",
        "enableLogFileValidation",
        "isMultiRegionTrail",
        "kmsKeyId",
    ),
    "aws:cloudwatch/eventBus:EventBus": ("kmsKeyIdentifier",),
    "aws:cloudwatch/eventRule:EventRule": ("eventPattern",),
    "aws:cloudwatch/eventTarget:EventTarget": ("deadLetterConfig",),
    "aws:cloudwatch/logGroup:LogGroup": ("kmsKeyId", "retentionInDays"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("actionsEnabled", "alarmActions"),
    "aws:connect/contactFlow:ContactFlow": ("content",),
    "aws:connect/contactFlowModule:ContactFlowModule": ("content",),
    "aws:connect/instance:Instance": ("contactFlowLogsEnabled", "contactLensEnabled"),
    "aws:connect/instanceStorageConfig:InstanceStorageConfig": ("resourceType", "storageConfig"),
    "aws:connect/securityProfile:SecurityProfile": ("permissions",),
    "aws:customerprofiles/domain:Domain": (
        "deadLetterQueueUrl",
        "defaultEncryptionKey",
        "defaultExpirationDays",
    ),
    "aws:dynamodb/table:Table": ("pointInTimeRecovery", "serverSideEncryption", "ttl"),
    "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings": (
        "dataCatalogEncryptionSettings",
    ),
    "aws:guardduty/detector:Detector": ("enable",),
    "aws:guardduty/detectorFeature:DetectorFeature": ("status",),
    "aws:iam/role:Role": ("assumeRolePolicy", "inlinePolicies", "managedPolicyArns"),
    "aws:iam/rolePolicy:RolePolicy": ("policy",),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ("policyArn",),
    "aws:inspector2/enabler:Enabler": ("resourceTypes",),
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": (
        "elasticsearchConfiguration",
        "extendedS3Configuration",
        "httpEndpointConfiguration",
        "icebergConfiguration",
        "kinesisSourceConfiguration",
        "opensearchConfiguration",
        "opensearchserverlessConfiguration",
        "redshiftConfiguration",
        "snowflakeConfiguration",
        "splunkConfiguration",
    ),
    "aws:kinesis/stream:Stream": ("encryptionType", "kmsKeyId", "retentionPeriod"),
    "aws:kms/alias:Alias": ("targetKeyId",),
    "aws:kms/key:Key": ("customerMasterKeySpec", "enableKeyRotation", "policy", "rotationPeriodInDays"),
    "aws:lambda/eventSourceMapping:EventSourceMapping": ("destinationConfig",),
    "aws:lambda/function:Function": ("deadLetterConfig", "kmsKeyArn"),
    "aws:lambda/permission:Permission": ("principal", "principalOrgId", "sourceAccount", "sourceArn"),
    _S3_BUCKET: (),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": ("rules",),
    "aws:s3/bucketLogging:BucketLogging": ("targetBucket",),
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": ("rule",),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ("rule",),
    "aws:s3/bucketPolicy:BucketPolicy": ("policy",),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (
        "blockPublicAcls",
        "blockPublicPolicy",
        "ignorePublicAcls",
        "restrictPublicBuckets",
    ),
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": ("rules",),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": ("rules",),
    "aws:s3/bucketVersioning:BucketVersioning": ("versioningConfiguration",),
    "aws:secretsmanager/secret:Secret": ("kmsKeyId", "policy"),
    "aws:secretsmanager/secretRotation:SecretRotation": ("rotationRules",),
    "aws:securityhub/findingAggregator:FindingAggregator": ("linkingMode", "specifiedRegions"),
    "aws:securityhub/standardsSubscription:StandardsSubscription": ("standardsArn",),
    "aws:sns/topic:Topic": ("kmsMasterKeyId", "policy"),
    "aws:sns/topicPolicy:TopicPolicy": ("policy",),
    "aws:sqs/queue:Queue": ("kmsMasterKeyId", "policy", "redrivePolicy"),
    "aws:sqs/queuePolicy:QueuePolicy": ("policy",),
    "aws-native:appintegrations:DataIntegration": ("kmsKey",),
    "aws-native:lex:BotAlias": ("conversationLogSettings",),
    "aws-native:wisdom:Assistant": ("serverSideEncryptionConfiguration",),
    "aws-native:wisdom:KnowledgeBase": ("serverSideEncryptionConfiguration",),
}

_IDENTITY = "identity: it names the resource (a different value is a different resource, matched or not)"
_WRITE_ONLY = "a secret AWS never returns (and a value no report may carry)"

#: Properties the rules read that drift does not compare, and why (checked by the table's test):
#: by name, or ``TYPE.name`` where the same name is compared on other types.
NOT_COMPARED: Final[Mapping[str, str]] = {
    "arn": _IDENTITY,
    "id": _IDENTITY,
    "name": _IDENTITY,
    "bucket": _IDENTITY,
    "url": _IDENTITY,
    "keyId": _IDENTITY,
    "secretId": _IDENTITY,
    "instanceId": _IDENTITY,
    "apiId": _IDENTITY,
    "backupVaultName": _IDENTITY,
    "eventSourceName": _IDENTITY,
    "detectorId": _IDENTITY,
    "aws:cloudwatch/eventTarget:EventTarget.rule": _IDENTITY,
    "privateKey": _WRITE_ONLY,
    "privateKeyWo": _WRITE_ONLY,
    "secretString": _WRITE_ONLY,
    "secretStringWo": _WRITE_ONLY,
    "secretBinary": _WRITE_ONLY,
    "environment": "Lambda environment values may be credentials; the key (kmsKeyArn) is compared",
    "deletionWindowInDays": "a create-time parameter AWS does not return for a key",
    "website": "deprecated inline bucket setting; pulumi-aws 7 declares a separate resource",
    "region": "where the resource is found, not a property of it (a moved resource is deleted + unmanaged)",
    "defaultTags": "provider configuration, not an AWS resource",
    "secretKey": "provider credentials, not an AWS resource",
    "token": "provider credentials, not an AWS resource",
}


def compared_properties(type_token: str) -> tuple[str, ...]:
    """The properties drift compares on a resource of this type (``tags`` included)."""
    return (*SECURITY_PROPERTIES.get(type_token, ()), TAGS)
