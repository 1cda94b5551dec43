"""Small hand-made inventories for the checkov tests, shaped as the offline planner writes them
(Pulumi camelCase inputs, outputs with ids/ARNs, recorded dependencies)."""

from __future__ import annotations

import json
from typing import Any

from supportops.inventory.model import UNKNOWN, Inventory, Resource, Source, SourceKind

STACK = "checkov-test"
PROJECT = "supportops"
ACCOUNT = "111122223333"
REGION = "us-east-1"
PROVIDER_URN = f"urn:pulumi:{STACK}::{PROJECT}::pulumi:providers:aws::aws-test"
DEFAULT_TAGS = {"owner": "support-platform-team", "environment": "test"}


def urn(type_token: str, name: str) -> str:
    return f"urn:pulumi:{STACK}::{PROJECT}::{type_token}::{name}"


class Builder:
    """Collects resources; ``add`` returns the resource so later ones can name its outputs."""

    def __init__(self) -> None:
        self.resources: list[Resource] = [
            Resource(
                urn=PROVIDER_URN,
                type="pulumi:providers:aws",
                name="aws-test",
                inputs={"region": REGION, "defaultTags": json.dumps({"tags": DEFAULT_TAGS})},
            )
        ]

    def add(
        self,
        type_token: str,
        name: str,
        inputs: dict[str, Any],
        *,
        outputs: dict[str, Any] | None = None,
        depends_on: list[Resource] | None = None,
        resource_id: str | None = None,
    ) -> Resource:
        resource = Resource(
            urn=urn(type_token, name),
            type=type_token,
            name=name,
            provider=PROVIDER_URN,
            dependencies=[d.urn for d in depends_on or []],
            inputs=inputs,
            outputs={**inputs, **(outputs or {})},
            id=resource_id or f"{name}-id",
            region=REGION,
        )
        self.resources.append(resource)
        return resource

    def inventory(self) -> Inventory:
        return Inventory(PROJECT, STACK, Source(SourceKind.OFFLINE_PLAN, "tests"), self.resources)


def kms_key(b: Builder, name: str, *, rotation: bool) -> Resource:
    key_id = f"{name}-0000-1111"
    return b.add(
        "aws:kms/key:Key",
        name,
        {
            "enableKeyRotation": rotation,
            "deletionWindowInDays": 30.0,
            "policy": json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                            "Action": "kms:*",
                            "Resource": "*",
                        }
                    ],
                }
            ),
        },
        outputs={"arn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key_id}", "keyId": key_id},
        resource_id=key_id,
    )


def bucket(b: Builder, name: str) -> Resource:
    physical = f"{name}-a1b2c3"
    return b.add(
        "aws:s3/bucket:Bucket",
        name,
        {"tags": {"data-classification": "call-recordings"}},
        outputs={"bucket": physical, "arn": f"arn:aws:s3:::{physical}"},
        resource_id=physical,
    )


def compliant_bucket(b: Builder, name: str, key: Resource, log_bucket: Resource) -> Resource:
    """A bucket made compliant by separate resources, each naming it through its ``bucket`` input
    (pulumi-aws 7): only references let checkov's connected checks see them."""
    bkt = bucket(b, name)
    physical = bkt.outputs["bucket"]
    b.add(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        f"{name}-encryption",
        {
            "bucket": physical,
            "rules": [
                {
                    "applyServerSideEncryptionByDefault": {
                        "sseAlgorithm": "aws:kms",
                        "kmsMasterKeyId": key.outputs["arn"],
                    },
                    "bucketKeyEnabled": True,
                }
            ],
        },
        depends_on=[bkt, key],
    )
    b.add(
        "aws:s3/bucketVersioning:BucketVersioning",
        f"{name}-versioning",
        {"bucket": physical, "versioningConfiguration": {"status": "Enabled"}},
        depends_on=[bkt],
    )
    b.add(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        f"{name}-public-access-block",
        {
            "bucket": physical,
            "blockPublicAcls": True,
            "blockPublicPolicy": True,
            "ignorePublicAcls": True,
            "restrictPublicBuckets": True,
        },
        depends_on=[bkt],
    )
    b.add(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        f"{name}-lifecycle",
        {
            "bucket": physical,
            "rules": [
                {
                    "id": "retention",
                    "status": "Enabled",
                    "filter": {"prefix": ""},
                    "expiration": {"days": 365.0},
                    "abortIncompleteMultipartUpload": {"daysAfterInitiation": 7.0},
                }
            ],
        },
        depends_on=[bkt],
    )
    b.add(
        "aws:s3/bucketLogging:BucketLogging",
        f"{name}-logging",
        {"bucket": physical, "targetBucket": log_bucket.outputs["bucket"], "targetPrefix": f"{physical}/"},
        depends_on=[bkt, log_bucket],
    )
    return bkt


