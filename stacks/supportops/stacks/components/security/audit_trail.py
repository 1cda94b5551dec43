"""AuditTrail: a multi-region CloudTrail with log file validation, KMS encryption and CloudWatch Logs
delivery, writing into an Object Lock bucket (evidence that cannot be edited or deleted early)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from supportops.stacks.components.security.log_group import SecureLogGroup, SecureLogGroupArgs
from supportops.stacks.components.security.secure_bucket import SecureBucket, SecureBucketArgs
from supportops.stacks.config import DataClassName
from supportops.stacks.policy_documents import (
    Statement,
    assume_role_policy,
    document,
    service_principal,
)


@dataclass(frozen=True)
class AuditTrailArgs:
    kms_key_arn: pulumi.Input[str]
    retention_days: int
    access_log_bucket: pulumi.Input[str]
    account_id: pulumi.Input[str]
    region: str
    object_lock_days: int = 365
    # Organization trails need the management account; member accounts keep an account trail.
    organization_trail: bool = False
    # Other services writing into the audit bucket (e.g. AWS Config): their bucket policy statements.
    bucket_statements: Callable[[pulumi.Output[str]], Sequence[Statement]] | None = None


class AuditTrail(pulumi.ComponentResource):
    bucket: SecureBucket
    log_group: SecureLogGroup
    trail: aws.cloudtrail.Trail

    def __init__(self, name: str, args: AuditTrailArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("supportops:security:AuditTrail", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        trail_name = name
        trail_arn = pulumi.Output.concat(
            "arn:aws:cloudtrail:", args.region, ":", args.account_id, ":trail/", trail_name
        )
        self.bucket = SecureBucket(
            f"{name}-logs",
            SecureBucketArgs(
                data_class=DataClassName.AUDIT_LOGS,
                retention_days=args.retention_days,
                kms_key_arn=args.kms_key_arn,
                access_log_bucket=args.access_log_bucket,
                object_lock_days=min(args.object_lock_days, args.retention_days),
                policy_statements=lambda bucket_arn: (
                    {
                        "Sid": "CloudTrailAclCheck",
                        "Effect": "Allow",
                        "Principal": service_principal("cloudtrail"),
                        "Action": "s3:GetBucketAcl",
                        "Resource": bucket_arn,
                        "Condition": {"StringEquals": {"aws:SourceArn": trail_arn}},
                    },
                    {
                        "Sid": "CloudTrailWrite",
                        "Effect": "Allow",
                        "Principal": service_principal("cloudtrail"),
                        "Action": "s3:PutObject",
                        "Resource": pulumi.Output.concat(bucket_arn, "/AWSLogs/", args.account_id, "/*"),
                        "Condition": {"StringEquals": {"aws:SourceArn": trail_arn}},
                    },
                    *(args.bucket_statements(bucket_arn) if args.bucket_statements else ()),
                ),
            ),
            opts=child,
        )
        self.log_group = SecureLogGroup(
            f"{name}-events",
            SecureLogGroupArgs(
                data_class=DataClassName.AUDIT_LOGS,
                retention_days=args.retention_days,
                kms_key_arn=args.kms_key_arn,
            ),
            opts=child,
        )
        delivery_role = aws.iam.Role(
            f"{name}-cloudwatch-delivery",
            assume_role_policy=assume_role_policy(
                "cloudtrail", condition={"StringEquals": {"aws:SourceArn": trail_arn}}
            ),
            opts=child,
        )
        aws.iam.RolePolicy(
            f"{name}-cloudwatch-delivery",
            role=delivery_role.id,
            policy=document(
                [
                    {
                        "Effect": "Allow",
                        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                        "Resource": pulumi.Output.concat(self.log_group.arn, ":log-stream:*"),
                    }
                ]
            ),
            opts=child,
        )
        self.trail = aws.cloudtrail.Trail(
            name,
            name=trail_name,
            s3_bucket_name=self.bucket.name,
            kms_key_id=args.kms_key_arn,
            is_multi_region_trail=True,
            include_global_service_events=True,
            enable_log_file_validation=True,
            is_organization_trail=args.organization_trail,
            cloud_watch_logs_group_arn=pulumi.Output.concat(self.log_group.arn, ":*"),
            cloud_watch_logs_role_arn=delivery_role.arn,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.bucket]),
        )
        self.register_outputs({"trailArn": self.trail.arn, "bucket": self.bucket.name})
