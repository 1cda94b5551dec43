"""SQS queues (aws:sqs/queue:Queue) and, where set, their policy (aws:sqs/queuePolicy:QueuePolicy) and
redrive-allow policy (aws:sqs/redriveAllowPolicy:RedriveAllowPolicy)."""

from __future__ import annotations

from typing import Any, Final

from supportops.inventory.live.collector import Out, Unread
from supportops.inventory.live.reader import Reader
from supportops.inventory.model import UNKNOWN

SERVICE: Final = "sqs"
QUEUE: Final = "aws:sqs/queue:Queue"
QUEUE_POLICY: Final = "aws:sqs/queuePolicy:QueuePolicy"
REDRIVE_ALLOW: Final = "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy"
TYPES: Final = (QUEUE, QUEUE_POLICY, REDRIVE_ALLOW)
GLOBAL: Final = False
CALLS: Final = (("sqs", "ListQueues"), ("sqs", "GetQueueAttributes"))

_NUMBERS: Final = {
    "VisibilityTimeout": "visibilityTimeoutSeconds",
    "MessageRetentionPeriod": "messageRetentionSeconds",
    "KmsDataKeyReusePeriodSeconds": "kmsDataKeyReusePeriodSeconds",
    "DelaySeconds": "delaySeconds",
    "MaximumMessageSize": "maxMessageSize",
    "ReceiveMessageWaitTimeSeconds": "receiveWaitTimeSeconds",
}


def collect(read: Reader, out: Out) -> None:
    for url in read.pages("ListQueues", "QueueUrls", MaxResults=1000):
        name = url.rsplit("/", 1)[-1]
        urn = out.urn(QUEUE, url)
        got = out.sub(
            read,
            "GetQueueAttributes",
            urn,
            absent=("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"),
            QueueUrl=url,
            AttributeNames=["All"],
        )
        if got is None:
            continue  # deleted between the list and the read
        attrs: dict[str, Any] = {} if isinstance(got, Unread) else got.get("Attributes", {})
        arn = attrs.get("QueueArn") or _arn(read, name)
        inputs: dict[str, Any] = {"name": name, "url": url, "arn": arn}
        if isinstance(got, Unread):
            inputs.update(
                kmsMasterKeyId=UNKNOWN, sqsManagedSseEnabled=UNKNOWN, redrivePolicy=UNKNOWN, policy=UNKNOWN
            )
        else:
            for attribute, key in _NUMBERS.items():
                if attribute in attrs:
                    inputs[key] = int(attrs[attribute])
            inputs["kmsMasterKeyId"] = attrs.get("KmsMasterKeyId")
            if "SqsManagedSseEnabled" in attrs:
                inputs["sqsManagedSseEnabled"] = attrs["SqsManagedSseEnabled"] == "true"
            inputs["redrivePolicy"] = attrs.get("RedrivePolicy")
            inputs["fifoQueue"] = attrs.get("FifoQueue") == "true" if "FifoQueue" in attrs else None
        tags = out.tags(arn)
        inputs["tags"] = tags
        inputs["tagsAll"] = tags
        out.add(QUEUE, url, inputs, arn=arn)
        if not isinstance(got, Unread) and attrs.get("Policy"):
            out.add(QUEUE_POLICY, url, {"queueUrl": url, "policy": attrs["Policy"]})
        if not isinstance(got, Unread) and attrs.get("RedriveAllowPolicy"):
            out.add(REDRIVE_ALLOW, url, {"queueUrl": url, "redriveAllowPolicy": attrs["RedriveAllowPolicy"]})


def _arn(read: Reader, name: str) -> str:
    return f"arn:{read.scope.partition}:sqs:{read.region}:{read.scope.account_id}:{name}"