def noncompliant_inventory() -> Inventory:
    """One compliant and one non-compliant resource of each kind the bar names."""
    b = Builder()
    good_key = kms_key(b, "good-key", rotation=True)
    kms_key(b, "bad-key", rotation=False)

    log_bucket = bucket(b, "log-bucket")
    compliant_bucket(b, "good-bucket", good_key, log_bucket)
    bucket(b, "bad-bucket")

    b.add(
        "aws:sqs/queue:Queue",
        "good-queue",
        {"kmsMasterKeyId": good_key.outputs["arn"]},
        outputs={"arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:good-queue", "url": "https://sqs/good-queue"},
        depends_on=[good_key],
    )
    b.add(
        "aws:sqs/queue:Queue",
        "bad-queue",
        {"sqsManagedSseEnabled": False},
        outputs={"arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:bad-queue", "url": "https://sqs/bad-queue"},
    )

    b.add(
        "aws:cloudwatch/logGroup:LogGroup",
        "good-logs",
        {"kmsKeyId": good_key.outputs["arn"], "retentionInDays": 365.0},
        depends_on=[good_key],
    )
    b.add(
        "aws:cloudwatch/logGroup:LogGroup",
        "short-logs",
        {"kmsKeyId": good_key.outputs["arn"], "retentionInDays": 30.0},
        depends_on=[good_key],
    )
    b.add("aws:cloudwatch/logGroup:LogGroup", "bad-logs", {})

    table_common: dict[str, Any] = {
        "billingMode": "PAY_PER_REQUEST",
        "hashKey": "pk",
        "attributes": [{"name": "pk", "type": "S"}],
    }
    b.add(
        "aws:dynamodb/table:Table",
        "good-table",
        {
            **table_common,
            "pointInTimeRecovery": {"enabled": True},
            "serverSideEncryption": {"enabled": True, "kmsKeyArn": good_key.outputs["arn"]},
        },
        depends_on=[good_key],
    )
    b.add(
        "aws:dynamodb/table:Table", "bad-table", {**table_common, "pointInTimeRecovery": {"enabled": False}}
    )
    network_and_compute(b)
    logged_in_preview(b)
    images_and_load_balancers(b)
    return b.inventory()


def component(b: Builder, type_token: str, name: str, parent: Resource | None = None) -> Resource:
    resource = Resource(
        urn=urn(type_token, name),
        type=type_token,
        name=name,
        custom=False,
        parent=parent.urn if parent else None,
    )
    b.resources.append(resource)
    return resource


def logged_in_preview(b: Builder) -> None:
    """A bucket and its access-log bucket as a preview shows them: two components, bucket names
    unknown until apply, the logging resource (beside its bucket) naming both through unknowns."""
    buckets: list[Resource] = []
    for name in ("preview-data", "preview-logs"):
        parent = component(b, "supportops:security:SecureBucket", name)
        bkt = b.add(
            "aws:s3/bucket:Bucket", name, {}, outputs={"bucket": UNKNOWN, "arn": UNKNOWN}, resource_id=UNKNOWN
        )
        bkt.parent = parent.urn
        buckets.append(bkt)
    logging = b.add(
        "aws:s3/bucketLogging:BucketLogging",
        "preview-data-logging",
        {"bucket": UNKNOWN, "targetBucket": UNKNOWN, "targetPrefix": UNKNOWN},
        depends_on=list(reversed(buckets)),  # order says nothing: the target comes first here
    )
    logging.parent = buckets[0].parent


