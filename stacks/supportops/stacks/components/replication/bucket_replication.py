"""BucketReplication: the role S3 assumes to replicate, and the replication rule: everything, delete
markers included, KMS-encrypted objects re-encrypted with the replica's key, replication time
control and its metrics at the minutes :func:`~.replication.replication_time_minutes` sized."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from supportops.stacks.policy_documents import assume_role_policy, document


@dataclass(frozen=True)
class BucketReplicationArgs:
    source_bucket: pulumi.Input[str]
    source_bucket_arn: pulumi.Input[str]
    source_key_arn: pulumi.Input[str]
    source_region: str | None
    replica_bucket_arn: pulumi.Input[str]
    replica_key_arn: pulumi.Input[str]
    replica_region: str
    minutes: int
    wait_for: tuple[pulumi.Resource, ...] = ()  # e.g. both buckets' versioning


class BucketReplication(pulumi.ComponentResource):
    role: aws.iam.Role
    config: aws.s3.BucketReplicationConfig

    def __init__(
        self, name: str, args: BucketReplicationArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("supportops:resilience:BucketReplication", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.role = aws.iam.Role(
            f"{name}-role",
            assume_role_policy=assume_role_policy("s3"),
            opts=child,
        )
        source_objects = pulumi.Output.concat(args.source_bucket_arn, "/*")
        replica_objects = pulumi.Output.concat(args.replica_bucket_arn, "/*")
        policy = aws.iam.RolePolicy(
            f"{name}-policy",
            role=self.role.id,
            policy=document(
                [
                    {
                        "Sid": "ReadSourceConfiguration",
                        "Effect": "Allow",
                        "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                        "Resource": args.source_bucket_arn,
                    },
                    {
                        "Sid": "ReadSourceVersions",
                        "Effect": "Allow",
                        "Action": [
                            "s3:GetObjectVersionForReplication",
                            "s3:GetObjectVersionAcl",
                            "s3:GetObjectVersionTagging",
                        ],
                        "Resource": source_objects,
                    },
                    {
                        "Sid": "WriteReplicas",
                        "Effect": "Allow",
                        "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                        "Resource": replica_objects,
                    },
                    {
                        "Sid": "DecryptSource",
                        "Effect": "Allow",
                        "Action": "kms:Decrypt",
                        "Resource": args.source_key_arn,
                    },
                    {
                        "Sid": "EncryptReplica",
                        "Effect": "Allow",
                        "Action": ["kms:Encrypt", "kms:GenerateDataKey"],
                        "Resource": args.replica_key_arn,
                    },
                ]
            ),
            opts=child,
        )
        self.config = aws.s3.BucketReplicationConfig(
            name,
            bucket=args.source_bucket,
            role=self.role.arn,
            rules=[
                aws.s3.BucketReplicationConfigRuleArgs(
                    id="cross-region-rpo",
                    status="Enabled",
                    priority=1,
                    filter=aws.s3.BucketReplicationConfigRuleFilterArgs(prefix=""),
                    delete_marker_replication=aws.s3.BucketReplicationConfigRuleDeleteMarkerReplicationArgs(
                        status="Enabled"
                    ),
                    source_selection_criteria=aws.s3.BucketReplicationConfigRuleSourceSelectionCriteriaArgs(
                        sse_kms_encrypted_objects=(
                            aws.s3.BucketReplicationConfigRuleSourceSelectionCriteriaSseKmsEncryptedObjectsArgs(
                                status="Enabled"
                            )
                        )
                    ),
                    destination=aws.s3.BucketReplicationConfigRuleDestinationArgs(
                        bucket=args.replica_bucket_arn,
                        encryption_configuration=(
                            aws.s3.BucketReplicationConfigRuleDestinationEncryptionConfigurationArgs(
                                replica_kms_key_id=args.replica_key_arn
                            )
                        ),
                        replication_time=aws.s3.BucketReplicationConfigRuleDestinationReplicationTimeArgs(
                            status="Enabled",
                            time=aws.s3.BucketReplicationConfigRuleDestinationReplicationTimeTimeArgs(
                                minutes=args.minutes
                            ),
                        ),
                        metrics=aws.s3.BucketReplicationConfigRuleDestinationMetricsArgs(
                            status="Enabled",
                            event_threshold=aws.s3.BucketReplicationConfigRuleDestinationMetricsEventThresholdArgs(
                                minutes=args.minutes
                            ),
                        ),
                    ),
                )
            ],
            region=args.source_region,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[policy, *args.wait_for]),
        )
        self.register_outputs({"roleArn": self.role.arn})
