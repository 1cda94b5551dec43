"""ContactDataLake: contact trace records from the foundation's Kinesis stream delivered by Firehose
into a KMS-encrypted SecureBucket, catalogued in Glue (catalog encrypted with a customer-managed key)
with partition projection, next to the tickets and survey tables the CRM integration writes.

Firehose with a Kinesis source cannot enable its own server-side encryption: records are encrypted
at rest by the stream's key and, on delivery, by ``kms_key_arn`` on the S3 destination."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from supportops.stacks.components.analytics.datasets import JSON_SERDE, LAKE_TABLES, PARTITION_KEY, LakeTable
from supportops.stacks.components.security.log_group import SecureLogGroup, SecureLogGroupArgs
from supportops.stacks.components.security.secure_bucket import SecureBucket, SecureBucketArgs
from supportops.stacks.config import DataClassName
from supportops.stacks.policy_documents import assume_role_policy, document
from supportops.stacks.tags import backup_protected, classification

FIREHOSE_BUFFER_SECONDS = 300
FIREHOSE_BUFFER_MB = 64
PROJECTION_YEARS = 3


@dataclass(frozen=True)
class ContactDataLakeArgs:
    ctr_stream_arn: pulumi.Input[str]  # foundation output ctrStreamArn
    ctr_stream_key_arn: pulumi.Input[str]  # key of the stream (contact trace records class)
    lake_key_arn: pulumi.Input[str]  # key of the lake bucket (contact trace records class)
    catalog_key_arn: pulumi.Input[str]  # key of the Glue catalog (analytics class)
    logs_key_arn: pulumi.Input[str]  # key of Firehose's error log group (application logs class)
    retention_days: int  # contact trace records class
    log_retention_days: int  # application logs class
    access_log_bucket: pulumi.Input[str]
    database_name: str  # Glue database: lowercase letters, digits, underscores


class ContactDataLake(pulumi.ComponentResource):
    bucket: SecureBucket
    database: aws.glue.CatalogDatabase
    tables: dict[str, aws.glue.CatalogTable]
    delivery_stream: aws.kinesis.FirehoseDeliveryStream

    def __init__(
        self, name: str, args: ContactDataLakeArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("supportops:analytics:ContactDataLake", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.bucket = SecureBucket(
            f"{name}-lake",
            SecureBucketArgs(
                data_class=DataClassName.CONTACT_TRACE_RECORDS,
                retention_days=args.retention_days,
                kms_key_arn=args.lake_key_arn,
                access_log_bucket=args.access_log_bucket,
                tags=backup_protected(),
            ),
            opts=child,
        )
        aws.glue.DataCatalogEncryptionSettings(
            f"{name}-catalog-encryption",
            data_catalog_encryption_settings=aws.glue.DataCatalogEncryptionSettingsDataCatalogEncryptionSettingsArgs(
                encryption_at_rest=aws.glue.DataCatalogEncryptionSettingsDataCatalogEncryptionSettingsEncryptionAtRestArgs(
                    catalog_encryption_mode="SSE-KMS", sse_aws_kms_key_id=args.catalog_key_arn
                ),
                connection_password_encryption=(
                    aws.glue.DataCatalogEncryptionSettingsDataCatalogEncryptionSettingsConnectionPasswordEncryptionArgs(
                        return_connection_password_encrypted=True, aws_kms_key_id=args.catalog_key_arn
                    )
                ),
            ),
            opts=child,
        )
        self.database = aws.glue.CatalogDatabase(
            f"{name}-database",
            name=args.database_name,
            description="supportops contact data lake",
            location_uri=pulumi.Output.concat("s3://", self.bucket.name, "/"),
            opts=child,
        )
        self.tables = {table.table: self._table(name, table) for table in LAKE_TABLES}

        errors = SecureLogGroup(
            f"{name}-delivery-errors",
            SecureLogGroupArgs(
                data_class=DataClassName.APPLICATION_LOGS,
                retention_days=args.log_retention_days,
                kms_key_arn=args.logs_key_arn,
            ),
            opts=child,
        )
        error_stream = aws.cloudwatch.LogStream(
            f"{name}-delivery-errors", log_group_name=errors.name, name="S3Delivery", opts=child
        )
        role = aws.iam.Role(
            f"{name}-delivery-role",
            assume_role_policy=assume_role_policy("firehose"),
            opts=child,
        )
        policy = aws.iam.RolePolicy(
            f"{name}-delivery-policy",
            role=role.id,
            policy=document(
                [
                    {
                        "Sid": "ReadContactTraceRecords",
                        "Effect": "Allow",
                        "Action": [
                            "kinesis:DescribeStream",
                            "kinesis:GetShardIterator",
                            "kinesis:GetRecords",
                            "kinesis:ListShards",
                        ],
                        "Resource": args.ctr_stream_arn,
                    },
                    {
                        "Sid": "DecryptStream",
                        "Effect": "Allow",
                        "Action": "kms:Decrypt",
                        "Resource": args.ctr_stream_key_arn,
                    },
                    {
                        "Sid": "WriteLake",
                        "Effect": "Allow",
                        "Action": [
                            "s3:AbortMultipartUpload",
                            "s3:GetBucketLocation",
                            "s3:GetObject",
                            "s3:ListBucket",
                            "s3:ListBucketMultipartUploads",
                            "s3:PutObject",
                        ],
                        "Resource": [self.bucket.arn, pulumi.Output.concat(self.bucket.arn, "/*")],
                    },
                    {
                        "Sid": "EncryptLake",
                        "Effect": "Allow",
                        "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
                        "Resource": args.lake_key_arn,
                    },
                    {
                        "Sid": "LogDeliveryErrors",
                        "Effect": "Allow",
                        "Action": "logs:PutLogEvents",
                        "Resource": pulumi.Output.concat(errors.arn, ":log-stream:*"),
                    },
                ]
            ),
            opts=child,
        )
        contact_records = next(t for t in LAKE_TABLES if t.table == "contact_records")
        self.delivery_stream = aws.kinesis.FirehoseDeliveryStream(
            f"{name}-ctr-delivery",
            destination="extended_s3",
            tags=classification(DataClassName.CONTACT_TRACE_RECORDS),
            kinesis_source_configuration=aws.kinesis.FirehoseDeliveryStreamKinesisSourceConfigurationArgs(
                kinesis_stream_arn=args.ctr_stream_arn, role_arn=role.arn
            ),
            extended_s3_configuration=aws.kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationArgs(
                bucket_arn=self.bucket.arn,
                role_arn=role.arn,
                kms_key_arn=args.lake_key_arn,
                prefix=f"{contact_records.prefix}/{PARTITION_KEY}=!{{timestamp:yyyy-MM-dd}}/",
                error_output_prefix=(
                    f"errors/{contact_records.prefix}/!{{firehose:error-output-type}}/"
                    f"{PARTITION_KEY}=!{{timestamp:yyyy-MM-dd}}/"
                ),
                buffering_interval=FIREHOSE_BUFFER_SECONDS,
                buffering_size=FIREHOSE_BUFFER_MB,
                compression_format="GZIP",
                # One record per line: Athena's JSON SerDe reads lines, and Firehose adds no delimiter.
                processing_configuration=(
                    aws.kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationProcessingConfigurationArgs(
                        enabled=True,
                        processors=[
                            aws.kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationProcessingConfigurationProcessorArgs(
                                type="AppendDelimiterToRecord"
                            )
                        ],
                    )
                ),
                cloudwatch_logging_options=(
                    aws.kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationCloudwatchLoggingOptionsArgs(
                        enabled=True, log_group_name=errors.name, log_stream_name=error_stream.name
                    )
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[policy]),
        )
        self.register_outputs(
            {
                "bucket": self.bucket.name,
                "database": self.database.name,
                "deliveryStreamArn": self.delivery_stream.arn,
            }
        )

    def _table(self, name: str, table: LakeTable) -> aws.glue.CatalogTable:
        location = pulumi.Output.concat("s3://", self.bucket.name, f"/{table.prefix}/")
        return aws.glue.CatalogTable(
            f"{name}-{table.table.replace('_', '-')}",
            name=table.table,
            database_name=self.database.name,
            table_type="EXTERNAL_TABLE",
            parameters={
                "classification": "json",
                "projection.enabled": "true",
                f"projection.{PARTITION_KEY}.type": "date",
                f"projection.{PARTITION_KEY}.format": "yyyy-MM-dd",
                f"projection.{PARTITION_KEY}.range": f"NOW-{PROJECTION_YEARS}YEARS,NOW",
                f"projection.{PARTITION_KEY}.interval": "1",
                f"projection.{PARTITION_KEY}.interval.unit": "DAYS",
                "storage.location.template": pulumi.Output.concat(
                    location, f"{PARTITION_KEY}=${{{PARTITION_KEY}}}/"
                ),
            },
            partition_keys=[aws.glue.CatalogTablePartitionKeyArgs(name=PARTITION_KEY, type="string")],
            storage_descriptor=aws.glue.CatalogTableStorageDescriptorArgs(
                location=location,
                input_format="org.apache.hadoop.mapred.TextInputFormat",
                output_format="org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                ser_de_info=aws.glue.CatalogTableStorageDescriptorSerDeInfoArgs(
                    serialization_library=JSON_SERDE, parameters={"ignore.malformed.json": "true"}
                ),
                columns=[
                    aws.glue.CatalogTableStorageDescriptorColumnArgs(
                        name=c.name, type=c.type, comment=c.comment or None
                    )
                    for c in table.columns
                ],
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
