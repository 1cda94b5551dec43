"""Firehose delivery streams (aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream)."""

from __future__ import annotations

from typing import Any, Final

from supportops.inventory.live.collector import Out, Unread, camel
from supportops.inventory.live.reader import Reader
from supportops.inventory.model import UNKNOWN

SERVICE: Final = "firehose"
DELIVERY_STREAM: Final = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"
TYPES: Final = (DELIVERY_STREAM,)
GLOBAL: Final = False
CALLS: Final = (("firehose", "ListDeliveryStreams"), ("firehose", "DescribeDeliveryStream"))
PAGE: Final = 100


def _names(read: Reader) -> list[str]:
    """ListDeliveryStreams has no botocore paginator: page by the last name seen."""
    names: list[str] = []
    start: str | None = None
    while True:
        params: dict[str, Any] = {"Limit": PAGE}
        if start:
            params["ExclusiveStartDeliveryStreamName"] = start
        page = read.call("ListDeliveryStreams", **params) or {}
        batch = list(page.get("DeliveryStreamNames", []))
        names.extend(batch)
        if not page.get("HasMoreDeliveryStreams") or not batch:
            return names
        start = batch[-1]


def _s3(destination: dict[str, Any]) -> dict[str, Any]:
    s3 = destination.get("ExtendedS3DestinationDescription") or destination.get("S3DestinationDescription")
    if not s3:
        return {}
    config: dict[str, Any] = {
        "bucketArn": s3.get("BucketARN"),
        "roleArn": s3.get("RoleARN"),
        "prefix": s3.get("Prefix"),
        "errorOutputPrefix": s3.get("ErrorOutputPrefix"),
        "compressionFormat": s3.get("CompressionFormat"),
        "kmsKeyArn": ((s3.get("EncryptionConfiguration") or {}).get("KMSEncryptionConfig") or {}).get(
            "AWSKMSKeyARN"
        ),
        "cloudwatchLoggingOptions": camel(s3.get("CloudWatchLoggingOptions")),
    }
    return {"extendedS3Configuration": {k: v for k, v in config.items() if v is not None}}


def collect(read: Reader, out: Out) -> None:
    for name in _names(read):
        urn = out.urn(DELIVERY_STREAM, name)
        got = out.sub(
            read,
            "DescribeDeliveryStream",
            urn,
            absent=("ResourceNotFoundException",),
            DeliveryStreamName=name,
        )
        if got is None:
            continue
        if isinstance(got, Unread):
            arn = None
            inputs: dict[str, Any] = {"name": name, "serverSideEncryption": UNKNOWN}
        else:
            stream = got["DeliveryStreamDescription"]
            arn = stream.get("DeliveryStreamARN")
            inputs = {"name": name, "arn": arn}
            destinations = stream.get("Destinations") or []
            if destinations:
                inputs.update(_s3(destinations[0]))
                inputs["destination"] = "extended_s3" if "extendedS3Configuration" in inputs else None
            source = (stream.get("Source") or {}).get("KinesisStreamSourceDescription")
            if source:
                inputs["kinesisSourceConfiguration"] = {
                    "kinesisStreamArn": source.get("KinesisStreamARN"),
                    "roleArn": source.get("RoleARN"),
                }
            encryption = stream.get("DeliveryStreamEncryptionConfiguration") or {}
            if encryption.get("Status") in ("ENABLED", "ENABLING"):
                inputs["serverSideEncryption"] = {
                    "enabled": True,
                    "keyType": encryption.get("KeyType"),
                    "keyArn": encryption.get("KeyARN"),
                }
        tags = out.tags(arn)
        inputs["tags"] = tags
        inputs["tagsAll"] = tags
        out.add(DELIVERY_STREAM, name, inputs, arn=arn)
