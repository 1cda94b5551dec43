"""Firehose delivery streams encrypt buffered and delivered data with customer-managed keys."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import MISSING, Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="firehose_cmk_encryption",
    title="Firehose streams use customer-managed keys for the stream and the S3 destination",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_AT_REST,
    rationale=(
        "Firehose copies contact records into the analytics lake. With a Kinesis source its "
        "encryption at rest is the source stream's; otherwise server-side encryption must use a "
        "customer-managed key. Every S3 destination (and backup) needs kms_key_arn, or objects land "
        "with the bucket's default (PCI DSS 3.5.1, GDPR Art. 32)."
    ),
    remediation=(
        "aws.kinesis.FirehoseDeliveryStream('lake', destination='extended_s3',\n"
        "    kinesis_source_configuration={'kinesisStreamArn': ctr.arn, 'roleArn': role.arn},\n"
        "    extended_s3_configuration={'bucketArn': lake.arn, 'roleArn': role.arn,\n"
        "                               'kmsKeyArn': analytics_key.arn})"
    ),
    resource_types=(rel.FIREHOSE,),
    needs_stack=True,
)

# Every place a Firehose stream writes to S3 (destination or backup).
S3_PATHS = (
    "extendedS3Configuration",
    "extendedS3Configuration.s3BackupConfiguration",
    "httpEndpointConfiguration.s3Configuration",
    "redshiftConfiguration.s3Configuration",
    "splunkConfiguration.s3Configuration",
    "elasticsearchConfiguration.s3Configuration",
    "opensearchConfiguration.s3Configuration",
    "opensearchserverlessConfiguration.s3Configuration",
    "snowflakeConfiguration.s3Configuration",
    "icebergConfiguration.s3Configuration",
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(stream: Resource) -> rel.Verdict | None:
        verdicts: list[rel.Verdict] = []
        source = stream.prop("kinesisSourceConfiguration.kinesisStreamArn", None)
        if source is None:
            enabled = stream.prop("serverSideEncryption.enabled", None)
            key_type = stream.prop("serverSideEncryption.keyType", None)
            if rel.is_unknown(enabled) or rel.is_unknown(key_type):
                return rel.unknown("serverSideEncryption")
            on = rel.flag(enabled, "serverSideEncryption.enabled")
            if on is not True or key_type != "CUSTOMER_MANAGED_CMK":
                verdicts.append(
                    rel.failed(
                        "the delivery stream's own encryption is not SSE with a customer-managed key",
                        rel.ev("serverSideEncryption.keyType", key_type, "CUSTOMER_MANAGED_CMK"),
                    )
                )
            else:
                verdicts.append(
                    rel.key_verdict(
                        index,
                        "serverSideEncryption.keyArn",
                        stream.prop("serverSideEncryption.keyArn", None),
                        "buffered records",
                    )
                )
        for path in S3_PATHS:
            config = stream.prop(path, MISSING)
            if config is MISSING or config is None:
                continue
            if rel.is_unknown(config):
                return rel.unknown(path)
            verdicts.append(
                rel.key_verdict(
                    index, f"{path}.kmsKeyArn", stream.prop(f"{path}.kmsKeyArn", None), "delivered objects"
                )
            )
        return rel.combine(verdicts)

    return rel.each(context, META, check)