def network_and_compute(b: Builder) -> None:
    """Security groups and their consumers, given as the SDK writes them (an instance's
    ``vpcSecurityGroupIds``, a function's ``vpcConfig``, a database's list) or unknown at preview
    time; instances with and without IMDSv2 and an encrypted root volume; Lambda permissions whose
    ``sourceArn`` is unknown (preview) or missing."""
    vpc = b.add("aws:ec2/vpc:Vpc", "vpc", {"cidrBlock": "10.0.0.0/16"}, resource_id="vpc-0a1b2c3d")

    def group(name: str, group_id: str) -> Resource:
        return b.add(
            "aws:ec2/securityGroup:SecurityGroup",
            name,
            {"vpcId": "vpc-0a1b2c3d", "description": f"{name} (managed by supportops)"},
            outputs={"arn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/{group_id}"},
            resource_id=group_id,
            depends_on=[vpc],
        )

    web, fn_group, db_group = group("web-sg", "sg-0web"), group("fn-sg", "sg-0fn"), group("db-sg", "sg-0db")
    group("idle-sg", "sg-0idle")
    preview_a, preview_b = group("preview-sg-a", UNKNOWN), group("preview-sg-b", UNKNOWN)
    b.add(
        "aws:ec2/instance:Instance",
        "bastion",
        {
            "ami": "ami-0123456789abcdef0",
            "instanceType": "t3.micro",
            "vpcSecurityGroupIds": ["sg-0web"],
            "metadataOptions": {"httpTokens": "required"},
            "rootBlockDevice": {"encrypted": True},
        },
        depends_on=[web],
    )
    b.add(
        "aws:ec2/instance:Instance",
        "legacy-vm",
        {
            "ami": "ami-0123456789abcdef0",
            "instanceType": "t3.micro",
            "vpcSecurityGroupIds": [UNKNOWN, UNKNOWN],
        },
        depends_on=[preview_a, preview_b],
    )
    function = b.add(
        "aws:lambda/function:Function",
        "handler",
        {
            "role": f"arn:aws:iam::{ACCOUNT}:role/handler",
            "runtime": "python3.12",
            "handler": "app.handler",
            "vpcConfig": {"securityGroupIds": ["sg-0fn"], "subnetIds": ["subnet-0a"]},
        },
        outputs={"arn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:handler"},
        resource_id="handler",
        depends_on=[fn_group],
    )
    b.add(
        "aws:rds/instance:Instance",
        "public-db",
        {
            "engine": "postgres",
            "instanceClass": "db.t3.micro",
            "vpcSecurityGroupIds": ["sg-0db"],
            "publiclyAccessible": True,
            "storageEncrypted": False,
        },
        depends_on=[db_group],
    )
    permission = {
        "function": "handler",
        "action": "lambda:InvokeFunction",
        "principal": "apigateway.amazonaws.com",
    }
    b.add(
        "aws:lambda/permission:Permission",
        "api-permission",
        {**permission, "sourceArn": UNKNOWN},
        depends_on=[function],
    )
    b.add("aws:lambda/permission:Permission", "open-permission", permission, depends_on=[function])


def images_and_load_balancers(b: Builder) -> None:
    """An ECR repository whose policy lets anyone push and delete, one readable by the account
    only, and a load balancer with an HTTP and an HTTPS listener."""
    for name, principal in (("open-images", "*"), ("private-images", f"arn:aws:iam::{ACCOUNT}:root")):
        repo = b.add(
            "aws:ecr/repository:Repository",
            name,
            {"imageTagMutability": "IMMUTABLE", "imageScanningConfiguration": {"scanOnPush": True}},
            outputs={"arn": f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/{name}", "name": name},
            resource_id=name,
        )
        statement = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": ["ecr:*"]}
        b.add(
            "aws:ecr/repositoryPolicy:RepositoryPolicy",
            f"{name}-policy",
            {"repository": name, "policy": json.dumps({"Version": "2012-10-17", "Statement": [statement]})},
            depends_on=[repo],
        )
    lb_arn = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/app/public-lb/0a1b"
    lb = b.add(
        "aws:lb/loadBalancer:LoadBalancer",
        "public-lb",
        {"loadBalancerType": "application", "securityGroups": ["sg-0web"]},
        outputs={"arn": lb_arn},
        resource_id=lb_arn,
    )
    forward = [
        {"type": "forward", "targetGroupArn": f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:tg/web"}
    ]
    b.add(
        "aws:lb/listener:Listener",
        "http-listener",
        {"loadBalancerArn": lb_arn, "port": 80.0, "protocol": "HTTP", "defaultActions": forward},
        depends_on=[lb],
    )
    b.add(
        "aws:lb/listener:Listener",
        "https-listener",
        {
            "loadBalancerArn": lb_arn,
            "port": 443.0,
            "protocol": "HTTPS",
            "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
            "certificateArn": f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/0a1b",
            "defaultActions": forward,
        },
        depends_on=[lb],
    )
