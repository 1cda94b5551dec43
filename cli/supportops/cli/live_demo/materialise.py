"""Create a planned inventory in a local AWS endpoint (moto) through boto3: the fixture of the live
parity and drift tests and of the demo. Dev/demo only (needs moto's server running).

Each planned resource of a type moto can hold is created with its planned physical name and settings,
tags included (the provider's default tags merged with the resource's own, as Pulumi applies them).
Identifiers AWS generates (KMS key ids, API ids) and the planned account id are rewritten in every
later value, so references between resources still resolve. The result maps each planned URN to the
physical id the live collectors give the resource, and lists the planned types not created, and why.
"""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

import boto3
from botocore.exceptions import ClientError

from supportops.inventory.model import UNKNOWN, Inventory, Resource, is_secret, unwrap

PLANNED_ACCOUNT: Final = "111122223333"  # the account id the offline planner writes into ARNs

# Planned types moto cannot hold (or that are not AWS resources), and why.
_NO_CONNECT: Final = "moto does not implement Amazon Connect"
NOT_MATERIALISED: Final[dict[str, str]] = {
    "pulumi:pulumi:Stack": "not an AWS resource",
    "pulumi:providers:aws": "not an AWS resource",
    "pulumi:providers:aws-native": "not an AWS resource",
    "aws:connect/instance:Instance": _NO_CONNECT,
    "aws:connect/instanceStorageConfig:InstanceStorageConfig": _NO_CONNECT,
    "aws:connect/contactFlow:ContactFlow": _NO_CONNECT,
    "aws:connect/contactFlowModule:ContactFlowModule": _NO_CONNECT,
    "aws:connect/hoursOfOperation:HoursOfOperation": _NO_CONNECT,
    "aws:connect/queue:Queue": _NO_CONNECT,
    "aws:connect/quickConnect:QuickConnect": _NO_CONNECT,
    "aws:connect/routingProfile:RoutingProfile": _NO_CONNECT,
    "aws:connect/securityProfile:SecurityProfile": _NO_CONNECT,
    "aws:connect/lambdaFunctionAssociation:LambdaFunctionAssociation": _NO_CONNECT,
    "aws:customerprofiles/domain:Domain": "moto does not implement Customer Profiles",
    "aws:appflow/flow:Flow": "moto does not implement AppFlow",
    "aws:appflow/connectorProfile:ConnectorProfile": "moto does not implement AppFlow",
    "aws-native:wisdom:Assistant": "moto does not implement Amazon Q in Connect (Wisdom)",
    "aws-native:wisdom:KnowledgeBase": "moto does not implement Amazon Q in Connect (Wisdom)",
    "aws-native:wisdom:AssistantAssociation": "moto does not implement Amazon Q in Connect (Wisdom)",
    "aws-native:appintegrations:DataIntegration": "moto does not implement AppIntegrations",
    "aws-native:connect:IntegrationAssociation": _NO_CONNECT,
    "aws-native:lex:Bot": "moto's Lex V2 does not hold bot locales and intents",
    "aws-native:lex:BotVersion": "moto's Lex V2 does not hold bot versions",
    "aws-native:lex:BotAlias": "moto's Lex V2 does not hold conversation log settings",
    "aws:secretsmanager/secretVersion:SecretVersion": "the planned value is a secret the plan does not hold",
    "aws:secretsmanager/secretRotation:SecretRotation": (
        "moto rotates by invoking the Lambda, which needs Docker"
    ),
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": (
        "moto does not store RedriveAllowPolicy, and setting it drops the queue's Policy"
    ),
    **dict.fromkeys(
        (
            "aws:guardduty/detector:Detector",
            "aws:guardduty/detectorFeature:DetectorFeature",
            "aws:guardduty/organizationConfiguration:OrganizationConfiguration",
            "aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature",
            "aws:securityhub/account:Account",
            "aws:securityhub/findingAggregator:FindingAggregator",
            "aws:securityhub/standardsSubscription:StandardsSubscription",
            "aws:cfg/recorder:Recorder",
            "aws:cfg/recorderStatus:RecorderStatus",
            "aws:cfg/deliveryChannel:DeliveryChannel",
            "aws:accessanalyzer/analyzer:Analyzer",
            "aws:inspector2/enabler:Enabler",
        ),
        "not materialised: the security-baseline collectors are tested with Stubber responses",
    ),
    "aws:acm/certificateValidation:CertificateValidation": "a workflow step, not a resource",
    "aws:backup/selection:Selection": "no rule reads backup selections",
    "aws:cloudwatch/dashboard:Dashboard": "no rule reads dashboards",
    "aws:cloudwatch/logStream:LogStream": "no rule reads log streams",
    "aws:athena/namedQuery:NamedQuery": "no rule reads named queries",
    "aws:glue/catalogTable:CatalogTable": "no rule reads catalog tables",
    "aws:apigatewayv2/apiMapping:ApiMapping": "moto does not implement API mappings of custom domains",
    "aws:apigatewayv2/domainName:DomainName": "moto does not validate the ACM certificate a domain needs",
    "aws:lambda/eventSourceMapping:EventSourceMapping": "created with the function's queue (see below)",
    "aws:cloudtrail/trail:Trail": "",  # replaced below when created
}


