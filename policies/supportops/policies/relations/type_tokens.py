"""Type tokens the rules look up."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

AWS_PROVIDER: Final = "pulumi:providers:aws"
AWS_NATIVE_PROVIDER: Final = "pulumi:providers:aws-native"
KMS_KEY: Final = "aws:kms/key:Key"
KMS_ALIAS: Final = "aws:kms/alias:Alias"
S3_BUCKET: Final = "aws:s3/bucket:Bucket"
S3_BUCKET_V2: Final = "aws:s3/bucketV2:BucketV2"
S3_ENCRYPTION: Final = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
)
S3_ENCRYPTION_V2: Final = (
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
)
S3_VERSIONING: Final = "aws:s3/bucketVersioning:BucketVersioning"
S3_VERSIONING_V2: Final = "aws:s3/bucketVersioningV2:BucketVersioningV2"
S3_PUBLIC_ACCESS_BLOCK: Final = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
S3_POLICY: Final = "aws:s3/bucketPolicy:BucketPolicy"
S3_LIFECYCLE: Final = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
S3_LIFECYCLE_V2: Final = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
S3_LOGGING: Final = "aws:s3/bucketLogging:BucketLogging"
S3_LOGGING_V2: Final = "aws:s3/bucketLoggingV2:BucketLoggingV2"
S3_OBJECT_LOCK: Final = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
S3_OBJECT_LOCK_V2: Final = "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2"
S3_REPLICATION: Final = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
S3_OWNERSHIP: Final = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
LOG_GROUP: Final = "aws:cloudwatch/logGroup:LogGroup"
KINESIS_STREAM: Final = "aws:kinesis/stream:Stream"
FIREHOSE: Final = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"
CONNECT_INSTANCE: Final = "aws:connect/instance:Instance"
CONNECT_STORAGE: Final = "aws:connect/instanceStorageConfig:InstanceStorageConfig"

BUCKET_TYPES: Final = (S3_BUCKET, S3_BUCKET_V2)

# Settings resources of a bucket, by the aspect they configure (pulumi-aws 7 splits them out).
BUCKET_SETTING_TYPES: Final[Mapping[str, str]] = {
    S3_ENCRYPTION: "encryption",
    S3_ENCRYPTION_V2: "encryption",
    S3_VERSIONING: "versioning",
    S3_VERSIONING_V2: "versioning",
    S3_PUBLIC_ACCESS_BLOCK: "public_access_block",
    S3_POLICY: "policy",
    S3_LIFECYCLE: "lifecycle",
    S3_LIFECYCLE_V2: "lifecycle",
    S3_LOGGING: "logging",
    S3_LOGGING_V2: "logging",
    S3_OBJECT_LOCK: "object_lock",
    S3_OBJECT_LOCK_V2: "object_lock",
    S3_REPLICATION: "replication",
    S3_OWNERSHIP: "ownership",
}

DATA_CLASSIFICATION_TAG: Final = "data-classification"
