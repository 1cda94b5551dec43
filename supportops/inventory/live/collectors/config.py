"""AWS Config recorders (aws:cfg/recorder:Recorder), whether they record
(aws:cfg/recorderStatus:RecorderStatus) and their delivery channels
(aws:cfg/deliveryChannel:DeliveryChannel): three calls per region, whatever the count."""

from __future__ import annotations

from typing import Final

from supportops.inventory.live.collector import Out, camel
from supportops.inventory.live.reader import Reader

SERVICE: Final = "config"
RECORDER: Final = "aws:cfg/recorder:Recorder"
STATUS: Final = "aws:cfg/recorderStatus:RecorderStatus"
CHANNEL: Final = "aws:cfg/deliveryChannel:DeliveryChannel"
TYPES: Final = (RECORDER, STATUS, CHANNEL)
GLOBAL: Final = False
CALLS: Final = (
    ("config", "DescribeConfigurationRecorders"),
    ("config", "DescribeConfigurationRecorderStatus"),
    ("config", "DescribeDeliveryChannels"),
)


def collect(read: Reader, out: Out) -> None:
    recorders = (read.call("DescribeConfigurationRecorders") or {}).get("ConfigurationRecorders", [])
    for recorder in recorders:
        out.add(
            RECORDER,
            recorder["name"],
            {
                "name": recorder["name"],
                "roleArn": recorder.get("roleARN"),
                "recordingGroup": camel(recorder.get("recordingGroup")),
            },
            arn=recorder.get("arn"),
        )
    statuses = (read.call("DescribeConfigurationRecorderStatus") or {}).get(
        "ConfigurationRecordersStatus", []
    )
    for status in statuses:
        out.add(STATUS, status["name"], {"name": status["name"], "isEnabled": bool(status.get("recording"))})
    channels = (read.call("DescribeDeliveryChannels") or {}).get("DeliveryChannels", [])
    for channel in channels:
        out.add(
            CHANNEL,
            channel["name"],
            {
                "name": channel["name"],
                "s3BucketName": channel.get("s3BucketName"),
                "s3KeyPrefix": channel.get("s3KeyPrefix"),
                "s3KmsKeyArn": channel.get("s3KmsKeyArn"),
                "snsTopicArn": channel.get("snsTopicARN"),
                "snapshotDeliveryProperties": camel(channel.get("configSnapshotDeliveryProperties")),
            },
        )
