"""Where Amazon Connect stores contact data: S3 for recordings, transcripts and scheduled reports
(KMS with the full key ARN of the data class's key), KMS-encrypted Kinesis streams for contact trace
records and agent events (read by the analytics phase)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from supportops.stacks.components.replication.sizing import ReplicationArgs
from supportops.stacks.components.security import SecureBucket, SecureBucketArgs
from supportops.stacks.config import DataClassName
from supportops.stacks.tags import backup_protected, classification

# Hours a record stays readable on a stream (consumers copy it into the analytics store).
STREAM_RETENTION_HOURS = 168


@dataclass(frozen=True)
class StorageKeys:
    recordings: pulumi.Input[str]
    transcripts: pulumi.Input[str]
    contact_records: pulumi.Input[str]  # CTR/agent-event streams and the scheduled reports


@dataclass(frozen=True)
class ContactStorage:
    recordings: SecureBucket
    transcripts: SecureBucket
    reports: SecureBucket
    ctr_stream: aws.kinesis.Stream
    agent_events_stream: aws.kinesis.Stream


def _bucket(
    name: str,
    data_class: DataClassName,
    key_arn: pulumi.Input[str],
    retention_days: int,
    access_log_bucket: pulumi.Input[str],
    parent: pulumi.Resource,
    protected: bool,
    replication: ReplicationArgs | None = None,
) -> SecureBucket:
    """``protected``: selected by the backup plan and replicated to the replica region."""
    return SecureBucket(
        name,
        SecureBucketArgs(
            data_class=data_class,
            retention_days=retention_days,
            kms_key_arn=key_arn,
            access_log_bucket=access_log_bucket,
            tags=backup_protected() if protected else {},
            replication=replication if protected else None,
        ),
        opts=pulumi.ResourceOptions(parent=parent),
    )


def _stream(name: str, key_arn: pulumi.Input[str], parent: pulumi.Resource) -> aws.kinesis.Stream:
    return aws.kinesis.Stream(
        name,
        name=name,
        encryption_type="KMS",
        kms_key_id=key_arn,
        retention_period=STREAM_RETENTION_HOURS,
        stream_mode_details=aws.kinesis.StreamStreamModeDetailsArgs(stream_mode="ON_DEMAND"),
        tags={**classification(DataClassName.CONTACT_TRACE_RECORDS), **backup_protected()},
        opts=pulumi.ResourceOptions(parent=parent),
    )


def build_contact_storage(
    name: str,
    keys: StorageKeys,
    retention: dict[DataClassName, int],
    access_log_bucket: pulumi.Input[str],
    parent: pulumi.Resource,
    replication: ReplicationArgs | None = None,
) -> ContactStorage:
    return ContactStorage(
        recordings=_bucket(
            f"{name}-recordings",
            DataClassName.CALL_RECORDINGS,
            keys.recordings,
            retention[DataClassName.CALL_RECORDINGS],
            access_log_bucket,
            parent,
            protected=True,
            replication=replication,
        ),
        transcripts=_bucket(
            f"{name}-transcripts",
            DataClassName.CHAT_TRANSCRIPTS,
            keys.transcripts,
            retention[DataClassName.CHAT_TRANSCRIPTS],
            access_log_bucket,
            parent,
            protected=True,
            replication=replication,
        ),
        reports=_bucket(
            f"{name}-reports",
            DataClassName.CONTACT_TRACE_RECORDS,
            keys.contact_records,
            retention[DataClassName.CONTACT_TRACE_RECORDS],
            access_log_bucket,
            parent,
            protected=True,
            replication=replication,
        ),
        ctr_stream=_stream(f"{name}-contact-trace-records", keys.contact_records, parent),
        agent_events_stream=_stream(f"{name}-agent-events", keys.contact_records, parent),
    )


def attach_storage(
    name: str,
    instance: aws.connect.Instance,
    storage: ContactStorage,
    keys: StorageKeys,
    parent: pulumi.Resource,
) -> list[aws.connect.InstanceStorageConfig]:
    """One storage config per Connect resource type."""
    opts = pulumi.ResourceOptions(parent=parent)

    def s3(
        resource_type: str, bucket: SecureBucket, prefix: str, key: pulumi.Input[str]
    ) -> aws.connect.InstanceStorageConfig:
        return aws.connect.InstanceStorageConfig(
            f"{name}-storage-{prefix}",
            instance_id=instance.id,
            resource_type=resource_type,
            storage_config=aws.connect.InstanceStorageConfigStorageConfigArgs(
                storage_type="S3",
                s3_config=aws.connect.InstanceStorageConfigStorageConfigS3ConfigArgs(
                    bucket_name=bucket.name,
                    bucket_prefix=prefix,
                    encryption_config=aws.connect.InstanceStorageConfigStorageConfigS3ConfigEncryptionConfigArgs(
                        encryption_type="KMS", key_id=key
                    ),
                ),
            ),
            opts=opts,
        )

    def kinesis(
        resource_type: str, stream: aws.kinesis.Stream, suffix: str
    ) -> aws.connect.InstanceStorageConfig:
        return aws.connect.InstanceStorageConfig(
            f"{name}-storage-{suffix}",
            instance_id=instance.id,
            resource_type=resource_type,
            storage_config=aws.connect.InstanceStorageConfigStorageConfigArgs(
                storage_type="KINESIS_STREAM",
                kinesis_stream_config=aws.connect.InstanceStorageConfigStorageConfigKinesisStreamConfigArgs(
                    stream_arn=stream.arn
                ),
            ),
            opts=opts,
        )

    return [
        s3("CALL_RECORDINGS", storage.recordings, "call-recordings", keys.recordings),
        s3("CHAT_TRANSCRIPTS", storage.transcripts, "chat-transcripts", keys.transcripts),
        s3("SCHEDULED_REPORTS", storage.reports, "scheduled-reports", keys.contact_records),
        kinesis("CONTACT_TRACE_RECORDS", storage.ctr_stream, "contact-trace-records"),
        kinesis("AGENT_EVENTS", storage.agent_events_stream, "agent-events"),
    ]
