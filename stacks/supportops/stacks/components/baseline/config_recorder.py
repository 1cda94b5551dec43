"""ConfigurationRecording: an AWS Config recorder in every region in scope recording every supported
resource type (global ones included), delivering configuration history and daily snapshots into the
audit bucket under the audit key, and switched on (PCI DSS 11.5.2 change detection, 10.2 history).

The audit bucket is created by the AuditTrail; :func:`delivery_bucket_statements` gives the bucket
policy statements Config's delivery needs, which the foundation adds to that bucket's policy."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from supportops.stacks.policy_documents import Statement, assume_role_policy, document, service_principal

DELIVERY_PREFIX = "config"
SNAPSHOT_FREQUENCY = "TwentyFour_Hours"
CONFIG_MANAGED_POLICY = "iam::aws:policy/service-role/AWS_ConfigRole"  # read-only describe access


def delivery_bucket_statements(
    account_id: pulumi.Input[str],
) -> Callable[[pulumi.Output[str]], Sequence[Statement]]:
    """Bucket policy statements letting AWS Config (for this account only) check and write the bucket."""
    same_account = {"StringEquals": {"aws:SourceAccount": account_id}}

    def statements(bucket_arn: pulumi.Output[str]) -> Sequence[Statement]:
        return (
            {
                "Sid": "ConfigAclCheck",
                "Effect": "Allow",
                "Principal": service_principal("config"),
                "Action": ["s3:GetBucketAcl", "s3:ListBucket"],
                "Resource": bucket_arn,
                "Condition": same_account,
            },
            {
                "Sid": "ConfigWrite",
                "Effect": "Allow",
                "Principal": service_principal("config"),
                "Action": "s3:PutObject",
                "Resource": pulumi.Output.concat(
                    bucket_arn, f"/{DELIVERY_PREFIX}/AWSLogs/", account_id, "/Config/*"
                ),
                "Condition": same_account,
            },
        )

    return statements


@dataclass(frozen=True)
class ConfigurationRecordingArgs:
    regions: Sequence[str]
    account_id: pulumi.Input[str]
    bucket_name: pulumi.Input[str]
    bucket_arn: pulumi.Input[str]
    kms_key_arn: pulumi.Input[str]
    partition: str = "aws"
    wait_for: tuple[pulumi.Resource, ...] = ()  # the bucket policy that lets Config write


class ConfigurationRecording(pulumi.ComponentResource):
    role: aws.iam.Role
    recorders: dict[str, aws.cfg.Recorder]
    statuses: dict[str, aws.cfg.RecorderStatus]

    def __init__(
        self, name: str, args: ConfigurationRecordingArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("supportops:baseline:ConfigurationRecording", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.role = aws.iam.Role(
            f"{name}-role",
            assume_role_policy=assume_role_policy(
                "config", condition={"StringEquals": {"aws:SourceAccount": args.account_id}}
            ),
            opts=child,
        )
        managed = aws.iam.RolePolicyAttachment(
            f"{name}-describe",
            role=self.role.name,
            policy_arn=f"arn:{args.partition}:{CONFIG_MANAGED_POLICY}",
            opts=child,
        )
        delivery = aws.iam.RolePolicy(
            f"{name}-delivery",
            role=self.role.id,
            policy=document(
                [
                    {
                        "Sid": "CheckBucket",
                        "Effect": "Allow",
                        "Action": ["s3:GetBucketAcl", "s3:ListBucket"],
                        "Resource": args.bucket_arn,
                    },
                    {
                        "Sid": "WriteHistory",
                        "Effect": "Allow",
                        "Action": "s3:PutObject",
                        "Resource": pulumi.Output.concat(
                            args.bucket_arn, f"/{DELIVERY_PREFIX}/AWSLogs/", args.account_id, "/Config/*"
                        ),
                    },
                    {
                        "Sid": "EncryptHistory",
                        "Effect": "Allow",
                        "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
                        "Resource": args.kms_key_arn,
                    },
                ]
            ),
            opts=child,
        )
        self.recorders = {}
        self.statuses = {}
        for region in args.regions:
            recorder = aws.cfg.Recorder(
                f"{name}-{region}",
                name=f"{name}-{region}",
                role_arn=self.role.arn,
                recording_group=aws.cfg.RecorderRecordingGroupArgs(
                    all_supported=True,
                    # Every regional recorder is complete on its own (IAM items are recorded once
                    # per region: a cost accepted so no region's history depends on another's).
                    include_global_resource_types=True,
                ),
                region=region,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[managed]),
            )
            channel = aws.cfg.DeliveryChannel(
                f"{name}-{region}",
                # Not the recorder's name: the status names its recorder, and nothing else, by it.
                name=f"{name}-{region}-delivery",
                s3_bucket_name=args.bucket_name,
                s3_key_prefix=DELIVERY_PREFIX,
                s3_kms_key_arn=args.kms_key_arn,
                snapshot_delivery_properties=aws.cfg.DeliveryChannelSnapshotDeliveryPropertiesArgs(
                    delivery_frequency=SNAPSHOT_FREQUENCY
                ),
                region=region,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[recorder, delivery, *args.wait_for]),
            )
            self.recorders[region] = recorder
            self.statuses[region] = aws.cfg.RecorderStatus(
                f"{name}-{region}",
                name=recorder.name,
                is_enabled=True,
                region=region,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[channel]),
            )
        self.register_outputs({"roleArn": self.role.arn, "regions": list(self.recorders)})
