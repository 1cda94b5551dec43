"""Amazon Connect storage configs encrypt recordings, transcripts, reports and streams with
customer-managed keys."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.loading import bounded
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta
from supportops.policies.rules.kinesis_stream_cmk_encryption import stream_verdict

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="connect_storage_cmk_encryption",
    title="Connect storage configs use customer-managed keys",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_AT_REST,
    rationale=(
        "Call recordings, chat transcripts and scheduled reports go to S3 with the storage config's "
        "encryption_config (KMS, full key ARN); contact trace records and agent events go to "
        "Kinesis, encrypted by the stream. Each needs a customer-managed key (PCI DSS 3.5.1, "
        "GDPR Art. 32)."
    ),
    remediation=(
        "aws.connect.InstanceStorageConfig('recordings', instance_id=instance.id,\n"
        "    resource_type='CALL_RECORDINGS', storage_config={'storageType': 'S3', 's3Config': {\n"
        "        'bucketName': bucket.bucket, 'bucketPrefix': 'recordings',\n"
        "        'encryptionConfig': {'encryptionType': 'KMS', 'keyId': key.arn}}})"
    ),
    resource_types=(rel.CONNECT_STORAGE,),
    needs_stack=True,
)


VIDEO = "storageConfig.kinesisVideoStreamConfig.encryptionConfig"


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(storage: Resource) -> rel.Verdict:
        kind = storage.prop("storageConfig.storageType", None)
        if rel.is_unknown(kind):
            return rel.unknown("storageConfig.storageType")
        kind = rel.text(kind, "storageConfig.storageType")
        if kind == "S3":
            return encryption_config(index, storage, "storageConfig.s3Config.encryptionConfig")
        if kind == "KINESIS_VIDEO_STREAM":
            return encryption_config(index, storage, VIDEO)
        if kind in ("KINESIS_STREAM", "KINESIS_FIREHOSE"):
            path = (
                "storageConfig.kinesisStreamConfig.streamArn"
                if kind == "KINESIS_STREAM"
                else "storageConfig.kinesisFirehoseConfig.firehoseArn"
            )
            ref = storage.prop(path, None)
            if rel.is_unknown(ref):
                return rel.unknown(path)
            ref = rel.text(ref, path)  # 0 or [] is not "a stream outside this stack"
            stream = index.stream(ref)
            if stream is None:
                return rel.not_applicable(f"{ref} is declared outside this stack", rel.ev(path, ref))
            if stream.type == rel.KINESIS_STREAM:
                return stream_verdict(index, stream)
            enabled = stream.prop("serverSideEncryption.enabled", None)
            source = stream.prop("kinesisSourceConfiguration.kinesisStreamArn", None)
            if source is not None or rel.flag(enabled, "serverSideEncryption.enabled"):
                return rel.key_verdict(
                    index,
                    f"{stream.name}.serverSideEncryption.keyArn",
                    stream.prop("serverSideEncryption.keyArn", None),
                    "records",
                )
            return rel.failed(
                f"delivery stream {stream.name} has no server-side encryption",
                rel.ev(f"{stream.name}.serverSideEncryption.enabled", enabled, "true"),
            )
        shown = rel.ev("storageConfig.storageType", kind)
        return rel.errored(f"unknown storage type {bounded(kind)}", shown)

    return rel.each(context, META, check)


def encryption_config(index: rel.Relations, storage: Resource, path: str) -> rel.Verdict:
    kind = storage.prop(f"{path}.encryptionType", None)
    if rel.is_unknown(kind):
        return rel.unknown(f"{path}.encryptionType")
    if kind != "KMS":
        return rel.failed(
            f"{storage.prop('resourceType', 'contact data')} is stored without KMS encryption",
            rel.ev(f"{path}.encryptionType", kind, "KMS"),
        )
    return rel.key_verdict(
        index,
        f"{path}.keyId",
        storage.prop(f"{path}.keyId", None),
        str(storage.prop("resourceType", "contact data")),
    )
