"""Kinesis data streams (aws:kinesis/stream:Stream)."""

from __future__ import annotations

from typing import Any, Final

from supportops.inventory.live.collector import Out, Unread, tag_dict
from supportops.inventory.live.reader import Reader
from supportops.inventory.model import UNKNOWN

SERVICE: Final = "kinesis"
STREAM: Final = "aws:kinesis/stream:Stream"
TYPES: Final = (STREAM,)
GLOBAL: Final = False
CALLS: Final = (
    ("kinesis", "ListStreams"),
    ("kinesis", "DescribeStreamSummary"),
    ("kinesis", "ListTagsForStream"),
)


def collect(read: Reader, out: Out) -> None:
    for summary in read.pages("ListStreams", "StreamSummaries"):
        name = summary["StreamName"]
        urn = out.urn(STREAM, name)
        got = out.sub(
            read, "DescribeStreamSummary", urn, absent=("ResourceNotFoundException",), StreamName=name
        )
        if got is None:
            continue
        arn = summary.get("StreamARN")
        inputs: dict[str, Any] = {"name": name, "arn": arn}
        if isinstance(got, Unread):
            inputs.update(encryptionType=UNKNOWN, kmsKeyId=UNKNOWN, retentionPeriod=UNKNOWN)
        else:
            stream = got["StreamDescriptionSummary"]
            inputs["encryptionType"] = stream.get("EncryptionType", "NONE")
            inputs["kmsKeyId"] = stream.get("KeyId")
            inputs["retentionPeriod"] = stream.get("RetentionPeriodHours")
            mode = (stream.get("StreamModeDetails") or {}).get("StreamMode")
            inputs["streamModeDetails"] = {"streamMode": mode} if mode else None
            inputs["shardCount"] = stream.get("OpenShardCount") if mode != "ON_DEMAND" else None
        tagged = out.sub(read, "ListTagsForStream", urn, StreamName=name)
        tags = UNKNOWN if isinstance(tagged, Unread) else tag_dict((tagged or {}).get("Tags"))
        inputs["tags"] = tags
        inputs["tagsAll"] = tags
        out.add(STREAM, name, inputs, arn=arn)
