"""SecureBucket: an S3 bucket that is private, encrypted with its data class's key, versioned,
TLS-only, owner-enforced, logged and expired from its retention.

pulumi-aws 7 splits every bucket setting into its own resource; each is a child of this component
and names the bucket, which is how rules (and checkov, through references) connect them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import pulumi
import pulumi_aws as aws

from supportops.stacks.components.replication.bucket_replication import (
    BucketReplication,
    BucketReplicationArgs,
)
from supportops.stacks.components.replication.sizing import ReplicationArgs
from supportops.stacks.components.security.data_key import DataKey, DataKeyArgs
from supportops.stacks.config import DataClassName
from supportops.stacks.policy_documents import (
    Statement,
    deny_insecure_transport,
    deny_old_tls,
    document,
)
from supportops.stacks.tags import classification


class BucketEncryption(StrEnum):
    KMS = "aws:kms"
    # S3 server access logs can only be delivered to a bucket encrypted with SSE-S3: the one
    # documented exception, used for the access-log bucket only.
    S3_MANAGED_FOR_ACCESS_LOGS = "AES256"


@dataclass(frozen=True)
class SecureBucketArgs:
    data_class: DataClassName
    retention_days: int
    kms_key_arn: pulumi.Input[str] | None = None
    encryption: BucketEncryption = BucketEncryption.KMS
    # Bucket receiving this bucket's server access logs; None only for the access-log bucket itself.
    access_log_bucket: pulumi.Input[str] | None = None
    object_lock_days: int | None = None  # compliance-mode retention for audit evidence
    region: str | None = None
    # Statements to add to the bucket policy, given the bucket's ARN (e.g. a service's write access).
    policy_statements: Callable[[pulumi.Output[str]], Sequence[Statement]] | None = None
    noncurrent_version_days: int = 30
    force_destroy: bool = False
    tags: dict[str, str] = field(default_factory=dict)
    # Cross-region replica (own key in the replica region, RTC sized from the RPO); None: none.
    replication: ReplicationArgs | None = None

    def __post_init__(self) -> None:
        if self.encryption is BucketEncryption.KMS and self.kms_key_arn is None:
            raise ValueError("SecureBucket with KMS encryption needs kms_key_arn")
        if self.retention_days < 1:
            raise ValueError("retention_days must be positive")
        if self.object_lock_days is not None and self.object_lock_days > self.retention_days:
            raise ValueError("object lock cannot outlast the retention period")


class SecureBucket(pulumi.ComponentResource):
    bucket: aws.s3.Bucket
    name: pulumi.Output[str]
    arn: pulumi.Output[str]
    versioning: aws.s3.BucketVersioning
    replica: SecureBucket | None = None

    def __init__(self, name: str, args: SecureBucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("supportops:security:SecureBucket", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        region = args.region
        self.bucket = aws.s3.Bucket(
            name,
            object_lock_enabled=args.object_lock_days is not None,
            force_destroy=args.force_destroy,
            tags={**classification(args.data_class), **args.tags},
            opts=child,
            region=region,
        )
        self.name = self.bucket.bucket
        self.arn = self.bucket.arn
        bucket_child = pulumi.ResourceOptions(parent=self, depends_on=[self.bucket])

        aws.s3.BucketOwnershipControls(
            f"{name}-ownership",
            bucket=self.bucket.bucket,
            rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
            opts=bucket_child,
            region=region,
        )
        public_access_block = aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access-block",
            bucket=self.bucket.bucket,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=bucket_child,
            region=region,
        )
        by_default = aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
            sse_algorithm=args.encryption.value,
            kms_master_key_id=args.kms_key_arn if args.encryption is BucketEncryption.KMS else None,
        )
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=self.bucket.bucket,
            rules=[
                aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                    apply_server_side_encryption_by_default=by_default,
                    bucket_key_enabled=args.encryption is BucketEncryption.KMS,
                )
            ],
            opts=bucket_child,
            region=region,
        )
        self.versioning = aws.s3.BucketVersioning(
            f"{name}-versioning",
            bucket=self.bucket.bucket,
            versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
            opts=bucket_child,
            region=region,
        )
        aws.s3.BucketPolicy(
            f"{name}-policy",
            bucket=self.bucket.bucket,
            policy=document(
                [
                    deny_insecure_transport(self.bucket.arn),
                    deny_old_tls(self.bucket.arn),
                    *(args.policy_statements(self.bucket.arn) if args.policy_statements else ()),
                ]
            ),
            # The public access block must exist first or a policy could briefly be public.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[public_access_block]),
            region=region,
        )
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=self.bucket.bucket,
            rules=[
                aws.s3.BucketLifecycleConfigurationRuleArgs(
                    id="retention",
                    status="Enabled",
                    filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                    expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(
                        days=args.retention_days
                    ),
                    noncurrent_version_expiration=(
                        aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                            noncurrent_days=args.noncurrent_version_days
                        )
                    ),
                    abort_incomplete_multipart_upload=(
                        aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                            days_after_initiation=7
                        )
                    ),
                )
            ],
            opts=bucket_child,
            region=region,
        )
        if args.access_log_bucket is not None:
            aws.s3.BucketLogging(
                f"{name}-logging",
                bucket=self.bucket.bucket,
                target_bucket=args.access_log_bucket,
                target_prefix=pulumi.Output.concat(self.bucket.bucket, "/"),
                opts=bucket_child,
                region=region,
            )
        if args.object_lock_days is not None:
            aws.s3.BucketObjectLockConfiguration(
                f"{name}-object-lock",
                bucket=self.bucket.bucket,
                rule=aws.s3.BucketObjectLockConfigurationRuleArgs(
                    default_retention=aws.s3.BucketObjectLockConfigurationRuleDefaultRetentionArgs(
                        mode="COMPLIANCE", days=args.object_lock_days
                    )
                ),
                opts=bucket_child,
                region=region,
            )
        if args.replication is not None:
            self.replica = self._replicate(name, args, args.replication)
        self.register_outputs({"name": self.name, "arn": self.arn})

    def _replicate(self, name: str, args: SecureBucketArgs, target: ReplicationArgs) -> SecureBucket:
        if args.encryption is not BucketEncryption.KMS or args.kms_key_arn is None:
            raise ValueError("only KMS-encrypted buckets are replicated")
        child = pulumi.ResourceOptions(parent=self)
        key = DataKey(
            f"{name}-replica-key",
            DataKeyArgs(
                data_class=args.data_class, account_root_arn=target.account_root_arn, region=target.region
            ),
            opts=child,
        )
        replica = SecureBucket(
            f"{name}-replica",
            SecureBucketArgs(
                data_class=args.data_class,
                retention_days=args.retention_days,
                kms_key_arn=key.arn,
                access_log_bucket=target.access_log_bucket,
                object_lock_days=args.object_lock_days,
                region=target.region,
                noncurrent_version_days=args.noncurrent_version_days,
                force_destroy=args.force_destroy,
                tags=args.tags,
            ),
            opts=child,
        )
        BucketReplication(
            f"{name}-replication",
            BucketReplicationArgs(
                source_bucket=self.bucket.bucket,
                source_bucket_arn=self.arn,
                source_key_arn=args.kms_key_arn,
                source_region=args.region,
                replica_bucket_arn=replica.arn,
                replica_key_arn=key.arn,
                replica_region=target.region,
                minutes=target.minutes,
                # S3 accepts a replication rule only once both buckets are versioned.
                wait_for=(self.versioning, replica.versioning),
            ),
            opts=child,
        )
        return replica