@dataclass
class Materialised:
    physical_ids: dict[str, str] = field(default_factory=dict)  # planned URN -> live physical id
    not_materialised: dict[str, str] = field(default_factory=dict)  # type token -> why
    account_id: str = ""
    shared: list[str] = field(default_factory=list)  # physical names an earlier phase already created


class _Run:
    def __init__(self, session: boto3.Session, endpoint_url: str, planned: Inventory, account: str) -> None:
        from supportops.policies.relations import relations

        self.session = session
        self.endpoint_url = endpoint_url
        self.planned = planned
        self.account = account
        self.index = relations(planned)
        self.refs: dict[str, str] = {PLANNED_ACCOUNT: account}
        self.result = Materialised(account_id=account)
        self._clients: dict[tuple[str, str], Any] = {}

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        if key not in self._clients:
            self._clients[key] = self.session.client(
                service, region_name=region, endpoint_url=self.endpoint_url
            )
        return self._clients[key]

    def value(self, resource: Resource, path: str, default: Any = None) -> Any:
        """A planned value with generated ids and the planned account rewritten to the live ones."""
        found = resource.prop(path, default)
        return self.rewrite(found)

    def rewrite(self, value: Any) -> Any:
        value = unwrap(value)
        if isinstance(value, str):
            # longest first: a queue URL is rewritten whole before the account id inside it
            for planned, live in sorted(self.refs.items(), key=lambda item: -len(item[0])):
                if planned in value:
                    value = value.replace(planned, live)
            return value
        if isinstance(value, dict):
            return {k: self.rewrite(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.rewrite(v) for v in value]
        return value

    def tags(self, resource: Resource) -> dict[str, str]:
        return {str(k): str(v) for k, v in self.index.tags(resource).items() if v is not None}

    def region(self, resource: Resource) -> str:
        return resource.region or str(unwrap(resource.inputs.get("region")) or "us-east-1")

    def done(self, resource: Resource, physical_id: str) -> None:
        self.result.physical_ids[resource.urn] = physical_id


def name_of(resource: Resource) -> str:
    for key in ("name", "bucket"):
        found = unwrap(resource.outputs.get(key)) if resource.outputs else None
        if isinstance(found, str) and found != UNKNOWN:
            return found
        found = unwrap(resource.inputs.get(key))
        if isinstance(found, str) and found != UNKNOWN:
            return found
    return resource.id or resource.name


def _json(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _tag_list(tags: dict[str, str], key: str = "Key", value: str = "Value") -> list[dict[str, str]]:
    return [{key: k, value: v} for k, v in tags.items()]


def _kms_key(run: _Run, r: Resource) -> None:
    kms = run.client("kms", run.region(r))
    params: dict[str, Any] = {
        "Description": run.value(r, "description", "") or "",
        "Tags": _tag_list(run.tags(r), "TagKey", "TagValue"),
    }
    policy = run.value(r, "policy")
    if policy:
        params["Policy"] = _json(policy)
    key = kms.create_key(**params)["KeyMetadata"]
    planned_id = r.prop("keyId", None) or r.id
    if isinstance(planned_id, str):
        run.refs[planned_id] = key["KeyId"]
    if run.value(r, "enableKeyRotation"):
        period = run.value(r, "rotationPeriodInDays")
        kms.enable_key_rotation(
            KeyId=key["KeyId"], **({"RotationPeriodInDays": int(period)} if period else {})
        )
    run.done(r, key["KeyId"])


def _kms_alias(run: _Run, r: Resource) -> None:
    name = name_of(r)
    run.client("kms", run.region(r)).create_alias(AliasName=name, TargetKeyId=run.value(r, "targetKeyId"))
    run.done(r, name)


def _role(run: _Run, r: Resource) -> None:
    name = name_of(r)
    run.client("iam", "us-east-1").create_role(
        RoleName=name,
        AssumeRolePolicyDocument=_json(run.value(r, "assumeRolePolicy")),
        Tags=_tag_list(run.tags(r)),
    )
    run.done(r, name)


def _role_policy(run: _Run, r: Resource) -> None:
    role, name = run.value(r, "role"), name_of(r)
    run.client("iam", "us-east-1").put_role_policy(
        RoleName=role, PolicyName=name, PolicyDocument=_json(run.value(r, "policy"))
    )
    run.done(r, f"{role}:{name}")


def _role_attachment(run: _Run, r: Resource) -> None:
    role, arn = run.value(r, "role"), run.value(r, "policyArn")
    iam = run.client("iam", "us-east-1")
    if arn.startswith("arn:aws:iam::aws:policy/"):
        # moto knows AWS-managed policies only after it loads them; make a stand-in with the same ARN path
        try:
            iam.get_policy(PolicyArn=arn)
        except iam.exceptions.NoSuchEntityException:
            return
    iam.attach_role_policy(RoleName=role, PolicyArn=arn)
    run.done(r, f"{role}/{arn}")


def _log_group(run: _Run, r: Resource) -> None:
    name = name_of(r)
    logs = run.client("logs", run.region(r))
    params: dict[str, Any] = {"logGroupName": name, "tags": run.tags(r)}
    if run.value(r, "kmsKeyId"):
        params["kmsKeyId"] = run.value(r, "kmsKeyId")
    logs.create_log_group(**params)
    if run.value(r, "retentionInDays"):
        logs.put_retention_policy(logGroupName=name, retentionInDays=int(run.value(r, "retentionInDays")))
    run.done(r, name)


def _bucket(run: _Run, r: Resource) -> None:
    name, region = name_of(r), run.region(r)
    s3 = run.client("s3", region)
    params: dict[str, Any] = {"Bucket": name}
    if region != "us-east-1":
        params["CreateBucketConfiguration"] = {"LocationConstraint": region}
    if run.value(r, "objectLockEnabled"):
        params["ObjectLockEnabledForBucket"] = True
    try:
        s3.create_bucket(**params)
    except s3.exceptions.BucketAlreadyOwnedByYou:
        # Two phases plan the same bucket (an earlier phase made it): it is the same resource.
        run.result.shared.append(name)
    tags = run.tags(r)
    if tags:
        s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": _tag_list(tags)})
    run.done(r, name)


@contextlib.contextmanager
def _log_delivery_allowed(s3: Any, target: str) -> Iterator[None]:
    """moto checks that a log target grants log delivery, and its check fails on a policy statement whose
    Principal is "*". Grant delivery by the canned ACL (when ACLs are still allowed) and, while the
    logging is set, keep only the target policy's statements with a principal map; then restore it."""
    with contextlib.suppress(ClientError):
        s3.put_bucket_acl(Bucket=target, ACL="log-delivery-write")
    try:
        policy: str | None = s3.get_bucket_policy(Bucket=target)["Policy"]
    except ClientError:
        policy = None
    if policy is not None:
        document = json.loads(policy)
        kept = [st for st in document.get("Statement", []) if isinstance(st.get("Principal"), dict)]
        s3.put_bucket_policy(Bucket=target, Policy=json.dumps({**document, "Statement": kept}))
    try:
        yield
    finally:
        if policy is not None:
            s3.put_bucket_policy(Bucket=target, Policy=policy)


def _bucket_region(run: _Run, name: str) -> str:
    found = run.index.bucket_named(name)
    return run.region(found) if found is not None else "us-east-1"


def _pascal(value: Any) -> Any:
    """Pulumi camelCase inputs back to the API's PascalCase (with the API's own acronyms)."""
    special = {
        "id": "ID",
        "kmsMasterKeyId": "KMSMasterKeyID",
        "sseAlgorithm": "SSEAlgorithm",
        "replicaKmsKeyId": "ReplicaKmsKeyID",
    }
    if isinstance(value, dict):
        return {special.get(k, k[:1].upper() + k[1:]): _pascal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_pascal(v) for v in value]
    return value


def _bucket_setting(run: _Run, r: Resource) -> None:
    from supportops.inventory.live.collectors import s3 as live_s3

    bucket = run.value(r, "bucket")
    s3 = run.client("s3", run.region(r))
    t = r.type
    if t == live_s3.ENCRYPTION:
        s3.put_bucket_encryption(
            Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": _pascal(run.value(r, "rules"))}
        )
    elif t == live_s3.VERSIONING:
        config = run.value(r, "versioningConfiguration") or {}
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": config.get("status")})
    elif t == live_s3.PUBLIC_ACCESS_BLOCK:
        s3.put_public_access_block(
            Bucket=bucket,
            PublicAccessBlockConfiguration={
                k: bool(run.value(r, p))
                for k, p in (
                    ("BlockPublicAcls", "blockPublicAcls"),
                    ("IgnorePublicAcls", "ignorePublicAcls"),
                    ("BlockPublicPolicy", "blockPublicPolicy"),
                    ("RestrictPublicBuckets", "restrictPublicBuckets"),
                )
            },
        )
    elif t == live_s3.OWNERSHIP:
        s3.put_bucket_ownership_controls(
            Bucket=bucket, OwnershipControls={"Rules": [_pascal(run.value(r, "rule"))]}
        )
    elif t == live_s3.POLICY:
        s3.put_bucket_policy(Bucket=bucket, Policy=_json(run.value(r, "policy")))
    elif t == live_s3.LIFECYCLE:
        s3.put_bucket_lifecycle_configuration(
            Bucket=bucket, LifecycleConfiguration={"Rules": _pascal(run.value(r, "rules"))}
        )
    elif t == live_s3.LOGGING:
        target = run.value(r, "targetBucket")
        with _log_delivery_allowed(run.client("s3", _bucket_region(run, target)), target):
            s3.put_bucket_logging(
                Bucket=bucket,
                BucketLoggingStatus={
                    "LoggingEnabled": {
                        "TargetBucket": target,
                        "TargetPrefix": run.value(r, "targetPrefix") or "",
                    }
                },
            )
    elif t == live_s3.OBJECT_LOCK:
        s3.put_object_lock_configuration(
            Bucket=bucket,
            ObjectLockConfiguration={"ObjectLockEnabled": "Enabled", "Rule": _pascal(run.value(r, "rule"))},
        )
    elif t == live_s3.REPLICATION:
        s3.put_bucket_replication(
            Bucket=bucket,
            ReplicationConfiguration={"Role": run.value(r, "role"), "Rules": _pascal(run.value(r, "rules"))},
        )
    run.done(r, bucket)


def _queue(run: _Run, r: Resource) -> None:
    name = name_of(r)
    attributes: dict[str, str] = {}
    for key, attribute in (
        ("kmsMasterKeyId", "KmsMasterKeyId"),
        ("kmsDataKeyReusePeriodSeconds", "KmsDataKeyReusePeriodSeconds"),
        ("visibilityTimeoutSeconds", "VisibilityTimeout"),
        ("messageRetentionSeconds", "MessageRetentionPeriod"),
        ("redrivePolicy", "RedrivePolicy"),
    ):
        found = run.value(r, key)
        if found is not None:
            attributes[attribute] = _json(found) if key == "redrivePolicy" else str(found)
            if isinstance(found, float) and found.is_integer():
                attributes[attribute] = str(int(found))
    sqs = run.client("sqs", run.region(r))
    url = sqs.create_queue(QueueName=name, Attributes=attributes, tags=run.tags(r))["QueueUrl"]
    planned_url = r.prop("url", None)
    if isinstance(planned_url, str):
        run.refs[planned_url] = url
    run.done(r, url)


def _queue_attribute(attribute: str, key: str) -> Callable[[_Run, Resource], None]:
    def create(run: _Run, r: Resource) -> None:
        url = run.value(r, "queueUrl")
        run.client("sqs", run.region(r)).set_queue_attributes(
            QueueUrl=url, Attributes={attribute: _json(run.value(r, key))}
        )
        run.done(r, url)

    return create


def _topic(run: _Run, r: Resource) -> None:
    attributes = {}
    if run.value(r, "kmsMasterKeyId"):
        attributes["KmsMasterKeyId"] = run.value(r, "kmsMasterKeyId")
    arn = run.client("sns", run.region(r)).create_topic(
        Name=name_of(r), Attributes=attributes, Tags=_tag_list(run.tags(r))
    )["TopicArn"]
    run.done(r, arn)


def _topic_policy(run: _Run, r: Resource) -> None:
    arn = run.value(r, "arn")
    run.client("sns", run.region(r)).set_topic_attributes(
        TopicArn=arn, AttributeName="Policy", AttributeValue=_json(run.value(r, "policy"))
    )
    run.done(r, arn)


def _table(run: _Run, r: Resource) -> None:
    name = name_of(r)
    ddb = run.client("dynamodb", run.region(r))
    attributes = run.value(r, "attributes") or []
    params: dict[str, Any] = {
        "TableName": name,
        "AttributeDefinitions": [
            {"AttributeName": a["name"], "AttributeType": a["type"]} for a in attributes
        ],
        "KeySchema": [{"AttributeName": run.value(r, "hashKey"), "KeyType": "HASH"}]
        + (
            [{"AttributeName": run.value(r, "rangeKey"), "KeyType": "RANGE"}]
            if run.value(r, "rangeKey")
            else []
        ),
        "BillingMode": run.value(r, "billingMode") or "PAY_PER_REQUEST",
        "Tags": _tag_list(run.tags(r)),
    }
    sse = run.value(r, "serverSideEncryption") or {}
    if sse.get("enabled"):
        params["SSESpecification"] = {
            "Enabled": True,
            "SSEType": "KMS",
            **({"KMSMasterKeyId": sse["kmsKeyArn"]} if sse.get("kmsKeyArn") else {}),
        }
    if run.value(r, "deletionProtectionEnabled") is not None:
        params["DeletionProtectionEnabled"] = bool(run.value(r, "deletionProtectionEnabled"))
    ddb.create_table(**params)
    if (run.value(r, "pointInTimeRecovery") or {}).get("enabled"):
        ddb.update_continuous_backups(
            TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
        )
    ttl = run.value(r, "ttl") or {}
    if ttl.get("enabled"):
        ddb.update_time_to_live(
            TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["attributeName"]}
        )
    run.done(r, name)


def _stream(run: _Run, r: Resource) -> None:
    name = name_of(r)
    kinesis = run.client("kinesis", run.region(r))
    mode = (run.value(r, "streamModeDetails") or {}).get("streamMode") or "PROVISIONED"
    params: dict[str, Any] = {"StreamName": name, "StreamModeDetails": {"StreamMode": mode}}
    if mode == "PROVISIONED":
        params["ShardCount"] = int(run.value(r, "shardCount") or 1)
    kinesis.create_stream(**params)
    tags = run.tags(r)
    if tags:
        kinesis.add_tags_to_stream(StreamName=name, Tags=tags)
    if run.value(r, "encryptionType") == "KMS":
        kinesis.start_stream_encryption(StreamName=name, EncryptionType="KMS", KeyId=run.value(r, "kmsKeyId"))
    retention = run.value(r, "retentionPeriod")
    if retention and int(retention) > 24:
        kinesis.increase_stream_retention_period(StreamName=name, RetentionPeriodHours=int(retention))
    run.done(r, name)


def _firehose(run: _Run, r: Resource) -> None:
    name = name_of(r)
    s3 = run.value(r, "extendedS3Configuration") or {}
    destination: dict[str, Any] = {
        "RoleARN": s3.get("roleArn"),
        "BucketARN": s3.get("bucketArn"),
        "Prefix": s3.get("prefix", ""),
        "ErrorOutputPrefix": s3.get("errorOutputPrefix", ""),
    }
    if s3.get("kmsKeyArn"):
        destination["EncryptionConfiguration"] = {"KMSEncryptionConfig": {"AWSKMSKeyARN": s3["kmsKeyArn"]}}
    params: dict[str, Any] = {
        "DeliveryStreamName": name,
        "ExtendedS3DestinationConfiguration": destination,
        "Tags": _tag_list(run.tags(r)),
    }
    source = run.value(r, "kinesisSourceConfiguration")
    if source:
        params["DeliveryStreamType"] = "KinesisStreamAsSource"
        params["KinesisStreamSourceConfiguration"] = {
            "KinesisStreamARN": source["kinesisStreamArn"],
            "RoleARN": source["roleArn"],
        }
    run.client("firehose", run.region(r)).create_delivery_stream(**params)
    run.done(r, name)


def _secret(run: _Run, r: Resource) -> None:
    params: dict[str, Any] = {"Name": name_of(r), "Tags": _tag_list(run.tags(r))}
    for key, param in (("kmsKeyId", "KmsKeyId"), ("description", "Description")):
        if run.value(r, key):
            params[param] = run.value(r, key)
    arn = run.client("secretsmanager", run.region(r)).create_secret(**params)["ARN"]
    run.done(r, arn)


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return None\n")
    return buffer.getvalue()


def _function(run: _Run, r: Resource) -> None:
    name = name_of(r)
    params: dict[str, Any] = {
        "FunctionName": name,
        "Runtime": run.value(r, "runtime") or "python3.12",
        "Role": run.value(r, "role"),
        "Handler": run.value(r, "handler") or "handler.handler",
        "Code": {"ZipFile": _zip()},
        "Tags": run.tags(r),
    }
    if run.value(r, "kmsKeyArn"):
        params["KMSKeyArn"] = run.value(r, "kmsKeyArn")
    variables = run.value(r, "environment.variables")
    if isinstance(variables, dict):
        params["Environment"] = {"Variables": {k: str(v) for k, v in variables.items()}}
    run.client("lambda", run.region(r)).create_function(**params)
    run.done(r, name)


def _permission(run: _Run, r: Resource) -> None:
    function = run.value(r, "function")
    sid = r.prop("statementId", None) or r.name
    params: dict[str, Any] = {
        "FunctionName": function,
        "StatementId": sid,
        "Action": run.value(r, "action"),
        "Principal": run.value(r, "principal"),
    }
    if run.value(r, "sourceArn"):
        params["SourceArn"] = run.value(r, "sourceArn")
    run.client("lambda", run.region(r)).add_permission(**params)
    run.done(r, f"{function}/{sid}")


def _event_source_mapping(run: _Run, r: Resource) -> None:
    params: dict[str, Any] = {
        "EventSourceArn": run.value(r, "eventSourceArn"),
        "FunctionName": run.value(r, "functionName"),
    }
    if run.value(r, "batchSize"):
        params["BatchSize"] = int(run.value(r, "batchSize"))
    uuid = run.client("lambda", run.region(r)).create_event_source_mapping(**params)["UUID"]
    run.done(r, uuid)


def _bus(run: _Run, r: Resource) -> None:
    name = name_of(r)
    params: dict[str, Any] = {"Name": name, "Tags": _tag_list(run.tags(r))}
    if run.value(r, "kmsKeyIdentifier"):
        params["KmsKeyIdentifier"] = run.value(r, "kmsKeyIdentifier")
    run.client("events", run.region(r)).create_event_bus(**params)
    run.done(r, name)


def _rule(run: _Run, r: Resource) -> None:
    name, bus = name_of(r), run.value(r, "eventBusName") or "default"
    params: dict[str, Any] = {"Name": name, "EventBusName": bus, "Tags": _tag_list(run.tags(r))}
    for key, param in (
        ("eventPattern", "EventPattern"),
        ("scheduleExpression", "ScheduleExpression"),
        ("description", "Description"),
    ):
        if run.value(r, key):
            params[param] = run.value(r, key)
    run.client("events", run.region(r)).put_rule(**params)
    run.done(r, f"{bus}/{name}")


def _target(run: _Run, r: Resource) -> None:
    rule, bus = run.value(r, "rule"), run.value(r, "eventBusName") or "default"
    target_id = r.prop("targetId", None) or r.name
    target: dict[str, Any] = {"Id": target_id, "Arn": run.value(r, "arn")}
    if run.value(r, "deadLetterConfig"):
        target["DeadLetterConfig"] = _pascal(run.value(r, "deadLetterConfig"))
    if run.value(r, "retryPolicy"):
        target["RetryPolicy"] = {k: int(v) for k, v in _pascal(run.value(r, "retryPolicy")).items()}
    if run.value(r, "roleArn"):
        target["RoleArn"] = run.value(r, "roleArn")
    run.client("events", run.region(r)).put_targets(Rule=rule, EventBusName=bus, Targets=[target])
    run.done(r, f"{bus}/{rule}/{target_id}")


def _alarm(run: _Run, r: Resource) -> None:
    name = name_of(r)
    params: dict[str, Any] = {
        "AlarmName": name,
        "MetricName": run.value(r, "metricName"),
        "Namespace": run.value(r, "namespace"),
        "Statistic": run.value(r, "statistic"),
        "Period": int(run.value(r, "period")),
        "EvaluationPeriods": int(run.value(r, "evaluationPeriods")),
        "Threshold": float(run.value(r, "threshold")),
        "ComparisonOperator": run.value(r, "comparisonOperator"),
        "Dimensions": [{"Name": k, "Value": str(v)} for k, v in (run.value(r, "dimensions") or {}).items()],
        "Tags": _tag_list(run.tags(r)),
    }
    for key, param in (
        ("alarmActions", "AlarmActions"),
        ("okActions", "OKActions"),
        ("alarmDescription", "AlarmDescription"),
        ("treatMissingData", "TreatMissingData"),
    ):
        if run.value(r, key) is not None:
            params[param] = run.value(r, key)
    if run.value(r, "actionsEnabled") is not None:
        params["ActionsEnabled"] = bool(run.value(r, "actionsEnabled"))
    run.client("cloudwatch", run.region(r)).put_metric_alarm(**params)
    run.done(r, name)


def _database(run: _Run, r: Resource) -> None:
    name = name_of(r)
    database = {"Name": name}
    for key, param in (("description", "Description"), ("locationUri", "LocationUri")):
        if run.value(r, key):
            database[param] = run.value(r, key)
    run.client("glue", run.region(r)).create_database(DatabaseInput=database, Tags=run.tags(r))
    run.done(r, name)


def _catalog_encryption(run: _Run, r: Resource) -> None:
    settings = _pascal(run.value(r, "dataCatalogEncryptionSettings"))
    at_rest = settings.get("EncryptionAtRest") or {}
    if "SseAwsKmsKeyId" in at_rest:
        at_rest["SseAwsKmsKeyId"] = at_rest.pop("SseAwsKmsKeyId")
    run.client("glue", run.region(r)).put_data_catalog_encryption_settings(
        DataCatalogEncryptionSettings=settings
    )
    run.done(r, run.account)


def _workgroup(run: _Run, r: Resource) -> None:
    name = name_of(r)
    config = run.value(r, "configuration") or {}
    result = config.get("resultConfiguration") or {}
    configuration: dict[str, Any] = {}
    if result:
        configuration["ResultConfiguration"] = _pascal(result)
        encryption = configuration["ResultConfiguration"].get("EncryptionConfiguration") or {}
        if "KmsKeyArn" in encryption:  # Pulumi's kmsKeyArn is the API's KmsKey
            encryption["KmsKey"] = encryption.pop("KmsKeyArn")
    for key, param in (
        ("enforceWorkgroupConfiguration", "EnforceWorkGroupConfiguration"),
        ("publishCloudwatchMetricsEnabled", "PublishCloudWatchMetricsEnabled"),
        ("bytesScannedCutoffPerQuery", "BytesScannedCutoffPerQuery"),
    ):
        if key in config:
            configuration[param] = int(config[key]) if key == "bytesScannedCutoffPerQuery" else config[key]
    run.client("athena", run.region(r)).create_work_group(
        Name=name, Configuration=configuration, Tags=_tag_list(run.tags(r))
    )
    run.done(r, name)


def _vault(run: _Run, r: Resource) -> None:
    name = name_of(r)
    params: dict[str, Any] = {"BackupVaultName": name, "BackupVaultTags": run.tags(r)}
    if run.value(r, "kmsKeyArn"):
        params["EncryptionKeyArn"] = run.value(r, "kmsKeyArn")
    run.client("backup", run.region(r)).create_backup_vault(**params)
    run.done(r, name)


def _vault_lock(run: _Run, r: Resource) -> None:
    name = run.value(r, "backupVaultName")
    params: dict[str, Any] = {"BackupVaultName": name}
    for key, param in (
        ("minRetentionDays", "MinRetentionDays"),
        ("maxRetentionDays", "MaxRetentionDays"),
        ("changeableForDays", "ChangeableForDays"),
    ):
        if run.value(r, key) is not None:
            params[param] = int(run.value(r, key))
    run.client("backup", run.region(r)).put_backup_vault_lock_configuration(**params)
    run.done(r, name)


def _backup_lifecycle(lifecycle: dict[str, Any]) -> dict[str, int]:
    names = {"deleteAfter": "DeleteAfterDays", "coldStorageAfter": "MoveToColdStorageAfterDays"}
    return {names[k]: int(v) for k, v in lifecycle.items() if k in names and v is not None}


def _plan(run: _Run, r: Resource) -> None:
    rules = []
    for rule in run.value(r, "rules") or []:
        item: dict[str, Any] = {
            "RuleName": rule["ruleName"],
            "TargetBackupVaultName": rule["targetVaultName"],
        }
        for key, param in (
            ("schedule", "ScheduleExpression"),
            ("startWindow", "StartWindowMinutes"),
            ("completionWindow", "CompletionWindowMinutes"),
            ("enableContinuousBackup", "EnableContinuousBackup"),
            ("scheduleExpressionTimezone", "ScheduleExpressionTimezone"),
        ):
            if rule.get(key) is not None:
                item[param] = int(rule[key]) if key.endswith("Window") else rule[key]
        if rule.get("lifecycle"):
            item["Lifecycle"] = _backup_lifecycle(rule["lifecycle"])
        if rule.get("copyActions"):
            item["CopyActions"] = [
                {
                    "DestinationBackupVaultArn": c["destinationVaultArn"],
                    **({"Lifecycle": _backup_lifecycle(c["lifecycle"])} if c.get("lifecycle") else {}),
                }
                for c in rule["copyActions"]
            ]
        rules.append(item)
    plan_id = run.client("backup", run.region(r)).create_backup_plan(
        BackupPlan={"BackupPlanName": name_of(r), "Rules": rules}, BackupPlanTags=run.tags(r)
    )["BackupPlanId"]
    run.done(r, plan_id)


def _api(run: _Run, r: Resource) -> None:
    params: dict[str, Any] = {
        "Name": name_of(r),
        "ProtocolType": run.value(r, "protocolType"),
        "Tags": run.tags(r),
    }
    for key, param in (
        ("description", "Description"),
        ("disableExecuteApiEndpoint", "DisableExecuteApiEndpoint"),
    ):
        if run.value(r, key) is not None:
            params[param] = run.value(r, key)
    api_id = run.client("apigatewayv2", run.region(r)).create_api(**params)["ApiId"]
    if r.id:
        run.refs[r.id] = api_id
    run.done(r, api_id)


def _api_child(kind: str) -> Callable[[_Run, Resource], None]:
    def create(run: _Run, r: Resource) -> None:
        api_id = run.value(r, "apiId")
        client = run.client("apigatewayv2", run.region(r))
        if kind == "stage":
            params: dict[str, Any] = {"ApiId": api_id, "StageName": name_of(r), "Tags": run.tags(r)}
            if run.value(r, "accessLogSettings"):
                params["AccessLogSettings"] = _pascal(run.value(r, "accessLogSettings"))
            if run.value(r, "autoDeploy") is not None:
                params["AutoDeploy"] = bool(run.value(r, "autoDeploy"))
            client.create_stage(**params)
            run.done(r, f"{api_id}/{name_of(r)}")
        elif kind == "authorizer":
            params = {
                "ApiId": api_id,
                "Name": name_of(r),
                "AuthorizerType": run.value(r, "authorizerType"),
                "IdentitySource": run.value(r, "identitySources"),
            }
            if run.value(r, "jwtConfiguration"):
                jwt = run.value(r, "jwtConfiguration")
                params["JwtConfiguration"] = {"Issuer": jwt.get("issuer"), "Audience": jwt.get("audiences")}
            found = client.create_authorizer(**params)["AuthorizerId"]
            if r.id:
                run.refs[r.id] = found
            run.done(r, f"{api_id}/{found}")
        elif kind == "integration":
            params = {"ApiId": api_id, "IntegrationType": run.value(r, "integrationType")}
            for key, param in (
                ("integrationUri", "IntegrationUri"),
                ("payloadFormatVersion", "PayloadFormatVersion"),
                ("connectionType", "ConnectionType"),
            ):
                if run.value(r, key):
                    params[param] = run.value(r, key)
            found = client.create_integration(**params)["IntegrationId"]
            if r.id:
                run.refs[r.id] = found
            run.done(r, f"{api_id}/{found}")
        elif kind == "route":
            params = {"ApiId": api_id, "RouteKey": run.value(r, "routeKey")}
            for key, param in (
                ("target", "Target"),
                ("authorizationType", "AuthorizationType"),
                ("authorizerId", "AuthorizerId"),
            ):
                if run.value(r, key):
                    params[param] = run.value(r, key)
            found = client.create_route(**params)["RouteId"]
            run.done(r, f"{api_id}/{found}")

    return create


def _certificate(run: _Run, r: Resource) -> None:
    params: dict[str, Any] = {
        "DomainName": run.value(r, "domainName"),
        "ValidationMethod": run.value(r, "validationMethod") or "DNS",
    }
    tags = run.tags(r)
    if tags:
        params["Tags"] = _tag_list(tags)
    arn = run.client("acm", run.region(r)).request_certificate(**params)["CertificateArn"]
    run.refs[f"arn:aws:acm:{run.region(r)}:{PLANNED_ACCOUNT}:certificate/{r.id}"] = arn
    run.done(r, arn)


def _trail(run: _Run, r: Resource) -> None:
    name = name_of(r)
    params: dict[str, Any] = {
        "Name": name,
        "S3BucketName": run.value(r, "s3BucketName"),
        "TagsList": _tag_list(run.tags(r)),
    }
    for key, param in (
        ("kmsKeyId", "KmsKeyId"),
        ("enableLogFileValidation", "EnableLogFileValidation"),
        ("isMultiRegionTrail", "IsMultiRegionTrail"),
        ("includeGlobalServiceEvents", "IncludeGlobalServiceEvents"),
        ("cloudWatchLogsGroupArn", "CloudWatchLogsLogGroupArn"),
        ("cloudWatchLogsRoleArn", "CloudWatchLogsRoleArn"),
    ):
        if run.value(r, key) is not None:
            params[param] = run.value(r, key)
    run.client("cloudtrail", run.region(r)).create_trail(**params)
    run.done(r, name)


Creator = Callable[[_Run, Resource], None]

# In dependency order: keys before what they encrypt, roles before what assumes them, buckets before
# their settings, queues before their policies, functions before their permissions.
CREATORS: Final[tuple[tuple[str, Creator], ...]] = (
    ("aws:kms/key:Key", _kms_key),
    ("aws:kms/alias:Alias", _kms_alias),
    ("aws:iam/role:Role", _role),
    ("aws:iam/rolePolicy:RolePolicy", _role_policy),
    ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", _role_attachment),
    ("aws:cloudwatch/logGroup:LogGroup", _log_group),
    ("aws:s3/bucket:Bucket", _bucket),
    *(
        (t, _bucket_setting)
        for t in (
            "aws:s3/bucketLogging:BucketLogging",
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "aws:s3/bucketVersioning:BucketVersioning",
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
            "aws:s3/bucketPolicy:BucketPolicy",
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
            "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
        )
    ),
    ("aws:sqs/queue:Queue", _queue),
    ("aws:sqs/queuePolicy:QueuePolicy", _queue_attribute("Policy", "policy")),
    ("aws:sns/topic:Topic", _topic),
    ("aws:sns/topicPolicy:TopicPolicy", _topic_policy),
    ("aws:dynamodb/table:Table", _table),
    ("aws:kinesis/stream:Stream", _stream),
    ("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", _firehose),
    ("aws:secretsmanager/secret:Secret", _secret),
    ("aws:lambda/function:Function", _function),
    ("aws:lambda/permission:Permission", _permission),
    ("aws:lambda/eventSourceMapping:EventSourceMapping", _event_source_mapping),
    ("aws:cloudtrail/trail:Trail", _trail),
    ("aws:cloudwatch/eventBus:EventBus", _bus),
    ("aws:cloudwatch/eventRule:EventRule", _rule),
    ("aws:cloudwatch/eventTarget:EventTarget", _target),
    ("aws:cloudwatch/metricAlarm:MetricAlarm", _alarm),
    ("aws:glue/catalogDatabase:CatalogDatabase", _database),
    ("aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings", _catalog_encryption),
    ("aws:athena/workgroup:Workgroup", _workgroup),
    ("aws:backup/vault:Vault", _vault),
    ("aws:backup/vaultLockConfiguration:VaultLockConfiguration", _vault_lock),
    ("aws:backup/plan:Plan", _plan),
    ("aws:acm/certificate:Certificate", _certificate),
    ("aws:apigatewayv2/api:Api", _api),
    ("aws:apigatewayv2/authorizer:Authorizer", _api_child("authorizer")),
    ("aws:apigatewayv2/integration:Integration", _api_child("integration")),
    ("aws:apigatewayv2/route:Route", _api_child("route")),
    ("aws:apigatewayv2/stage:Stage", _api_child("stage")),
)


def materialise(
    planned: Inventory,
    endpoint_url: str,
    session: boto3.Session | None = None,
    account_id: str = "123456789012",
) -> Materialised:
    """Create ``planned`` in the endpoint; see the module docstring."""
    session = session or boto3.Session(region_name="us-east-1")
    run = _Run(session, endpoint_url, planned, account_id)
    creators = dict(CREATORS)
    for type_token, create in CREATORS:
        # dead-letter queues before the queues that name them
        ordered = sorted(planned.of_type(type_token), key=lambda r: r.prop("redrivePolicy", None) is not None)
        for resource in ordered:
            if not resource.custom or is_secret(resource.inputs):
                continue
            create(run, resource)
    for type_token in planned.types():
        if type_token in creators:
            continue
        if type_token.startswith("supportops:"):
            continue  # component resources: their children are what AWS holds
        run.result.not_materialised[type_token] = NOT_MATERIALISED.get(
            type_token, "no materialiser for this type"
        )
    return run.result
